-- At the end of a batch of tenants (batch.ts), before its commit: did a tenant change a relation
-- that an earlier tenant of the batch had locked first? integrity-after.sql leaves those out of
-- each later tenant's check (reading their catalog rows again in every tenant made a batch cost
-- the square of its size); this reads them once.
-- tenantctl.batch_locked lists each such relation with the floor noted by the check that found
-- it ("oid/age"): a catalog row of it (pg_class, pg_attribute, pg_constraint) younger than that
-- floor was written after that check, by a later tenant. No other session can have written it:
-- we held the relation's ACCESS EXCLUSIVE lock before the floor was noted. (A relation one of
-- them dropped is caught by that tenant's own check: it is gone.)
-- tenantctl.batch_floors lists every check's floor in order; the culprit is the first check whose
-- floor is at least as old as the row (its transaction ids lie between the check before and it).
-- Answers the culprit's ordinal among the transaction's checks (1-based; the last check if none
-- fits, which cannot happen: sections run before their checks), or null when all is well.
with locked as (
    select split_part(e, '/', 1)::bigint::oid as rel, split_part(e, '/', 2)::integer as floor_age
    from unnest(string_to_array(nullif(current_setting('tenantctl.batch_locked', true), ''), ',')) e
), floors as (
    select u.f::integer as floor_age, u.ord
    from unnest(string_to_array(nullif(current_setting('tenantctl.batch_floors', true), ''), ',')) with ordinality as u(f, ord)
), youngest as (
    -- the oldest of the rows written too late: the first culprit
    select max(age(x.xmin)) as age
    from locked l
    cross join lateral (select c.xmin from pg_catalog.pg_class c where c.oid = l.rel
                        union all select a.xmin from pg_catalog.pg_attribute a where a.attrelid = l.rel
                        union all select k.xmin from pg_catalog.pg_constraint k where k.conrelid = l.rel) x
    where age(x.xmin) < l.floor_age
)
select case when y.age is not null
            then coalesce((select min(f.ord) from floors f where y.age >= f.floor_age), (select max(f.ord) from floors f)) end::integer as culprit
from youngest y
