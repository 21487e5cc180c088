import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveConnection, type Sql } from '../../src/db/connect.js';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { runCli, type CliResult } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { schemaExists, seedTenant } from './helpers.js';

const PRODUCTS = join(PACKAGE_ROOT, 'fixtures/products.csv');

/** Hold an advisory lock from outside, as another tenantctl would, until `release()`. */
async function holdAdvisoryLock(sql: Sql, name: string, application: string): Promise<{ pid: number; release: () => Promise<void> }> {
  const reserved = await reserveConnection(sql);
  const conn = reserved as unknown as Sql;
  await conn`select set_config('application_name', ${application}, false)`;
  const [{ pid }] = (await conn`select pg_backend_pid() as pid, pg_advisory_lock(hashtextextended(${name}, 0))`) as unknown as [{ pid: number }];
  return {
    pid,
    release: async () => {
      await conn`select pg_advisory_unlock_all()`;
      reserved.release();
    },
  };
}

/** Until `n` sessions queue on an advisory lock (polled; the test's own timeout bounds it). */
async function advisoryWaiters(sql: Sql, n: number): Promise<void> {
  for (;;) {
    const [{ waiting }] = (await sql`select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted
      and database = (select oid from pg_database where datname = current_database())`) as unknown as [{ waiting: number }];
    if (waiting >= n) return;
    await sleep(50);
  }
}

const noCrash = (r: CliResult): void => {
  expect(r.stderr).not.toMatch(/INTERNAL|deadlock|\n\s+at /);
};

/** issue 12, item 7: one tenant lock for erase, import, export, restore and provisioning. */
describe('the tenant lock', () => {
  let db: TestDatabase;
  let busyId: string;

  const holdLock = (tenantId: string) => holdAdvisoryLock(db.sql, `tenantctl.tenant:${tenantId}`, 'tenantctl import products busy');
  const waiters = (n: number) => advisoryWaiters(db.sql, n);

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    busyId = (await seedTenant(db.sql, 'busy')).id;
    await seedTenant(db.sql, 'calm');
  });
  afterAll(async () => db.drop());

  it('--no-wait fails at once with exit 75 naming the holder, for erase, import, export and tenant export; other tenants are not held up', async () => {
    const holder = await holdLock(busyId);
    try {
      const runs = [
        ['tenant', 'erase', 'busy', '--yes', '--confirm', 'busy', '--reason', 'test', '--no-wait'],
        ['import', 'products', PRODUCTS, '--tenant', 'busy', '--no-wait'],
        ['export', 'products', '--tenant', 'busy', '--no-wait'],
        ['tenant', 'export', 'busy', '--out', join(mkdtempSync(join(tmpdir(), 'tenantctl-lock-')), 'out'), '--no-wait'],
      ];
      for (const args of runs) {
        const r = await runCli(args, { url: db.url });
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(75);
        expect(r.stderr).toContain(`Tenant busy is busy: another command holds its lock (server pid ${holder.pid}, tenantctl import products busy)`);
        noCrash(r);
      }
      const calm = await runCli(['import', 'products', PRODUCTS, '--tenant', 'calm', '--no-wait'], { url: db.url });
      expect(calm.code, calm.stderr).toBe(0);
    } finally {
      await holder.release();
    }
    expect(await schemaExists(db.sql, 'tenant_busy')).toBe(true);
  });

  it('import and erase of the same tenant started together: one waits for the other, no deadlock, no INTERNAL', async () => {
    const holder = await holdLock(busyId);
    const importing = runCli(['import', 'products', PRODUCTS, '--tenant', 'busy'], { url: db.url });
    const erasing = runCli(['tenant', 'erase', 'busy', '--yes', '--confirm', 'busy', '--reason', 'test'], { url: db.url });
    // Both queue behind the holder, then race for the lock the moment it is released.
    await waiters(2);
    await holder.release();
    const [imported, erased] = await Promise.all([importing, erasing]);
    noCrash(imported);
    noCrash(erased);
    expect(erased.code, erased.stderr).toBe(0);
    // The import either ran first (and its rows were erased with the rest), or found the tenant gone.
    if (imported.code !== 0) {
      expect(imported.code).toBe(1);
      expect(imported.stderr).toContain('Tenant busy no longer exists: it was erased while this command was getting ready or waiting for it');
    }
    expect(await schemaExists(db.sql, 'tenant_busy')).toBe(false);
    const [{ n }] = await db.sql`select count(*)::int as n from public.tenants where slug = 'busy'`;
    expect(n).toBe(0);
    // The other tenant is untouched and still usable.
    expect((await runCli(['export', 'products', '--tenant', 'calm'], { url: db.url })).code).toBe(0);
  });
});

/** Suspend, resume, plan and features take the tenant lock too: a tenant erased meanwhile is TENANT_GONE, never a crash or a half change. */
describe('tenant suspend, plan and features against an erasure of the same tenant', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    for (const slug of ['gone1', 'gone2', 'gone3']) await seedTenant(db.sql, slug);
  });
  afterAll(async () => db?.drop());

  it('each waits for the erasure, then says the tenant is gone and writes nothing', async () => {
    const gates = mkdtempSync(join(tmpdir(), 'tenantctl-gone-'));
    for (const [slug, args] of [
      ['gone1', ['tenant', 'suspend', 'gone1', '--reason', 'r']],
      ['gone2', ['tenant', 'plan', 'gone2', 'business', '--reason', 'r']],
      ['gone3', ['tenant', 'features', 'gone3', '--enable', 'white_label', '--reason', 'r']],
    ] as const) {
      // The erasure holds the tenant's lock, uncommitted, until the gate opens.
      const gate = join(gates, slug);
      const erasing = runCli(['tenant', 'erase', slug, '--yes', '--confirm', slug, '--reason', 'test'], { url: db.url, env: { TENANTCTL_FAILPOINT: `tenant-erase:before-commit:wait=${gate}` } });
      while (!existsSync(`${gate}.reached`)) await sleep(50);
      const change = runCli([...args, '--json'], { url: db.url });
      await advisoryWaiters(db.sql, 1);
      writeFileSync(gate, '');
      const [erased, r] = await Promise.all([erasing, change]);
      expect(erased.code, erased.stderr).toBe(0);
      noCrash(r);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(JSON.parse(r.stdout).error.code, slug).toBe('TENANT_GONE');
      expect(await db.sql`select count(*)::int as n from public.tenants where slug = ${slug}`).toEqual([{ n: 0 }]);
    }
  });
});

/** issue 12, item 7: `tenant create` waits like every other tenant-lock command, or with --no-wait fails at once. */
describe('tenant create and the lock of the schema it will occupy', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
  });
  afterAll(async () => db?.drop());

  const create = (slug: string, extra: string[] = []) => runCli(['tenant', 'create', slug, '--name', 'Fresh', '--plan', 'starter', '--owner-email', `o@${slug}.test`, ...extra], { url: db.url });
  const registered = async (slug: string) => ((await db.sql`select count(*)::int as n from public.tenants where slug = ${slug}`)[0] as { n: number }).n;

  it('commerce: --no-wait exits 75 naming the holder and creates nothing; without it, waits and then creates', async () => {
    // What an erase of that slug, a migration of that schema or another create of it holds.
    const holder = await holdAdvisoryLock(db.sql, 'tenantctl.migrate:tenant_fresh', 'tenantctl tenant erase fresh');
    try {
      const r = await create('fresh', ['--no-wait']);
      expect(r.code, r.stderr).toBe(75);
      expect(r.stderr).toContain(`Tenant fresh is busy: another command holds the lock of schema tenant_fresh (server pid ${holder.pid}, tenantctl tenant erase fresh); tenant create did not start.`);
      noCrash(r);
      expect(await registered('fresh')).toBe(0);
      expect(await schemaExists(db.sql, 'tenant_fresh')).toBe(false);
      const json = await create('fresh', ['--no-wait', '--json']);
      expect(json.code).toBe(75);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'TENANT_LOCKED' } });
      const waiting = create('fresh');
      await advisoryWaiters(db.sql, 1);
      await holder.release();
      const done = await waiting;
      expect(done.code, done.stderr).toBe(0);
    } finally {
      await holder.release().catch(() => undefined);
    }
    expect(await registered('fresh')).toBe(1);
    expect(await schemaExists(db.sql, 'tenant_fresh')).toBe(true);
    // Another slug was never held up.
    expect((await create('other', ['--no-wait'])).code).toBe(0);
  });
});

describe('tenant create on a pooled profile', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('imsop');
    const up = await runCli(['--profile', 'imsop', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
  });
  afterAll(async () => db?.drop());

  it('--no-wait exits 75 while another command holds the pooled schema, and creates nothing', async () => {
    const holder = await holdAdvisoryLock(db.sql, 'tenantctl.migrate:public', 'tenantctl migrate up');
    try {
      const r = await runCli(['tenant', 'create', 'Org Busy', '--owner-email', 'b@busy.test', '--no-wait'], { url: db.url });
      expect(r.code, r.stderr).toBe(75);
      expect(r.stderr).toContain(`another command holds the lock of schema public (server pid ${holder.pid}, tenantctl migrate up); tenant create did not start.`);
      noCrash(r);
    } finally {
      await holder.release();
    }
    const [{ n }] = await db.sql`select count(*)::int as n from public.organizations where name = 'Org Busy'`;
    expect(n).toBe(0);
    const created = await runCli(['tenant', 'create', 'Org Busy', '--owner-email', 'b@busy.test', '--no-wait'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
  });

  it('tenant erase --no-wait exits 75 while another command holds the pooled schema or the tenant, and erases nothing', async () => {
    const created = await runCli(['tenant', 'create', 'Org Erase Busy', '--owner-email', 'e@busy.test', '--json'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    const { id } = JSON.parse(created.stdout) as { id: string };
    const erase = () => runCli(['tenant', 'erase', 'Org Erase Busy', '--yes', '--confirm', 'Org Erase Busy', '--reason', 'lock test', '--no-wait'], { url: db.url });
    for (const [lock, label] of [['tenantctl.migrate:public', 'the lock of schema public'], [`tenantctl.tenant:${id}`, 'its lock']] as const) {
      const holder = await holdAdvisoryLock(db.sql, lock, 'tenantctl tenant create Other Org');
      try {
        const r = await erase();
        expect(r.code, r.stderr).toBe(75);
        expect(r.stderr).toContain(`another command holds ${label}`);
        expect(r.stderr).toContain(`server pid ${holder.pid}, tenantctl tenant create Other Org`);
        noCrash(r);
      } finally {
        await holder.release();
      }
      expect((await db.sql`select count(*)::int as n from public.organizations where id = ${id}`)[0]!.n).toBe(1);
    }
    const done = await erase();
    expect(done.code, done.stderr).toBe(0);
  });
});

/** issue 12, item 7: an export's snapshot is taken only once it holds the tenant's lock. */
describe('export: the lock comes before the snapshot', () => {
  let db: TestDatabase;
  let tenantId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    tenantId = (await seedTenant(db.sql, 'snap', 3)).id;
  });
  afterAll(async () => db?.drop());

  /** Until some session holds the tenant's lock (polled; the test's own timeout bounds it). */
  async function lockHeld(): Promise<void> {
    for (;;) {
      const [{ held }] = (await db.sql`select count(*)::int as held from pg_locks where locktype = 'advisory' and granted and objsubid = 1
        and database = (select oid from pg_database where datname = current_database())
        and ((classid::bigint << 32) | objid::bigint) = hashtextextended(${'tenantctl.tenant:' + tenantId}, 0)`) as unknown as [{ held: number }];
      if (held > 0) return;
      await sleep(20);
    }
  }

  it('an erase started after the export took the lock, but before it read anything, waits: the export is whole, then the erase runs', async () => {
    const [{ n }] = (await db.sql`select count(*)::int as n from tenant_snap.products`) as unknown as [{ n: number }];
    // The export pauses between taking the lock and beginning its transaction.
    const exporting = runCli(['export', 'products', '--tenant', 'snap'], { url: db.url, env: { TENANTCTL_FAILPOINT: 'tenant-lock:before-snapshot:sleep=4000' } });
    await lockHeld();
    const erasing = runCli(['tenant', 'erase', 'snap', '--yes', '--confirm', 'snap', '--reason', 'test'], { url: db.url });
    await advisoryWaiters(db.sql, 1);
    // Seen in one statement while the export still sleeps with the lock: the erase waits on the
    // tenant's lock and has dropped nothing. (After the export exits the erase may run at once,
    // so the schema cannot be checked then.)
    const [seen] = (await db.sql`select
        count(*) filter (where granted)::int as holders,
        count(*) filter (where not granted)::int as waiters,
        to_regnamespace('tenant_snap') is not null as schema_there
      from pg_locks where locktype = 'advisory' and objsubid = 1
        and database = (select oid from pg_database where datname = current_database())
        and ((classid::bigint << 32) | objid::bigint) = hashtextextended(${'tenantctl.tenant:' + tenantId}, 0)`) as unknown as [{ holders: number; waiters: number; schema_there: boolean }];
    expect(seen).toEqual({ holders: 1, waiters: 1, schema_there: true });
    const exported = await exporting;
    expect(exported.code, exported.stderr).toBe(0);
    // The export read the whole tenant: the erase could not start before it was done.
    expect(exported.stdout.trim().split('\n')).toHaveLength(n + 1);
    const erased = await erasing;
    expect(erased.code, erased.stderr).toBe(0);
    noCrash(erased);
    expect(await schemaExists(db.sql, 'tenant_snap')).toBe(false);
    // And an export after the erase finds no tenant, instead of an old snapshot of it.
    const after = await runCli(['export', 'products', '--tenant', 'snap'], { url: db.url });
    expect(after.code).not.toBe(0);
    expect(after.stdout).toBe('');
  });
});
