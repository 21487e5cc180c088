-- The active primary worker nodes of the cluster (group 0 is the coordinator).
select nodeid, nodename as host, nodeport as port, shouldhaveshards as has_shards
from pg_dist_node
where groupid <> 0 and noderole = 'primary' and isactive
order by nodename, nodeport
