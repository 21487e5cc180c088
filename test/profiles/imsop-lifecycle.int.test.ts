import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * IMSOP (a pooled profile) end to end through the built CLI: the first migrate up names
 * the profile, every later command finds it in the database.
 */
describe('imsop profile: lifecycle commands on a pooled database', () => {
  let db: TestDatabase;
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { url: db.url, env });
  const json = async (args: string[]) => {
    const r = await cli([...args, '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  const count = async (table: string, orgId: string) => Number((await db.sql`select count(*)::int as n from ${db.sql(table)} where organization_id = ${orgId}`)[0]!.n);

  beforeAll(async () => {
    db = await createTestDatabase('imsop');
  });
  afterAll(async () => db.drop());

  it('migrate up --profile imsop creates the seed schema as one target and records the profile', async () => {
    const up = await cli(['--profile', 'imsop', 'migrate', 'up', '--json']);
    expect(up.code, up.stderr).toBe(0);
    const report = JSON.parse(up.stdout);
    expect(report.shared).toMatchObject({ schema: 'public', outcome: 'applied', versions: ['0001', '0002', '0003'] });
    expect(report.tenants).toEqual([]);
    const [{ n }] = await db.sql`select count(*)::int as n from pg_tables where schemaname = 'public' and tablename in ('organizations', 'users', 'roles', 'permissions', 'inventory', 'analytics_metrics')`;
    expect(n).toBe(6);
    expect(await db.sql`select name from tenantctl.profile`).toEqual([{ name: 'imsop' }]);
    // No flag from here on: the database says which profile it is.
    const status = await json(['migrate', 'status']);
    expect((await cli(['migrate', 'status'])).stdout).toContain('tenants          no schemas of their own: every tenant is rows of the shared schema above');
    expect(status).toMatchObject({ upToDate: true, latest: { shared: '0003', tenant: null }, shared: { version: '0003', pending: [] } });
    expect((await json(['migrate', 'verify'])).ok).toBe(true);
    // down reverts the last migration of the one target, up re-applies it. Its down section
    // deletes the permission catalogue's rows: that is rows destroyed, so it needs --drop-data.
    const refused = await cli(['migrate', 'down', '--yes']);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/delete\s*│\s*public\.permissions\s*│\s*1\s*│\s*40\s*│/);
    const down = await json(['migrate', 'down', '--yes', '--drop-data']);
    expect(down.shared).toMatchObject({ schema: 'public', outcome: 'reverted', versions: ['0003'] });
    expect((await db.sql`select count(*)::int as n from permissions`)[0]!.n).toBe(0);
    expect((await json(['migrate', 'status'])).shared.pending).toEqual(['0003']);
    expect((await json(['migrate', 'up'])).shared.versions).toEqual(['0003']);
  });

  it('a migration that renames the organizations table is rolled back: the organizations stay tenants', async () => {
    await json(['tenant', 'create', 'Renamed Away Ltd', '--owner-email', 'admin@renamed.test']);
    const dir = await mkdtemp(join(tmpdir(), 'imsop-rename-'));
    await cp(join(PACKAGE_ROOT, 'migrations', 'imsop'), join(dir, 'imsop'), { recursive: true });
    await writeFile(join(dir, 'imsop', '0004_rename.sql'), '-- migrate:up\nalter table organizations rename to orgs_old;\n-- migrate:down\nselect 1;\n');
    const r = await cli(['migrate', 'up', '--migrations-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('it dropped, renamed or moved the tenant registry public.organizations');
    expect((await json(['tenant', 'list'])).map((t: { name: string }) => t.name)).toContain('Renamed Away Ltd');
    await json(['tenant', 'erase', 'Renamed Away Ltd', '--yes', '--confirm', 'Renamed Away Ltd', '--reason', 'test']);
  });

  it('migrate new writes the next file into the profile\'s own folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imsop-new-'));
    const created = await json(['--profile', 'imsop', 'migrate', 'new', 'add notes', '--migrations-dir', dir]);
    expect(created.created).toBe(join(dir, 'imsop', '0001_add_notes.sql'));
    const tenantScope = await cli(['--profile', 'imsop', 'migrate', 'new', 'x', '--scope', 'tenant', '--migrations-dir', dir]);
    expect(tenantScope.code).toBe(2);
    expect(tenantScope.stderr).toContain('has no per-tenant migrations');
  });

  it('--tenant means nothing for a pooled target, and a flag that disagrees with the record names both', async () => {
    const tenant = await cli(['migrate', 'up', '--tenant', 'x']);
    expect(tenant.code).toBe(2);
    expect(tenant.stderr).toContain('--tenant and --tenants-only do not apply');
    const wrong = await cli(['--profile', 'commerce', 'tenant', 'list']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/belongs to profile "imsop".*--profile commerce asks for profile "commerce"/);
  });

  it('tenant create provisions the organization, an admin role with every permission and the first user, in one go', async () => {
    const created = await json(['tenant', 'create', 'Org A', '--owner-email', 'Admin@Org-A.test', '--owner-name', 'Ada Lovelace', '--tier', 'professional']);
    expect(created).toMatchObject({ slug: 'Org A', status: 'active', plan: 'professional', owner: { email: 'admin@org-a.test', role: 'admin' }, schemaVersion: '0003' });
    const [org] = await db.sql`select id::text, status::text, subscription_tier::text as tier from organizations where name = 'Org A'`;
    expect(org).toEqual({ id: created.id, status: 'active', tier: 'professional' });
    const [role] = await db.sql`select r.name, r.is_system, count(rp.*)::int as permissions from roles r left join role_permissions rp on rp.role_id = r.id where r.organization_id = ${created.id} group by r.id`;
    const [{ all }] = await db.sql`select count(*)::int as all from permissions`;
    expect(all).toBeGreaterThan(0);
    expect(role).toEqual({ name: 'admin', is_system: true, permissions: all });
    const [user] = await db.sql`select u.email, u.first_name, u.last_name, r.name as role from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id where u.organization_id = ${created.id}`;
    expect(user).toEqual({ email: 'admin@org-a.test', first_name: 'Ada', last_name: 'Lovelace', role: 'admin' });
  });

  it('tenant create is atomic: a failure after any step leaves nothing, and a taken name is refused', async () => {
    for (const point of ['tenant-create:after-registry', 'tenant-create:before-commit']) {
      const r = await cli(['tenant', 'create', 'Org F', '--owner-email', 'f@org-f.test'], { TENANTCTL_FAILPOINT: point });
      expect(r.code, point).toBe(1);
      expect(r.stderr).toContain(`Failpoint ${point}`);
      const [left] = await db.sql`select (select count(*) from organizations where name = 'Org F')::int as orgs, (select count(*) from users where email = 'f@org-f.test')::int as users, (select count(*) from roles r where not exists (select 1 from organizations o where o.id = r.organization_id))::int as orphans`;
      expect(left).toEqual({ orgs: 0, users: 0, orphans: 0 });
    }
    const dup = await cli(['tenant', 'create', 'Org A', '--owner-email', 'other@org-a.test']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('A tenant with name "Org A" already exists');
    const foreign = await cli(['tenant', 'create', 'Org G', '--owner-email', 'g@g.test', '--plan', 'starter']);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('--plan does not apply to profile imsop');
    const missing = await cli(['tenant', 'create', 'Org G']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--owner-email');
  });

  it('an organization the application inserted is a tenant to every command, by name or by id', async () => {
    const [app] = await db.sql`insert into organizations (name, subscription_tier) values ('App Org', 'enterprise') returning id::text`;
    await db.sql`insert into users (organization_id, email, password_hash) values (${app!.id}, 'x@app.test', 'h')`;
    const list = await json(['tenant', 'list']);
    expect(list.map((t: { slug: string }) => t.slug)).toEqual(['App Org', 'Org A']);
    expect(list[0]).toMatchObject({ name: 'App Org', status: 'active', plan: 'enterprise', schemaVersion: '0003', schemaExists: true });
    // Pages like commerce's list (slug order); sizes are row-share estimates, never exact.
    expect((await json(['tenant', 'list', '--limit', '1', '--offset', '1'])).map((t: { slug: string }) => t.slug)).toEqual(['Org A']);
    expect((await json(['tenant', 'list', '--exact-sizes']))[0]).toMatchObject({ slug: 'App Org', sizeExact: false });
    const byName = await json(['tenant', 'show', 'App Org']);
    const byId = await json(['tenant', 'show', app!.id]);
    expect(byId).toEqual(byName);
    expect(byName.tables).toContainEqual(expect.objectContaining({ table: 'users', class: 'direct', rows: 1 }));
    expect(byName.tables).toContainEqual(expect.objectContaining({ table: 'organizations', class: 'registry', rows: 1 }));
  });

  it('suspends and resumes by name or id; the status is the registry column', async () => {
    const s = await cli(['tenant', 'suspend', 'App Org', '--reason', 'unpaid']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toContain('active → suspended');
    const [{ id }] = await db.sql`select id::text from organizations where name = 'App Org'`;
    expect((await cli(['tenant', 'suspend', id, '--reason', 'x'])).stdout).toContain('already suspended');
    expect((await json(['tenant', 'list', '--status', 'suspended'])).map((t: { slug: string }) => t.slug)).toEqual(['App Org']);
    expect((await cli(['tenant', 'resume', id, '--reason', 'paid'])).code).toBe(0);
    expect((await db.sql`select status::text from organizations where id = ${id}`)[0]!.status).toBe('active');
    // The warm pool holds spare tenant schemas; a pooled profile has none, and says so.
    const pool = await cli(['tenant', 'pool', 'status']);
    expect(pool.code).toBe(2);
    expect(pool.stderr).toContain('Profile imsop is pooled: it has no tenant schemas');
    // Plans and feature flags are commerce's; IMSOP has a tier column instead.
    const plan = await cli(['tenant', 'plan', 'App Org', 'starter']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain('profile imsop has none');
  });

  it('an unknown tenant is the same error with the same exit code for every command', async () => {
    const runs = [
      ['tenant', 'show', 'Nobody Inc'],
      ['tenant', 'suspend', 'Nobody Inc', '--reason', 'x'],
      ['tenant', 'export', 'Nobody Inc', '--out', join(tmpdir(), 'never-written')],
      ['tenant', 'erase', 'Nobody Inc', '--dry-run'],
      ['tenant', 'show', '00000000-0000-0000-0000-000000000000'],
    ];
    for (const args of runs) {
      const r = await cli([...args, '--json']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(JSON.parse(r.stdout).error.code, args.join(' ')).toBe('TENANT_NOT_FOUND');
      expect(r.stderr).toContain(`Unknown tenant: ${args[2]}`);
    }
  });

  it('tenant export writes every row the organization owns, directly or through its foreign keys, and nothing of another', async () => {
    const [{ id: a }] = await db.sql`select id::text from organizations where name = 'Org A'`;
    const [{ id: b }] = await db.sql`select id::text from organizations where name = 'App Org'`;
    for (const [org, tag] of [[a, 'a'], [b, 'b']] as const) {
      const [w] = await db.sql`insert into warehouses (organization_id, name) values (${org}, ${'WH ' + tag}) returning id`;
      const [p] = await db.sql`insert into products (organization_id, sku, name) values (${org}, ${'SKU-' + tag}, ${'Widget ' + tag}) returning id`;
      const [i] = await db.sql`insert into inventory (warehouse_id, product_id, quantity_on_hand) values (${w!.id}, ${p!.id}, 5) returning id`;
      await db.sql`insert into inventory_transactions (inventory_id, transaction_type, quantity) values (${i!.id}, 'receipt', 5)`;
    }
    const out = join(await mkdtemp(join(tmpdir(), 'imsop-export-')), 'org-a');
    const manifest = await json(['tenant', 'export', 'Org A', '--out', out]);
    expect(manifest.tenant).toMatchObject({ id: a, slug: 'Org A', schema: 'public' });
    const rows = Object.fromEntries(manifest.files.map((f: { table: string; rows: number }) => [f.table, f.rows]));
    expect(rows).toMatchObject({ 'public.organizations': 1, 'public.users': 1, 'public.roles': 1, 'public.user_roles': 1, 'public.warehouses': 1, 'public.products': 1, 'public.inventory': 1, 'public.inventory_transactions': 1 });
    expect(rows['public.role_permissions']).toBeGreaterThan(0);
    expect(rows['public.permissions']).toBeUndefined();
    const files = await readdir(join(out, 'tenant'));
    let text = '';
    for (const file of files) text += await readFile(join(out, 'tenant', file), 'utf8');
    expect(text).toContain(a);
    expect(text).not.toContain(b);
    expect(text).toContain('SKU-a');
    expect(text).not.toContain('SKU-b');
    const inventory = (await readFile(join(out, 'tenant', 'inventory_transactions.csv'), 'utf8')).trim().split('\n');
    expect(inventory).toHaveLength(2);
    // Tenant data, the manifest included, is private: 0600 files in 0700 folders.
    for (const path of [out, join(out, 'tenant')]) expect((await stat(path)).mode & 0o777).toBe(0o700);
    for (const path of [join(out, 'manifest.json'), join(out, 'tenant', 'users.csv')]) expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});
