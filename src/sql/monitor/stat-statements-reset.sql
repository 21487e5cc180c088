-- Forget the statistics of one database ($1 = its oid) or, with $1 = 0, of every database.
-- pg_stat_statements_reset(userid, dbid, queryid) exists since 1.7 (PostgreSQL 12); 0 means "any".
select pg_stat_statements_reset(0, $1::oid, 0) as reset
