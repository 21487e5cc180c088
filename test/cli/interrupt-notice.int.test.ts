import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { background, until } from '../migrate/run-helpers.js';

/** Run `args` until its failpoint is reached, send `signal`, and collect what it said. */
async function interrupted(db: TestDatabase, args: string[], point: string, signal: NodeJS.Signals) {
  const gate = join(mkdtempSync(join(tmpdir(), 'tenantctl-interrupt-')), 'gate');
  const child = spawnCli(args, { url: db.url, env: { TENANTCTL_FAILPOINT: `${point}:wait=${gate}` } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  while (!existsSync(`${gate}.reached`)) await sleep(50);
  child.kill(signal);
  const code = await closed;
  writeFileSync(gate, '');
  return { code, stdout, stderr };
}

/** A command with no signal handler of its own says why it stopped, and under --json gives its document. */
describe('interrupting a command that has no handler of its own', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('intr');
    await migrateAll(db.sql);
  });
  afterAll(async () => db?.drop());

  it('tenant create: SIGINT exits 130 saying so, SIGTERM 143 with the JSON document; nothing is created', async () => {
    const create = (slug: string) => ['tenant', 'create', slug, '--name', 'X', '--plan', 'starter', '--owner-email', `o@${slug}.test`];
    const human = await interrupted(db, create('intr1'), 'tenant-create:before-commit', 'SIGINT');
    expect(human.code).toBe(130);
    expect(human.stderr).toContain('SIGINT received: stopped. What was already committed stays; the transaction under way is rolled back');
    const json = await interrupted(db, [...create('intr2'), '--json'], 'tenant-create:before-commit', 'SIGTERM');
    expect(json.code).toBe(143);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'INTERRUPTED', details: { signal: 'SIGTERM' } } });
    await sleep(200);
    expect(await db.sql`select slug from public.tenants where slug in ('intr1', 'intr2')`).toEqual([]);
  });

  it('a statement running on the server is cancelled before the process exits, and the message says so', async () => {
    // The command's statements wait on this transaction's lock: they run on the server, not in the process.
    const holder = await db.sql.reserve();
    const waiting = async () => (await db.sql`select pid from pg_stat_activity where datname = current_database() and state = 'active' and wait_event_type = 'Lock'`).length;
    try {
      await holder`begin`;
      await holder`lock table public.tenants in access exclusive mode`;
      const run = background(['tenant', 'create', 'intr3', '--name', 'X', '--plan', 'starter', '--owner-email', 'o@intr3.test', '--json'], db.url);
      await until(async () => (await waiting()) > 0, 'tenant create to wait on the lock');
      run.child.kill('SIGTERM');
      expect(await run.code, run.out.stderr).toBe(143);
      // It used to go on waiting (and then run) although the process had said it stopped.
      await until(async () => (await waiting()) === 0, 'the cancelled statement to leave pg_stat_activity');
      expect(run.out.stderr).toContain('SIGTERM received: stopped. What was already committed stays; the statement that was running on the server was cancelled');
      expect(JSON.parse(run.out.stdout)).toMatchObject({ ok: false, error: { code: 'INTERRUPTED', details: { signal: 'SIGTERM', server: { running: 1, cancelled: 1, notCancelled: [] } } } });
    } finally {
      await holder`rollback`;
      holder.release();
    }
    expect(await db.sql`select slug from public.tenants where slug = 'intr3'`).toEqual([]);
  });

  it('a cancel the server does not take in time: the message says the statement may still run, and what to do', async () => {
    // A proxy in front of the server that passes sessions through but swallows cancel requests.
    const target = new URL(db.url);
    const held: Socket[] = [];
    const proxy = createServer({ allowHalfOpen: true }, (client) => {
      client.once('data', (first: Buffer) => {
        if (first.length >= 8 && first.readUInt32BE(4) === 80877102) return void held.push(client);
        const server = connect(Number(target.port), target.hostname, () => {
          server.write(first);
          client.pipe(server).pipe(client);
        });
        server.on('error', () => client.destroy());
        client.on('error', () => server.destroy());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String((proxy.address() as { port: number }).port);
    const holder = await db.sql.reserve();
    const waiting = async () => (await db.sql`select pid from pg_stat_activity where datname = current_database() and state = 'active' and wait_event_type = 'Lock'`);
    try {
      await holder`begin`;
      await holder`lock table public.tenants in access exclusive mode`;
      const run = background(['tenant', 'create', 'intr4', '--name', 'X', '--plan', 'starter', '--owner-email', 'o@intr4.test'], viaProxy.toString());
      await until(async () => (await waiting()).length > 0, 'tenant create to wait on the lock');
      run.child.kill('SIGINT');
      expect(await run.code, run.out.stderr).toBe(130);
      expect(run.out.stderr).toContain('SIGINT received: stopped. What was already committed stays; the cancel of the statement running on the server failed or was not confirmed (no answer from the server within 2 s)');
      expect(run.out.stderr).toContain('pg_cancel_backend(pid)');
      // As it says: the statement still waits on the server.
      expect((await waiting()).length).toBeGreaterThan(0);
    } finally {
      for (const { pid } of await waiting()) await db.sql`select pg_cancel_backend(${pid})`;
      await holder`rollback`;
      holder.release();
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
