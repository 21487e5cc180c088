-- Active plans for the create prompt.
select code, name, price_monthly::text as price from public.plans where is_active order by sort_order, code
