-- A fleet run ended. $1 run id, $2 ok, $3 counts (json)
-- Its commit waits for the WAL flush even where synchronous_commit is off (then 'local': flushed
-- on this server): the run's tenant transactions committed without waiting, and this flush,
-- up to this record, is what makes them durable before the run reports them (run.ts).
-- The setting is local to this statement's transaction; RETURNING evaluates it before the commit.
with durable as (
    select set_config('synchronous_commit',
                      case when current_setting('synchronous_commit') = 'off' then 'local' else current_setting('synchronous_commit') end,
                      true) as commit_mode
)
update tenantctl.migration_runs
set finished_at = now(), ok = $2, counts = $3::text::jsonb
where id = $1::bigint
returning (select commit_mode from durable) as commit_mode
