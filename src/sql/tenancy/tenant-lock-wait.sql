-- Wait for the tenant's lock outside any transaction of ours, and let it go at once: the
-- caller then starts its transaction (and its snapshot) after the holder has committed.
-- Writers only (readers wait at session level, locks.ts withReaderLock). $1 lock name
select pg_advisory_xact_lock(hashtextextended($1, 0)) is not null as waited
