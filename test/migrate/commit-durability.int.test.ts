import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAllMigrations } from '../../src/migrate/files.js';
import { planUp } from '../../src/migrate/plan.js';
import { finishRun, startRun } from '../../src/migrate/run-log.js';
import { readFleetState } from '../../src/migrate/state.js';
import { schemaPerTenant } from '../../src/tenancy/strategy.js';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, freshPool, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';

// Each tenant's migration notes the synchronous_commit its transaction runs with (and the
// search_path and plan_cache_mode its statements see: the checks' settings are not the
// migration's): a fleet run commits tenants without waiting for the WAL flush, and its end
// record, committed synchronously, makes them durable (run.ts).
const NOTE_SETTINGS = `-- migrate:up
create table commit_settings as
select current_setting('synchronous_commit') as commit_mode, current_setting('search_path') as search_path,
       current_setting('plan_cache_mode') as plan_mode;

-- migrate:down
drop table commit_settings;
`;

describe('commit durability of a fleet run', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    // The test server runs with synchronous_commit off; this database has PostgreSQL's default.
    await db.sql.unsafe(`alter database "${db.name}" set synchronous_commit = on`);
    await migrateAll(db.sql);
    for (const slug of ['d1', 'd2', 'd3']) await addTenantRow(db.sql, slug);
    await migrateAll(db.sql);
    dir = await migrationsWith({ 'tenant/0002_commit_settings.sql': NOTE_SETTINGS });
  });
  afterAll(async () => db.drop());

  it('migrate up commits each tenant with synchronous_commit off, runs it under its own search_path and the session\'s plan settings, and records the run as ended', async () => {
    const result = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).summary).toMatchObject({ applied: 3, failed: 0 });
    for (const slug of ['d1', 'd2', 'd3']) {
      const [row] = await db.sql.unsafe(`select commit_mode, search_path, plan_mode from "tenant_${slug}".commit_settings`);
      expect(row).toEqual({ commit_mode: 'off', search_path: `tenant_${slug}, public`, plan_mode: 'auto' });
    }
    const [run] = await db.sql`select ok, finished_at is not null as ended from tenantctl.migration_runs where action = 'migrate.up' order by id desc limit 1`;
    expect(run).toEqual({ ok: true, ended: true });
  });

  it("the run's end record commits synchronously, even where the database's default is off", async () => {
    const files = await loadAllMigrations(dir);
    const plan = planUp(await readFleetState(db.sql, schemaPerTenant, files), files);
    const strict = await freshPool(db);
    try {
      expect(await finishRun(strict, await startRun(strict, plan), true, { applied: 0 })).toBe('on');
    } finally {
      await strict.end();
    }
    await db.sql.unsafe(`alter database "${db.name}" set synchronous_commit = off`);
    const lax = await freshPool(db);
    try {
      const [session] = await lax`select current_setting('synchronous_commit') as commit_mode`;
      expect(session!.commit_mode).toBe('off');
      const laxRun = await startRun(lax, plan);
      // 'local': this commit waits until the WAL is flushed up to its record, every earlier commit included.
      expect(await finishRun(lax, laxRun, true, { applied: 0 })).toBe('local');
      const [after] = await lax`select current_setting('synchronous_commit') as commit_mode`;
      expect(after!.commit_mode).toBe('off');
    } finally {
      await lax.end();
      await db.sql.unsafe(`alter database "${db.name}" set synchronous_commit = on`);
    }
  });

  it('tenant create commits synchronously: its commit is what it reports', async () => {
    const created = await runCli(['tenant', 'create', 'durable', '--name', 'Durable', '--plan', 'starter', '--owner-email', 'o@durable.test', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    const [row] = await db.sql.unsafe('select commit_mode from "tenant_durable".commit_settings');
    expect(row!.commit_mode).toBe('on');
  });
});
