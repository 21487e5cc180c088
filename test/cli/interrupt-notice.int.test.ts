import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';

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
});
