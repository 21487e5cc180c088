-- Settings for a monitoring session. lock_timeout: a monitor must never queue behind a
-- migration's ACCESS EXCLUSIVE lock (and make everything queued behind it wait too);
-- it fails that one statement instead.
select set_config('lock_timeout', $1, false) as lock_timeout
