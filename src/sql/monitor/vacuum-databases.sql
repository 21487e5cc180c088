-- Transaction-id and multixact age per database. At 2^31 (2,147,483,648) the server stops
-- accepting writes to avoid wraparound; autovacuum forces a freeze at autovacuum_freeze_max_age.
select datname                                                    as database,
       age(datfrozenxid)::bigint                                  as xid_age,
       mxid_age(datminmxid)::bigint                               as mxid_age,
       round((100.0 * age(datfrozenxid) / 2147483648)::numeric, 3)::float8 as wraparound_pct,
       current_setting('autovacuum_freeze_max_age')::bigint       as freeze_max_age,
       datallowconn                                               as allows_connections
from pg_database
order by xid_age desc, database
