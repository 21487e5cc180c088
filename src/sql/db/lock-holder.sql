-- Who holds a session advisory lock taken with hashtextextended($1, 0): a 64-bit key is
-- stored as classid (high 32 bits) and objid (low 32 bits), objsubid 1. Advisory locks are
-- per database, and pg_locks shows every database's: only this database's holder is the one.
-- $1 lock name
select l.pid, a.application_name, a.backend_start
from pg_locks l
left join pg_stat_activity a on a.pid = l.pid
where l.locktype = 'advisory'
  and l.granted
  and l.database = (select oid from pg_database where datname = current_database())
  and l.objsubid = 1
  and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)
limit 1
