import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';
import { seedTenant } from '../tenants/helpers.js';
import { background, until } from './run-helpers.js';

// A second Ctrl-C during `migrate up` used to end the process at once and leave the statement
// it was running to the server, which notices a closed connection only when it next writes to
// it: a migration's ALTER TABLE kept its ACCESS EXCLUSIVE lock while its pg_sleep ran on for
// minutes, and a CREATE INDEX CONCURRENTLY (transaction:false) went on to finish although the
// tool had said it stopped. Now the statement is cancelled on the server before the process
// exits. No timing: the test waits (bounded) for what it expects to see.
describe('migrate up stopped at once by a second signal', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('mstop');
    await migrateAll(db.sql);
    await seedTenant(db.sql, 'stop_sleep', 1);
    await seedTenant(db.sql, 'stop_cic', 1);
  });
  afterAll(async () => db.drop());

  /** The backends (other than the test's) running a statement whose text contains `marker`. */
  const running = async (marker: string) =>
    (await db.sql`select pid from pg_stat_activity where pid <> pg_backend_pid() and state = 'active' and query like ${`%${marker}%`} and query not like '%pg_stat_activity%'`).length;

  /** Start `migrate up` of `tenant` with `dir`, wait until `marker` runs on the server, then SIGINT it twice. */
  async function stopTwice(tenant: string, dir: string, marker: string) {
    const run = background(['migrate', 'up', '--tenant', tenant, '--migrations-dir', dir], db.url);
    await until(async () => (await running(marker)) > 0, `${marker} to run on the server`);
    run.child.kill('SIGINT');
    await until(() => run.out.stderr.includes('SIGINT received: migrate up finishes what is under way'), 'the run to say it finishes what is under way');
    run.child.kill('SIGINT');
    return { code: await run.code, out: run.out };
  }

  it('a long statement in a migration transaction is cancelled: it leaves pg_stat_activity and its table lock is free', async () => {
    const dir = await migrationsWith({ 'tenant/0002_slow.sql': '-- migrate:up\nalter table products add column slept int;\nselect pg_sleep(300) as stop_sleep_marker;\n-- migrate:down\nalter table products drop column slept;\n' });
    const { code, out } = await stopTwice('stop_sleep', dir, 'stop_sleep_marker');
    expect(code, out.stderr).toBe(130);
    await until(async () => (await running('stop_sleep_marker')) === 0, 'the cancelled statement to leave pg_stat_activity');
    expect(out.stderr).toContain('SIGINT received: stopped. What was already committed stays; the statement that was running on the server was cancelled');
    // Another session can take the lock the ALTER TABLE held, at once.
    await db.sql.begin(async (tx) => {
      await tx`lock table tenant_stop_sleep.products in access exclusive mode nowait`;
    });
    expect(await db.sql`select 1 from information_schema.columns where table_schema = 'tenant_stop_sleep' and column_name = 'slept'`).toHaveLength(0);
    expect(await db.sql`select 1 from tenantctl.schema_migrations where schema_name = 'tenant_stop_sleep' and version = '0002'`).toHaveLength(0);
  });

  it('a transaction:false CREATE INDEX CONCURRENTLY is cancelled: it never completes and the migration is not recorded', async () => {
    const dir = await migrationsWith({ 'tenant/0003_concurrent.sql': '-- migrate:up transaction:false\ncreate index concurrently stop_cic_marker on products (sku);\n-- migrate:down transaction:false\ndrop index concurrently if exists stop_cic_marker;\n' });
    // CREATE INDEX CONCURRENTLY waits for this transaction's lock on the table before it builds.
    const holder = await db.sql.reserve();
    try {
      await holder`begin`;
      await holder`lock table tenant_stop_cic.products in row exclusive mode`;
      const { code, out } = await stopTwice('stop_cic', dir, 'stop_cic_marker');
      expect(code, out.stderr).toBe(130);
      await until(async () => (await running('stop_cic_marker')) === 0, 'the cancelled CREATE INDEX CONCURRENTLY to leave pg_stat_activity');
      expect(out.stderr).toContain('the statement that was running on the server was cancelled');
      // Not rolled back: the message says so, and how to find and drop what it left.
      expect(out.stderr).toContain('One of them built an index CONCURRENTLY: such a build leaves an INVALID index behind');
      expect(out.stderr).toContain('DROP INDEX CONCURRENTLY');
    } finally {
      await holder`rollback`;
      holder.release();
    }
    // Cancelled, it may leave an invalid index behind (as PostgreSQL documents), never a valid one.
    expect(await db.sql`select 1 from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'stop_cic_marker' and i.indisvalid`).toHaveLength(0);
    expect(await db.sql`select 1 from tenantctl.schema_migrations where schema_name = 'tenant_stop_cic' and version = '0003'`).toHaveLength(0);
  });
});
