-- The primary worker nodes of the cluster (group 0 is the coordinator), disabled ones too:
-- a disabled worker keeps its copy of the reference tables, which no command can reach.
select nodeid, nodename as host, nodeport as port, shouldhaveshards as has_shards, isactive as active
from pg_dist_node
where groupid <> 0 and noderole = 'primary'
order by nodename, nodeport
