-- Every active feature code.
select coalesce(array_agg(code::text order by code), '{}') as codes from public.features where is_active
