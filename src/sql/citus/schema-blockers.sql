-- What in one schema stops or weakens it as a Citus distributed schema. $1 schema name.
-- kind: foreign_key_out (FK to a table outside the schema: allowed only to reference
-- tables, which the caller filters), trigger (needs citus.enable_unsafe_triggers),
-- int_sequence (int/smallint sequences break inserts routed through workers), matview
-- (stays local on the coordinator), no_replica_identity (an online move is impossible).
select 'foreign_key_out' as kind, c.conrelid::regclass::text as object,
       c.confrelid::regclass::text as detail
from pg_constraint c
join pg_class t on t.oid = c.conrelid
join pg_class r on r.oid = c.confrelid
where c.contype = 'f' and t.relnamespace = $1::regnamespace and r.relnamespace <> $1::regnamespace
union all
select 'trigger', tg.tgrelid::regclass::text, tg.tgname::text
from pg_trigger tg
join pg_class t on t.oid = tg.tgrelid
where not tg.tgisinternal and t.relnamespace = $1::regnamespace
union all
select 'int_sequence', s.seqrelid::regclass::text, format_type(s.seqtypid, null)
from pg_sequence s
join pg_class q on q.oid = s.seqrelid
where q.relnamespace = $1::regnamespace and s.seqtypid in ('int2'::regtype, 'int4'::regtype)
union all
select 'matview', m.oid::regclass::text, null
from pg_class m
where m.relkind = 'm' and m.relnamespace = $1::regnamespace
union all
select 'no_replica_identity', t.oid::regclass::text, null
from pg_class t
where t.relkind = 'r' and t.relnamespace = $1::regnamespace and not t.relispartition
  and t.relreplident <> 'f'
  and not (t.relreplident = 'd' and exists (select 1 from pg_index i where i.indrelid = t.oid and i.indisprimary))
  and not (t.relreplident = 'i' and exists (select 1 from pg_index i where i.indrelid = t.oid and i.indisreplident))
order by 1, 2, 3
