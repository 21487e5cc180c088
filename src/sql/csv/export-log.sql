-- The tenant's own record of an export. Needs the tenant schema on the search_path.
-- $1 user id, $2 export type, $3 format, $4 rows, $5 bytes, $6 filters, $7 columns.
insert into export_logs (user_id, export_type, file_format, row_count, file_size_bytes, filters_applied, columns_exported, status, user_agent)
values ($1::uuid, $2, $3, $4, $5, $6::text::jsonb, $7::text::jsonb, 'completed', 'tenantctl')
returning id::text as id
