-- The workspaces of one organization, main first. $1 organization id
select id::text, name, type, status, created_at, deleted_at is not null as deleted,
       (select count(*)::int from employees e where e.workspace_id = w.id and e.deleted_at is null) as employees
from workspaces w
where organization_id = $1::uuid
order by type <> 'main', name
