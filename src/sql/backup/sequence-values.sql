-- The state of the sequences $1 (oid[]): last_value and is_called, as text (bigint).
-- A sequence's state is not versioned, so no snapshot shows an older one: this is its value
-- at the moment of reading. Each sequence is its own relation and SQL cannot name it from a
-- value, so its one row is read through query_to_xml (a dynamic query per sequence, in this
-- one statement). pg_sequence_last_value() would hide the value when is_called is false.
-- Every read takes an AccessShare lock until the statement ends: callers pass batches.
select s.oid::int as oid,
       (xpath('/row/last_value/text()', x))[1]::text as last_value,
       (xpath('/row/is_called/text()', x))[1]::text = 'true' as is_called
from unnest($1::oid[]) as s(oid)
join pg_class c on c.oid = s.oid and c.relkind = 'S'
join pg_namespace n on n.oid = c.relnamespace
cross join lateral query_to_xml(format('select last_value, is_called from %I.%I', n.nspname, c.relname), false, true, '') as x
