-- Drop the source shards a move left behind now, rather than after Citus's deferred
-- cleanup interval, so a worker inspected right after a move holds only what it owns.
call citus_cleanup_orphaned_resources()
