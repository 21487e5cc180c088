import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
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
      await recordProfile(db.sql, { ...commerceProfile, name: 'imsop' }); // the same profile: nothing to say
    } finally {
      await db.drop();
    }
  });
});
