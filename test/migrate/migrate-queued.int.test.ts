import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';
import { seedTenant } from '../tenants/helpers.js';
import { background, until } from './run-helpers.js';

// A `migrate up` that waited for the fleet lock plans again once it has it: the run it waited
// for has migrated the fleet, and the plan made before waiting would send the migration to
// schemas already at it (each would run it, then roll back, its locks taken for nothing).
// No timing: the first run's migration waits on an advisory lock the test holds until the
// second run says it is waiting for the fleet lock.

const GATE = 4242;
const gated = (down: string) => `-- migrate:up\nselect nextval('public.ran');\nselect pg_advisory_xact_lock_shared(${GATE});\nalter table products add column queued int;\n-- migrate:down\n${down}alter table products drop column queued;\n`;

describe('a migrate run queued behind another', () => {
  let db: TestDatabase;
  const slugs = ['q1', 'q2', 'q3', 'q4'];
  /** Backends waiting for the gate. */
  const atGate = async () => ((await db.sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = ${GATE} and not granted
    and database = (select oid from pg_database where datname = current_database())`)[0] as { n: number }).n;

  beforeAll(async () => {
    db = await createTestDatabase('mq');
    await migrateAll(db.sql);
    for (const slug of slugs) await seedTenant(db.sql, slug, 1);
    // nextval is not rolled back: it counts every time the migration's body ran.
    await db.sql`create sequence public.ran`;
  });
  afterAll(async () => db.drop());

  it('up: the second run plans again after waiting, runs nothing and records nothing', async () => {
    const dir = await migrationsWith({ 'tenant/0002_gated.sql': gated('') });
    const runsBefore = ((await db.sql`select count(*)::int as n from tenantctl.migration_runs`)[0] as { n: number }).n;
    const gate = await db.sql.reserve();
    await gate`select pg_advisory_lock(${GATE})`;
    const first = background(['migrate', 'up', '--concurrency', '1', '--batch-size', '1', '--migrations-dir', dir], db.url);
    await until(async () => (await atGate()) > 0, 'the first run to reach its first tenant');
    // Every tenant is still pending: the second plans all four, then queues for the fleet lock.
    const second = background(['migrate', 'up', '--concurrency', '1', '--migrations-dir', dir, '--json'], db.url);
    await until(() => second.out.stderr.includes('waiting for another tenantctl migrate run to finish'), 'the second run to queue');
    await gate`select pg_advisory_unlock(${GATE})`;
    gate.release();
    expect(await first.code, first.out.stderr).toBe(0);
    expect(await second.code, second.out.stderr).toBe(0);
    expect((JSON.parse(second.out.stdout) as { summary: { applied: number; failed: number } }).summary).toMatchObject({ applied: 0, failed: 0 });
    // The body ran once per tenant: the first run's.
    expect(Number(((await db.sql`select last_value from public.ran`)[0] as { last_value: string }).last_value)).toBe(slugs.length);
    // The first run is recorded; the second, with nothing to do once it planned again, is not.
    expect(((await db.sql`select count(*)::int as n from tenantctl.migration_runs`)[0] as { n: number }).n).toBe(runsBefore + 1);
  });

  it('down: a run whose plan changed while it waited stops and changes nothing', async () => {
    const dir = await migrationsWith({ 'tenant/0002_gated.sql': gated(`select pg_advisory_xact_lock_shared(${GATE});\n`) });
    const gate = await db.sql.reserve();
    await gate`select pg_advisory_lock(${GATE})`;
    // The first run reverts q1; the second was shown, and agreed to, all four.
    const first = background(['migrate', 'down', '--tenant', 'q1', '--yes', '--migrations-dir', dir], db.url);
    await until(async () => (await atGate()) > 0, 'the first run to revert q1');
    const second = background(['migrate', 'down', '--tenants-only', '--yes', '--migrations-dir', dir], db.url);
    await until(() => second.out.stderr.includes('waiting for another tenantctl migrate run to finish'), 'the second run to queue');
    await gate`select pg_advisory_unlock(${GATE})`;
    gate.release();
    expect(await first.code, first.out.stderr).toBe(0);
    expect(await second.code, second.out.stdout + second.out.stderr).toBe(75);
    expect(second.out.stderr).toContain('The fleet changed while this migrate down waited');
    const withColumn = await db.sql<{ table_schema: string }[]>`select table_schema from information_schema.columns where column_name = 'queued' order by 1`;
    expect(withColumn.map((c) => c.table_schema)).toEqual(['tenant_q2', 'tenant_q3', 'tenant_q4']);
  });
});
