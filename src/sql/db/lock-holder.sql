-- Who holds a session advisory lock taken with hashtextextended($1, 0): a 64-bit key is
-- stored as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
-- $1 lock name
select l.pid, a.application_name, a.backend_start
from pg_locks l
left join pg_stat_activity a on a.pid = l.pid
where l.locktype = 'advisory'
  and l.granted
  and l.objsubid = 1
  and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)
limit 1
