-- Every tenant with plan, schema version and on-disk size, filtered.
-- $1 status or null, $2 plan code or null, $3 text to find in slug or name or null, $4 limit
select t.slug,
       t.name,
       t.status,
       p.code                        as plan,
       s.status                      as subscription,
       v.version                     as schema_version,
       coalesce(z.bytes, 0)::bigint  as size_bytes,
       (n.oid is not null)           as schema_exists,
       t.created_at
from public.tenants t
left join lateral (
    select s.plan_id, s.status from public.subscriptions s
    where s.tenant_id = t.id
    order by (s.status in ('trial', 'active', 'past_due')) desc, s.created_at desc
    limit 1
) s on true
left join public.plans p on p.id = s.plan_id
left join pg_namespace n on n.nspname = t.schema_name
left join lateral (
    select m.version from tenantctl.schema_migrations m
    where m.schema_name = t.schema_name
    order by m.version::numeric desc
    limit 1
) v on true
left join lateral (
    select sum(pg_total_relation_size(c.oid)) as bytes
    from pg_class c
    where c.relnamespace = n.oid and c.relkind in ('r', 'm')
) z on true
where ($1::text is null or t.status = $1)
  and ($2::text is null or p.code = $2)
  and ($3::text is null or strpos(lower(t.slug), lower($3)) > 0 or strpos(lower(t.name), lower($3)) > 0)
order by t.slug
limit $4
