-- Note which of a spare's date and time columns hold values its migrations stamped while it
-- was built or migrated: those not older than the spare itself (tenant_pool.created_at, the
-- build transaction's time) nor later than now. A literal date a seed row carries (a past one,
-- or a far "valid until") is outside that span and keeps its value at hand-out. Run after the
-- spare's build and after each `migrate up` of it; counted here so that `tenant create` updates
-- only the columns that need it (pool/claim.sql) and opens no other table.
-- Each column is counted through query_to_xml: dynamic SQL in one statement, no function to install.
-- $1 the spare's schema
update tenantctl.tenant_pool p
set stamped = coalesce((
    select jsonb_agg(jsonb_build_object('table', c.relname, 'column', a.attname, 'type', format_type(a.atttypid, null)) order by c.relname, a.attname)
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    join pg_catalog.pg_attribute a on a.attrelid = c.oid
    -- the build time as ISO 8601 in UTC: read back the same whatever the session's DateStyle
    -- and TimeZone (a zone abbreviation such as IST names two zones)
    cross join (select to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as utc) built
    where n.nspname = p.schema_name
      and c.relkind in ('r', 'p') and not c.relispartition
      and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      and a.atttypid in ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)
      and (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I.%I where %I >= %L::timestamptz::%s and %I <= now()',
                                                      n.nspname, c.relname, a.attname, built.utc, format_type(a.atttypid, null), a.attname), false, true, '')))[1]::text::bigint > 0
), '[]')
where p.schema_name = $1
