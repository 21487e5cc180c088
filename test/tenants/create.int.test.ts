import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenant } from '../../src/tenants/create.js';
import { schemaPerTenant } from '../../src/tenancy/strategy.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { schemaExists } from './helpers.js';

describe('tenant create', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
  });
  afterAll(async () => db.drop());

  /** Everything provisioning may leave behind, for "nothing remains" checks. */
  async function traces(slug: string) {
    const [row] = await db.sql`
      select (select count(*) from public.tenants where slug = ${slug})::int as tenants,
             (select count(*) from public.subscriptions s where not exists (select 1 from public.tenants t where t.id = s.tenant_id))::int as orphan_subscriptions,
             (select count(*) from public.audit_logs a where a.tenant_id is not null and not exists (select 1 from public.tenants t where t.id = a.tenant_id))::int as orphan_audit,
             (select count(*) from tenantctl.schema_migrations where schema_name = ${'tenant_' + slug})::int as migrations,
             (select count(*) from tenantctl.schema_state where schema_name = ${'tenant_' + slug})::int as states`;
    return { ...row, schema: await schemaExists(db.sql, `tenant_${slug}`) };
  }

  it('creates the whole tenant in one go, as `tenant create … --json` then `tenant show` report it', async () => {
    const created = await runCli(['tenant', 'create', 'acme', '--name', 'Acme', '--plan', 'starter', '--owner-email', 'a@acme.test', '--json'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    const tenant = JSON.parse(created.stdout);
    expect(tenant).toMatchObject({ slug: 'acme', name: 'Acme', schema: 'tenant_acme', status: 'active', plan: 'starter', subscription: { status: 'active' }, owner: { email: 'a@acme.test', role: 'owner' }, schemaVersion: '0001' });

    const [owner] = await db.sql`select u.is_owner, r.code from tenant_acme.users u join tenant_acme.user_roles ur on ur.user_id = u.id join tenant_acme.roles r on r.id = ur.role_id where u.email = 'a@acme.test'`;
    expect(owner).toMatchObject({ is_owner: true, code: 'owner' });
    const [counts] = await db.sql`select (select count(*) from tenant_acme.roles where is_system)::int as roles, (select count(*) from tenant_acme.role_permissions)::int as grants, (select count(*) from tenant_acme.security_settings)::int as security`;
    expect(counts).toMatchObject({ roles: 5, security: 1 });
    expect(counts!.grants).toBeGreaterThan(0);
    // Recorded exactly like a fleet migration: migrate status sees it at the latest version.
    const status = JSON.parse((await runCli(['migrate', 'status', '--json'], { url: db.url })).stdout);
    expect(status.tenants).toMatchObject({ total: 1, atLatest: 1, behind: [], failed: [] });

    const show = await runCli(['tenant', 'show', 'acme', '--json'], { url: db.url });
    expect(show.code, show.stderr).toBe(0);
    const details = JSON.parse(show.stdout);
    expect(details).toMatchObject({ slug: 'acme', schemaVersions: ['0001'], users: 1, owners: [{ email: 'a@acme.test' }], subscription: { plan: 'starter' } });
    expect(details.tables.find((t: { table: string }) => t.table === 'roles').rows).toBe(5);
    const list = JSON.parse((await runCli(['tenant', 'list', '--json'], { url: db.url })).stdout);
    expect(list).toEqual([expect.objectContaining({ slug: 'acme', plan: 'starter', schemaVersion: '0001', status: 'active' })]);
  });

  it('leaves nothing behind when it fails in the middle (failpoint after the schema is migrated)', async () => {
    const r = await runCli(['tenant', 'create', 'halfway', '--name', 'Half', '--plan', 'starter', '--owner-email', 'h@half.test'], { url: db.url, env: { TENANTCTL_FAILPOINT: 'tenant-create:after-schema' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Failpoint tenant-create:after-schema');
    expect(await traces('halfway')).toEqual({ tenants: 0, orphan_subscriptions: 0, orphan_audit: 0, migrations: 0, states: 0, schema: false });
  });

  it('leaves nothing behind when a tenant migration fails, and names file:line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tenantctl-mig-'));
    await mkdir(join(dir, 'tenant'));
    await writeFile(join(dir, 'tenant', '0001_ok.sql'), '-- migrate:up\ncreate table users (id uuid primary key default gen_random_uuid(), email text not null, name text not null, is_owner boolean not null default false);\ncreate table roles (id uuid primary key default gen_random_uuid(), code text, is_system boolean);\n');
    await writeFile(join(dir, 'tenant', '0002_broken.sql'), '-- migrate:up\ncreate table fine (id int);\n\nselect no_such_column from fine;\n');
    await expect(createTenant(db.sql, { slug: 'broken', name: 'Broken', plan: 'starter', ownerEmail: 'b@broken.test' }, { strategy: schemaPerTenant, migrationsDir: dir })).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
      message: expect.stringMatching(/0002_broken\.sql:4:8: column "no_such_column" does not exist/),
    });
    expect(await traces('broken')).toEqual({ tenants: 0, orphan_subscriptions: 0, orphan_audit: 0, migrations: 0, states: 0, schema: false });
  });


  it('refuses a tenant migration that ends the transaction, with the lint code and line, and leaves nothing (files are read lazily)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tenantctl-mig-'));
    await mkdir(join(dir, 'tenant'));
    await writeFile(join(dir, 'tenant', '0001_commits.sql'), '-- migrate:up\ncreate table users (id int);\ncommit;\ncreate table roles (id int);\n');
    await expect(createTenant(db.sql, { slug: 'commits', name: 'Commits', plan: 'starter', ownerEmail: 'c@commits.test' }, { strategy: schemaPerTenant, migrationsDir: dir })).rejects.toMatchObject({
      code: 'MIGRATION_TRANSACTION_CONTROL',
      message: expect.stringMatching(/0001_commits\.sql:3:1: /),
    });
    expect(await traces('commits')).toEqual({ tenants: 0, orphan_subscriptions: 0, orphan_audit: 0, migrations: 0, states: 0, schema: false });
  });
  it('rejects bad slugs before any SQL runs (the server given does not even exist)', async () => {
    // Which handles are valid depends on the profile; named up front, it is checked before connecting.
    const env = { TENANTCTL_PROFILE: 'commerce' };
    for (const slug of ['a; drop schema public', "Robert'); --", 'Acme', 'public', 'pg_x']) {
      const r = await runCli(['tenant', 'create', slug, '--name', 'X', '--plan', 'starter', '--owner-email', 'x@x.test'], { url: 'postgresql://nobody@127.0.0.1:1/none', env });
      expect(r.code, `${slug}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/Invalid slug|reserved word/);
    }
    // An existing tenant's handle is looked up as given (a value, never SQL): no such tenant, exit 2.
    for (const command of [['show'], ['erase', '--dry-run'], ['export', '--out', '/tmp/never'], ['suspend', '--reason', 'x']]) {
      const r = await runCli(['tenant', command[0]!, 'a; drop schema public', ...command.slice(1)], { url: db.url, env });
      expect(r.code, `${command[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('Unknown tenant: a; drop schema public');
    }
    const [{ n }] = await db.sql`select count(*)::int as n from pg_namespace where nspname = 'public'`;
    expect(n).toBe(1);
  });

  it('gives clear errors for a duplicate slug, an unknown plan, a bad e-mail and missing flags', async () => {
    const dup = await runCli(['tenant', 'create', 'acme', '--name', 'Again', '--plan', 'starter', '--owner-email', 'x@acme.test'], { url: db.url });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('A tenant with slug "acme" already exists');
    const plan = await runCli(['tenant', 'create', 'newco', '--name', 'New', '--plan', 'platinum', '--owner-email', 'x@new.test'], { url: db.url });
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/Unknown plan "platinum"[\s\S]*starter, professional, business, enterprise/);
    const email = await runCli(['tenant', 'create', 'newco', '--name', 'New', '--plan', 'starter', '--owner-email', 'not-an-email'], { url: db.url });
    expect(email.code).toBe(2);
    expect(email.stderr).toContain('--owner-email "not-an-email" is not an e-mail address');
    const missing = await runCli(['tenant', 'create', 'newco', '--name', 'New'], { url: db.url });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--plan, --owner-email');
    expect(await traces('newco')).toMatchObject({ tenants: 0, schema: false });
  });

  it('a schema another tenant holds (the application registered it by another slug) is named with that tenant, never offered to drop', async () => {
    await db.sql`insert into public.tenants (name, slug, schema_name) values ('Held', 'held_by_app', 'tenant_heldschema')`;
    await db.sql`create schema tenant_heldschema`;
    const r = await runCli(['tenant', 'create', 'heldschema', '--name', 'H', '--plan', 'starter', '--owner-email', 'h@h.test', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(1);
    const error = JSON.parse(r.stdout).error;
    expect(error).toMatchObject({ code: 'SCHEMA_EXISTS', message: expect.stringMatching(/^Schema tenant_heldschema belongs to tenant "held_by_app" \(id /), details: { heldBy: { handle: 'held_by_app' } } });
    expect(error.hint).not.toMatch(/drop|not registered/);
    expect(await schemaExists(db.sql, 'tenant_heldschema')).toBe(true);
    // A leftover schema no tenant holds keeps the leftover hint.
    await db.sql`create schema tenant_leftover`;
    const leftover = await runCli(['tenant', 'create', 'leftover', '--name', 'L', '--plan', 'starter', '--owner-email', 'l@l.test', '--json'], { url: db.url });
    expect(JSON.parse(leftover.stdout).error.hint).toMatch(/not registered to any tenant/);
  });
});
