-- Wait for the tenant's lock outside any transaction of ours, and let it go at once: the
-- caller then starts its transaction (and its snapshot) after the holder has committed.
-- $1 lock name, $2 shared?
select case when $2 then pg_advisory_xact_lock_shared(hashtextextended($1, 0))
            else pg_advisory_xact_lock(hashtextextended($1, 0)) end is not null as waited
