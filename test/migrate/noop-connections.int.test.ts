import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { seedTenant } from '../tenants/helpers.js';
import { until } from './run-helpers.js';

// A `migrate up` with nothing to do holds the fleet lock on one connection and records its
// profile there: it opens no second connection (each is a new server process, ~50 ms of the
// no-op's ~300 ms at 1,000 tenants). Counted by the server, in pg_stat_database.sessions, once
// every backend of the run has exited (a backend reports its session when it ends). The CLI's
// sessions carry an application name of their own, so that the wait for them does not depend on
// how many connections the test's own pool holds open (those add no session while idle).

describe('migrate up with nothing to do', () => {
  let db: TestDatabase;
  const APP = 'noop-connections-cli';
  /** The test database's URL with the CLI's own application name. */
  const cliUrl = () => {
    const u = new URL(db.url);
    u.searchParams.set('application_name', APP);
    return u.toString();
  };

  beforeAll(async () => {
    db = await createTestDatabase('mnoop');
    const first = await runCli(['migrate', 'up', '--json'], { url: cliUrl() });
    expect(first.code, first.stderr).toBe(0);
    for (const slug of ['n1', 'n2', 'n3']) await seedTenant(db.sql, slug, 1);
  });
  afterAll(async () => db.drop());

  it('opens one connection to the database', async () => {
    const watcher = await db.sql.reserve();
    const cliGone = async () => ((await watcher`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = ${APP}`)[0] as { n: number }).n === 0;
    const sessions = async () => {
      await until(cliGone, 'the CLI\'s sessions to end');
      await watcher`select pg_stat_clear_snapshot()`;
      return Number(((await watcher`select sessions from pg_stat_database where datname = current_database()`)[0] as { sessions: string }).sessions);
    };
    try {
      const before = await sessions();
      const run = await runCli(['migrate', 'up', '--json'], { url: cliUrl() });
      expect(run.code, run.stderr).toBe(0);
      expect((JSON.parse(run.stdout) as { summary: { applied: number; upToDate: number } }).summary).toMatchObject({ applied: 0, upToDate: 3 });
      expect(await sessions()).toBe(before + 1);
    } finally {
      watcher.release();
    }
  });
});
