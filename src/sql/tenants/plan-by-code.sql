-- An active plan by its code, and every active code (for the error message). $1 plan code
select (select id::text from public.plans where code = $1 and is_active) as id,
       array(select code::text from public.plans where is_active order by sort_order, code) as known
