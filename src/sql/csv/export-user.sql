-- Whose name an export is logged under (export_logs.user_id is NOT NULL): the tenant's
-- owner, else its oldest user. Needs the tenant schema on the search_path.
select id::text as id
from users
where deleted_at is null
order by is_owner desc, created_at, id
limit 1
