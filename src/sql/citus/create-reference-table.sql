-- Replicate a shared table to every node so tenant schemas may point foreign keys at it.
-- $1 qualified table name.
select create_reference_table($1::regclass)
