-- How many rows the registry holds (tenants, platform singletons and placeholders alike: any of
-- them may own rows): the most keys a tenant column can hold, which caps how thinly the rows the
-- statistics do not attribute can be spread (size-estimates.ts).
select count(*)::bigint as n from {{registry}}
