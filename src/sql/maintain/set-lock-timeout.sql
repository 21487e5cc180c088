-- For the rest of this transaction only: give up on a lock after $1 (e.g. '2000ms'), so a
-- maintenance statement never queues behind application traffic for long.
select set_config('lock_timeout', $1, true)
