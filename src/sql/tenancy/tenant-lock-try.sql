-- First statement of a per-tenant transaction: name the session for whoever waits on it
-- (only when it has tenantctl's default name: a name the operator chose is kept), and try
-- the transaction's locks (the tenant's, then any of its schema) without waiting, all in this
-- one round trip. Exclusive: readers take theirs at session level (locks.ts withReaderLock).
-- A try never waits, so taking a later lock after an earlier one was busy deadlocks nobody,
-- and the caller ends the transaction (releasing what it got) as soon as one is busy.
-- $1 lock names, in the order they are taken; $2 application name
select set_config('application_name',
                  case when current_setting('application_name') = 'tenantctl' then $2
                       else current_setting('application_name') end, true) is not null as named,
       (select array_position(array_agg(pg_try_advisory_xact_lock(hashtextextended(l.name, 0)) order by l.ord), false)
        from unnest($1::text[]) with ordinality as l(name, ord))                  as busy
