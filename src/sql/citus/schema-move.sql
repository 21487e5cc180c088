-- Move a whole distributed schema (a tenant) to another worker. $1 schema, $2 host,
-- $3 port, $4 shard transfer mode (auto, force_logical, block_writes).
select citus_schema_move($1::regnamespace, $2::text, $3::int, $4::citus.shard_transfer_mode)
