import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, type CliResult } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { seedTenant } from './helpers.js';

/**
 * `tenant show` and `tenant list --exact-sizes` waited silently for as long as an application
 * held a table of the tenant locked (ACCESS EXCLUSIVE), where every monitor command returns at
 * once. Now, as monitor: a locked table is left out and named, and any other wait for a lock
 * is bounded by --lock-timeout (monitor's 2 s default).
 */
/** runCli, but killed after 15 s (the old code waited for as long as the lock was held). */
function runWithin(args: string[], url: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawnCli(args, { url });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr: signal ? `${stderr}(killed: still waiting after 15 s)` : stderr });
    });
  });
}

describe('tenant show / tenant list --exact-sizes behind an ACCESS EXCLUSIVE lock', () => {
  let db: TestDatabase;
  let holder: Awaited<ReturnType<TestDatabase['sql']['reserve']>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    await seedTenant(db.sql, 'acme');
    holder = await db.sql.reserve();
  });
  afterAll(async () => {
    holder?.release();
    await db?.drop();
  });

  const holding = async <T>(table: string, work: () => Promise<T>): Promise<T> => {
    await holder`begin`;
    await holder.unsafe(`lock table ${table} in access exclusive mode`);
    try {
      return await work();
    } finally {
      await holder`rollback`;
    }
  };

  it('tenant show: the other figures at once, the locked table named, exit 0', async () => {
    await holding('tenant_acme.products', async () => {
      const started = Date.now();
      const r = await runWithin(['tenant', 'show', 'acme', '--json'], db.url);
      expect(r.code, r.stderr).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      const shown = JSON.parse(r.stdout) as { locked: string[]; users: number; tables: { table: string; rows: number | null }[] };
      expect(shown.locked).toEqual(['tenant_acme.products']);
      expect(shown.tables.find((t) => t.table === 'products')!.rows).toBeNull();
      expect(shown.tables.find((t) => t.table === 'users')!.rows).toBe(2);
      expect(shown.users).toBe(2);
      const human = await runWithin(['tenant', 'show', 'acme'], db.url);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toMatch(/products\s.*LOCKED/);
      expect(human.stdout).toContain('ACCESS EXCLUSIVE lock on tenant_acme.products');
    });
  });

  it('tenant show: the users table locked leaves out the owners, named', async () => {
    await holding('tenant_acme.users', async () => {
      const r = await runWithin(['tenant', 'show', 'acme', '--json'], db.url);
      expect(r.code, r.stderr).toBe(0);
      const shown = JSON.parse(r.stdout) as { locked: string[]; users: number | null };
      expect(shown.locked).toEqual(['tenant_acme.users']);
      expect(shown.users).toBeNull();
    });
  });

  it('tenant list --exact-sizes: sizes without the locked table, and a note', async () => {
    await holding('tenant_acme.products', async () => {
      const r = await runWithin(['tenant', 'list', '--exact-sizes', '--json'], db.url);
      expect(r.code, r.stderr).toBe(0);
      const [acme] = JSON.parse(r.stdout) as { slug: string; sizeBytes: number; sizeLockedTables: number }[];
      expect(acme).toMatchObject({ slug: 'acme', sizeLockedTables: 1 });
      expect(acme!.sizeBytes).toBeGreaterThan(0);
      const human = await runWithin(['tenant', 'list', '--exact-sizes'], db.url);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout + human.stderr).toContain('acme (1): tables someone holds or awaits an ACCESS EXCLUSIVE');
    });
  });

  it('a lock on what tenant show must read gives up after --lock-timeout with a clear error', async () => {
    await holding('public.audit_logs', async () => {
      const started = Date.now();
      const r = await runWithin(['tenant', 'show', 'acme', '--lock-timeout', '300ms'], db.url);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Gave up waiting for a lock');
      expect(r.stderr).not.toContain('This was not expected');
    });
  });

  it('--lock-timeout is checked like monitor\'s', async () => {
    const r = await runCli(['tenant', 'show', 'acme', '--lock-timeout', '5 parsecs'], { url: db.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--lock-timeout must be a duration');
  });
});
