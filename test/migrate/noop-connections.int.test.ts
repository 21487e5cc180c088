import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { seedTenant } from '../tenants/helpers.js';
import { until } from './run-helpers.js';

// A `migrate up` with nothing to do holds the fleet lock on one connection and records its
// profile there: it opens no second connection (each is a new server process, ~50 ms of the
// no-op's ~300 ms at 1,000 tenants). Counted by the server, in pg_stat_database.sessions, once
// every backend of the run has exited (a backend reports its session when it ends).

describe('migrate up with nothing to do', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('mnoop');
    const first = await runCli(['migrate', 'up', '--json'], { url: db.url });
    expect(first.code, first.stderr).toBe(0);
    for (const slug of ['n1', 'n2', 'n3']) await seedTenant(db.sql, slug, 1);
  });
  afterAll(async () => db.drop());

  it('opens one connection to the database', async () => {
    const watcher = await db.sql.reserve();
    const othersGone = async () => ((await watcher`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`)[0] as { n: number }).n === 0;
    const sessions = async () => {
      await until(othersGone, 'the other sessions of the database to end');
      await watcher`select pg_stat_clear_snapshot()`;
      return Number(((await watcher`select sessions from pg_stat_database where datname = current_database()`)[0] as { sessions: string }).sessions);
    };
    try {
      const before = await sessions();
      const run = await runCli(['migrate', 'up', '--json'], { url: db.url });
      expect(run.code, run.stderr).toBe(0);
      expect((JSON.parse(run.stdout) as { summary: { applied: number; upToDate: number } }).summary).toMatchObject({ applied: 0, upToDate: 3 });
      expect(await sessions()).toBe(before + 1);
    } finally {
      watcher.release();
    }
  });
});
