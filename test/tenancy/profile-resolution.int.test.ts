import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, freshPool, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';
import { until } from '../migrate/run-helpers.js';
import { seedTenant } from '../tenants/helpers.js';
import { commerce as commerceProfile } from '../../src/tenancy/profiles/commerce.js';
import { recordProfile, recordedProfile } from '../../src/tenancy/resolve-profile.js';

/** Which profile a command runs with: --profile, TENANTCTL_PROFILE, the database's record, or commerce. */
describe('profile resolution', () => {
  let pooled: TestDatabase;
  let commerce: TestDatabase;
  beforeAll(async () => {
    [pooled, commerce] = await Promise.all([createTestDatabase('prof'), createTestDatabase('prof')]);
  });
  afterAll(async () => Promise.all([pooled.drop(), commerce.drop()]));

  it('an unknown profile name is a usage error listing the built-in ones, before connecting', async () => {
    const r = await runCli(['--profile', 'nope', 'tenant', 'list'], { url: 'postgresql://nobody@127.0.0.1:1/none' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown profile "nope" (--profile)');
    expect(r.stderr).toContain('commerce, imsop');
    const env = await runCli(['tenant', 'list'], { url: 'postgresql://nobody@127.0.0.1:1/none', env: { TENANTCTL_PROFILE: 'nope' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('Unknown profile "nope" (TENANTCTL_PROFILE)');
  });

  it('TENANTCTL_PROFILE does what --profile does, the first migrate up records it, later commands need neither', async () => {
    const up = await runCli(['migrate', 'up'], { url: pooled.url, env: { TENANTCTL_PROFILE: 'imsop' } });
    expect(up.code, up.stderr).toBe(0);
    expect(await pooled.sql`select name from tenantctl.profile`).toEqual([{ name: 'imsop' }]);
    const created = await runCli(['tenant', 'create', 'Org Env', '--owner-email', 'a@env.test'], { url: pooled.url });
    expect(created.code, created.stderr).toBe(0);
    const list = await runCli(['tenant', 'list', '--json', '--debug'], { url: pooled.url });
    expect(list.stderr).toContain('profile imsop (from database)');
    expect(JSON.parse(list.stdout).map((t: { slug: string }) => t.slug)).toEqual(['Org Env']);
    // Naming the recorded profile is fine; naming another is a usage error that names both.
    expect((await runCli(['--profile', 'imsop', 'tenant', 'list'], { url: pooled.url })).code).toBe(0);
    const wrong = await runCli(['migrate', 'status'], { url: pooled.url, env: { TENANTCTL_PROFILE: 'commerce' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('belongs to profile "imsop"');
    expect(wrong.stderr).toContain('TENANTCTL_PROFILE=commerce asks for profile "commerce"');
    // A mismatched migrate up records nothing and changes nothing.
    expect((await runCli(['--profile', 'commerce', 'migrate', 'up'], { url: pooled.url })).code).toBe(2);
    expect(await pooled.sql`select to_regclass('public.tenants') as t`).toEqual([{ t: null }]);
  });

  it('a commerce database migrated before profiles existed has no record: it is commerce, recorded at its next migrate up', async () => {
    await migrateAll(commerce.sql); // the engine alone, as before profiles: no record
    const t = await seedTenant(commerce.sql, 'legacy');
    expect(await commerce.sql`select to_regclass('tenantctl.profile') as t`).toEqual([{ t: null }]);
    const show = await runCli(['tenant', 'show', 'legacy', '--json', '--debug'], { url: commerce.url });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stderr).toContain('profile commerce (from default)');
    expect((await runCli(['migrate', 'up'], { url: commerce.url })).code).toBe(0);
    expect(await commerce.sql`select name from tenantctl.profile`).toEqual([{ name: 'commerce' }]);
    const imsop = await runCli(['--profile', 'imsop', 'tenant', 'list'], { url: commerce.url });
    expect(imsop.code).toBe(2);
    expect(imsop.stderr).toContain('belongs to profile "commerce"');
    // Every command that takes a tenant takes its id as well as its slug.
    const byId = await runCli(['tenant', 'show', t.id, '--json'], { url: commerce.url });
    expect(JSON.parse(byId.stdout)).toEqual(JSON.parse(show.stdout));
    const migrateById = await runCli(['migrate', 'status', '--tenant', t.id, '--json'], { url: commerce.url });
    expect(migrateById.code, migrateById.stderr).toBe(0);
    const exportById = await runCli(['export', 'products', '--tenant', t.id], { url: commerce.url });
    expect(exportById.code, exportById.stderr).toBe(0);
    expect(exportById.stdout).toContain('legacy-sku-0');
  });

  it('an unknown tenant is TENANT_NOT_FOUND with exit 2 from every command that takes one', async () => {
    const runs = [
      ['tenant', 'show', 'ghost'],
      ['tenant', 'suspend', 'ghost', '--reason', 'x'],
      ['tenant', 'features', 'ghost'],
      ['tenant', 'plan', 'ghost', 'starter'],
      ['tenant', 'erase', 'ghost', '--dry-run'],
      ['migrate', 'up', '--tenant', 'ghost'],
      ['import', 'products', '/dev/null', '--tenant', 'ghost'],
      ['export', 'products', '--tenant', 'ghost'],
      ['monitor', 'table-sizes', '--tenant', 'ghost'],
    ];
    for (const args of runs) {
      const r = await runCli([...args, '--json'], { url: commerce.url });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(JSON.parse(r.stdout).error.code, args.join(' ')).toBe('TENANT_NOT_FOUND');
      expect(r.stderr, args.join(' ')).toContain('Unknown tenant: ghost');
    }
  });
  it('a first migrate up that applies nothing leaves no profile record: the next run may use another profile', async () => {
    const db = await createTestDatabase('prof');
    try {
      await db.sql`create table public.audit_logs (id int)`;
      const failed = await runCli(['migrate', 'up'], { url: db.url });
      expect(failed.code, failed.stderr).toBe(1);
      expect(failed.stdout + failed.stderr).toContain('0001_platform.sql');
      expect((await db.sql`select count(*)::int as n from tenantctl.schema_migrations`)[0]!.n).toBe(0);
      expect(await recordedProfile(db.sql)).toBeNull();
      await db.sql`drop table public.audit_logs`;
      const imsop = await runCli(['--profile', 'imsop', 'migrate', 'up'], { url: db.url });
      expect(imsop.code, imsop.stderr).toBe(0);
      expect(await recordedProfile(db.sql)).toBe('imsop');
      // A run that applied something keeps the record it made, even when it failed later.
      const again = await createTestDatabase('prof');
      try {
        const dir = await migrationsWith({ 'shared/0099_broken.sql': '-- migrate:up\nselect no_such_function();\n-- migrate:down\nselect 1;\n' });
        const partly = await runCli(['migrate', 'up', '--migrations-dir', dir], { url: again.url });
        expect(partly.code, partly.stderr).toBe(1);
        expect(await recordedProfile(again.sql)).toBe('commerce');
      } finally {
        await again.drop();
      }
    } finally {
      await db.drop();
    }
  });

  it('a first run queued behind a first run that applies nothing keeps the record: the one that gave up removes its own under the fleet lock', async () => {
    const db = await createTestDatabase('prof');
    const GATE = 912_345;
    // One session of its own: it holds the gate while the runs' connections come and go.
    const gate = await freshPool(db);
    try {
      // A: records commerce, holds the fleet lock, waits at the gate, then fails with nothing applied.
      const failing = await migrationsWith({ 'shared/0000_gate.sql': `-- migrate:up\nselect pg_advisory_xact_lock_shared(${GATE});\nselect 1 / 0;\n-- migrate:down\nselect 1;\n` });
      await gate`select pg_advisory_lock(${GATE})`;
      const first = runCli(['migrate', 'up', '--migrations-dir', failing], { url: db.url });
      const waiting = async () => (await gate`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
        and database = (select oid from pg_database where datname = current_database())`)[0]!.n as number;
      await until(async () => (await waiting()) === 1, 'the first run to wait at the gate');
      // B: the same profile, queued behind A on the fleet lock.
      const second = runCli(['migrate', 'up'], { url: db.url });
      await until(async () => (await waiting()) === 2, 'the second run to queue on the fleet lock');
      await gate`select pg_advisory_unlock(${GATE})`;
      expect((await first).code).toBe(1);
      const b = await second;
      expect(b.code, b.stderr).toBe(0);
      expect(await recordedProfile(gate)).toBe('commerce');
    } finally {
      await gate.end();
      await db.drop();
    }
  });

  it('two first runs at once: an empty profile table reads as no record, and the one that records second with another profile is refused', async () => {
    const db = await createTestDatabase('prof');
    try {
      // Between the first run's two statements (create the table, record the row), others read it.
      await db.sql.unsafe(`create schema tenantctl; create table tenantctl.profile (singleton boolean primary key default true check (singleton), name text not null, recorded_at timestamptz not null default now(), recorded_by text not null default current_user)`);
      expect(await recordedProfile(db.sql)).toBeNull();
      const status = await runCli(['migrate', 'status', '--json'], { url: db.url });
      expect(status.code, status.stderr).toBe(0);
      await db.sql`insert into tenantctl.profile (name) values ('imsop')`;
      const refused = await recordProfile(db.sql, commerceProfile).then(() => null, (e: Error & { exitCode?: number }) => e);
      expect(refused?.message).toContain('just recorded as profile "imsop" by another tenantctl run');
      expect(await recordedProfile(db.sql)).toBe('imsop');
      expect(await recordProfile(db.sql, { ...commerceProfile, name: 'imsop' })).toBe(false); // the same profile: nothing to say, and not this call's record
    } finally {
      await db.drop();
    }
  });
});
