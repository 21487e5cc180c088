import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../src/commands/shared.js';
import { withSessionLock } from '../../src/db/session-lock.js';
import { noteSessionLock } from '../../src/db/session-locks-held.js';
import type { Io } from '../../src/context.js';
import { indexReport } from '../../src/monitor/indexes.js';
import { prepareSession } from '../../src/monitor/session.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { eventually } from './helpers.js';

// A command that succeeded closes its pool without waiting for the server to end its backends:
// they exit on their own just after, holding nothing, since every transaction has committed and
// every session lock was released. After a failure (a statement may still run on another
// connection), or with a session lock whose release was not confirmed, the command returns only
// once its backends are gone, so the next command never finds a lock of it still held. A
// read-only command (the monitor reports) never waits.

/**
 * A TCP relay in front of the test server that holds back the server's end of each connection
 * (its close after Terminate) until `release()`: a command that waits for the server to close
 * cannot return before that, one that does not wait can.
 */
async function closeHoldingRelay(target: URL): Promise<{ url: (from: string) => string; holding: (count: number) => Promise<void>; release: () => void; close: () => Promise<void> }> {
  const heldCloses: Socket[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const hold = (client: Socket) => {
    heldCloses.push(client);
    for (const w of waiters.filter((w) => heldCloses.length >= w.count)) w.resolve();
  };
  const sockets: Socket[] = [];
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = netConnect(Number(target.port || 5432), target.hostname);
    sockets.push(client, upstream);
    client.pipe(upstream);
    upstream.pipe(client, { end: false });
    upstream.on('end', () => hold(client));
    client.on('error', () => undefined);
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: (from) => {
      const url = new URL(from);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    /** Resolves when the server has closed `count` connections (their closes held back). */
    holding: (count) => new Promise((resolve) => (heldCloses.length >= count ? resolve() : waiters.push({ count, resolve }))),
    release: () => heldCloses.splice(0).forEach((client) => client.end()),
    // A backend leaves pg_stat_activity just before its process exits and closes the socket:
    // a close may still be on its way, so every socket goes, held or not.
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }),
  };
}

/**
 * Whether `command` settles while the relay still holds the server's closes: a close that
 * waits for the server would wait for them (up to postgres.js's 5 s timeout). Called once
 * both closes are held, it allows a second for a loaded machine to deliver the command's own
 * socket events, which may come after the relay's.
 */
function settlesWhileHeld(command: Promise<unknown>): Promise<boolean> {
  return Promise.race([command.then(() => true, () => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000))]);
}

function quietIo(): Io {
  return { stdout: new PassThrough(), stderr: new PassThrough(), stdin: Readable.from([]), env: {}, interactive: false, stderrIsTTY: false, color: false, now: () => new Date(), cwd: process.cwd() };
}

describe('closing the pool: after success nothing waits for the server; after a failure or with a lock held, the close does', () => {
  let db: TestDatabase;
  let run = 0;
  /** The test database's URL with an application_name of its own, to find the command's backends. */
  const named = () => {
    run += 1;
    const applicationName = `close-test-${run}`;
    const url = new URL(db.url);
    url.searchParams.set('application_name', applicationName);
    return { applicationName, url: url.toString() };
  };
  const backends = async (applicationName: string) =>
    (await db.sql<{ pid: number }[]>`select pid from pg_stat_activity where application_name = ${applicationName}`).map((r) => r.pid);

  beforeAll(async () => {
    db = await createTestDatabase('close');
    await db.sql`create table public.t (a int primary key, b int)`;
    await db.sql`create index t_b on public.t (b)`;
    await db.sql`create index t_b_again on public.t (b)`;
  });
  afterAll(async () => db?.drop());

  it('a read-only command returns without waiting even after a failure, and both of its backends exit', async () => {
    const { applicationName, url } = named();
    const relay = await closeHoldingRelay(new URL(db.url));
    let seen: number[] = [];
    const command = withDatabase(quietIo(), { databaseUrl: relay.url(url) }, async (sql) => {
      await prepareSession(sql);
      const report = await indexReport(sql, { schemas: ['public'] });
      expect(report.findings.map((f) => `${f.kind} ${f.index}`).sort()).toEqual(['duplicate t_b_again', 'unused t_b', 'unused t_b_again']);
      seen = await backends(applicationName);
      // Fails while a statement still runs on the other connection.
      await Promise.all([sql`select pg_sleep(0.2)`, sql`select 1 / 0`]);
    }, 2, { waitForClose: false }).then(() => 'resolved', (error: Error) => error.message);
    // Its two statements ran side by side: two backends, both sent Terminate by the command,
    // which returns while the server's closes are held back.
    await relay.holding(2);
    expect(await settlesWhileHeld(command)).toBe(true);
    expect(seen).toHaveLength(2);
    expect(await command).toMatch(/division by zero/);
    await eventually(async () => (await backends(applicationName)).length === 0, `the backends ${seen.join(', ')} to exit`);
    relay.release();
    await relay.close();
  });

  it('after success the default close returns while the server\'s closes are held back, and the session lock it took is already free', async () => {
    const { applicationName, url } = named();
    const relay = await closeHoldingRelay(new URL(db.url));
    let seen: number[] = [];
    const command = withDatabase(quietIo(), { databaseUrl: relay.url(url) }, async (sql) => {
      await withSessionLock(sql, 'close-test-lock', () => undefined, async () => {
        await Promise.all([sql`select pg_sleep(0.1)`, sql`select pg_sleep(0.1)`]);
      });
      seen = await backends(applicationName);
    }, 2);
    // The server has ended both backends, their closes held back: the command returns all the
    // same, having closed its sockets right after writing Terminate. A close that waited for the
    // server would still be waiting here.
    await relay.holding(2);
    expect(await settlesWhileHeld(command)).toBe(true);
    expect(seen).toHaveLength(2);
    await command;
    const [{ locks }] = await db.sql<{ locks: number }[]>`select count(*)::int as locks from pg_locks where locktype = 'advisory' and pid = any(${seen})`;
    expect(locks).toBe(0);
    relay.release();
    await relay.close();
  });

  it('after a failure the close waits until the server has closed every connection, the statement still running on the other one included', async () => {
    const { applicationName, url } = named();
    const relay = await closeHoldingRelay(new URL(db.url));
    let returned = false;
    let opened = 0;
    const command = withDatabase(quietIo(), { databaseUrl: relay.url(url) }, async (sql) => {
      await sql`select 1`;
      opened = (await backends(applicationName)).length;
      // The failure comes back while pg_sleep still runs on the second connection.
      await Promise.all([sql`select pg_sleep(0.3)`, sql`select 1 / 0`]);
    }, 2).then(() => 'resolved', (error: Error) => error.message).finally(() => (returned = true));
    await relay.holding(2);
    expect(opened).toBeGreaterThanOrEqual(1);
    expect(returned).toBe(false);
    relay.release();
    expect(await command).toMatch(/division by zero/);
    await relay.close();
  });

  it('the built CLI: monitor indexes prints its report, and its backends are gone shortly after', async () => {
    const { applicationName, url } = named();
    const r = await runCli(['monitor', 'indexes', '--schema', 'public', '--json'], { url });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { counts: { duplicate: number } }).counts.duplicate).toBe(1);
    await eventually(async () => (await backends(applicationName)).length === 0, 'the backends of monitor indexes to exit');
  });

  it('a session lock whose release was not confirmed: the command returns only once the server has ended its backends, which released it', async () => {
    const { applicationName, url } = named();
    const relay = await closeHoldingRelay(new URL(db.url));
    let returned = false;
    let held: number[] = [];
    const command = withDatabase(quietIo(), { databaseUrl: relay.url(url) }, async (sql) => {
      // Two connections, each holding a session-level advisory lock when the work ends, noted and never released.
      noteSessionLock(sql);
      await Promise.all([sql`select pg_advisory_lock(19001), pg_sleep(0.2)`, sql`select pg_advisory_lock(19002), pg_sleep(0.2)`]);
      held = await backends(applicationName);
    }, 2).then(() => (returned = true));
    await relay.holding(2);
    expect(held).toHaveLength(2);
    expect(returned).toBe(false);
    relay.release();
    await command;
    expect(await backends(applicationName)).toEqual([]);
    const [{ locks }] = await db.sql<{ locks: number }[]>`select count(*)::int as locks from pg_locks where locktype = 'advisory' and objid in (19001, 19002)
      and database = (select oid from pg_database where datname = current_database())`;
    expect(locks).toBe(0);
    await relay.close();
  });
});
