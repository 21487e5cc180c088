-- Two-phase-commit transactions left prepared. Each one holds its locks and its xmin
-- (blocking vacuum everywhere) until someone runs COMMIT/ROLLBACK PREPARED; a crashed
-- transaction manager leaves them behind silently. Oldest first.
select gid,
       database::text                                            as database,
       owner::text                                               as owner,
       (extract(epoch from clock_timestamp() - prepared) * 1000)::bigint as age_ms
from pg_prepared_xacts
order by prepared
