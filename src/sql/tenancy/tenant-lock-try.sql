-- First statement of a per-tenant transaction: name the session for whoever waits on it
-- (only when it has tenantctl's default name: a name the operator chose is kept), and try
-- the tenant's lock (exclusive, or shared for readers) without waiting.
-- $1 lock name, $2 shared?, $3 application name
select set_config('application_name',
                  case when current_setting('application_name') = 'tenantctl' then $3
                       else current_setting('application_name') end, true) is not null as named,
       case when $2 then pg_try_advisory_xact_lock_shared(hashtextextended($1, 0))
            else pg_try_advisory_xact_lock(hashtextextended($1, 0)) end               as got
