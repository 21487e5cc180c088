import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';
import { seedTenant } from '../tenants/helpers.js';
import { background, until } from './run-helpers.js';

// SIGINT during `migrate up` used to end the process with no word and leave the run's record
// open for good. Now the schema under way finishes, no other starts, the report says how far
// it got, the record is closed, and the exit code is 130. No timing: the first tenant's
// migration waits on an advisory lock the test holds until the signal has been sent.
const GATE = 4243;

describe('migrate up interrupted by SIGINT', () => {
  let db: TestDatabase;
  const slugs = ['i1', 'i2', 'i3', 'i4', 'i5'];

  beforeAll(async () => {
    db = await createTestDatabase('mint');
    await migrateAll(db.sql);
    for (const slug of slugs) await seedTenant(db.sql, slug, 1);
  });
  afterAll(async () => db.drop());

  it('finishes the tenant under way, starts no other, reports and records it, exits 130; a rerun does the rest', async () => {
    const dir = await migrationsWith({ 'tenant/0002_gated.sql': `-- migrate:up\nselect pg_advisory_xact_lock_shared(${GATE});\nalter table products add column gated int;\n-- migrate:down\nalter table products drop column gated;\n` });
    const gate = await db.sql.reserve();
    await gate`select pg_advisory_lock(${GATE})`;
    const run = background(['migrate', 'up', '--concurrency', '1', '--batch-size', '1', '--migrations-dir', dir], db.url);
    await until(async () => ((await db.sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = ${GATE} and not granted
      and database = (select oid from pg_database where datname = current_database())`)[0] as { n: number }).n > 0, 'the first tenant to start');
    run.child.kill('SIGINT');
    await until(() => run.out.stderr.includes('SIGINT received'), 'the run to say it is stopping');
    await gate`select pg_advisory_unlock(${GATE})`;
    gate.release();
    expect(await run.code, run.out.stderr).toBe(130);
    expect(run.out.stdout).toContain('1 migrated');
    expect(run.out.stdout).not.toContain('Fix the error');
    expect(run.out.stdout).toContain('4 not run');
    expect(run.out.stdout).toContain('interrupted: the schemas under way finished; 4 were not started');
    const withColumn = await db.sql`select table_schema from information_schema.columns where column_name = 'gated'`;
    expect(withColumn).toHaveLength(1);
    const [last] = await db.sql`select ok, finished_at is not null as finished from tenantctl.migration_runs order by id desc limit 1`;
    expect(last).toEqual({ ok: false, finished: true });
    const rerun = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).summary).toMatchObject({ applied: 4, failed: 0 });
  });

  it('a run whose process died without recording its end is closed as abandoned by the next run', async () => {
    // What a second Ctrl-C or kill -9 leaves: a run row with no end.
    const [{ id }] = await db.sql`insert into tenantctl.migration_runs (action, actor, plan) values ('migrate.up', 'killed', '{}') returning id::text as id`;
    const dir = await migrationsWith({ 'tenant/0003_after.sql': '-- migrate:up\nalter table products add column after_kill int;\n-- migrate:down\nalter table products drop column after_kill;\n' });
    expect((await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url })).code).toBe(0);
    const [dead] = await db.sql`select ok, finished_at is not null as finished, counts->>'abandoned' as abandoned from tenantctl.migration_runs where id = ${id}::bigint`;
    expect(dead).toEqual({ ok: false, finished: true, abandoned: 'true' });
    expect((await db.sql`select count(*)::int as n from tenantctl.migration_runs where finished_at is null`)[0]!.n).toBe(0);
  });
});
