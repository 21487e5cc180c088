import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from '../../src/db/connect.js';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { buildPlatform, orphanScratch } from './helpers.js';
import { migrationsWith } from '../support/migrations.js';
import { backupClientStatus } from '../support/pg-client.js';

/** Everything a tenant owns, as text: its schema's products and expenses, its shared rows. */
async function tenantState(sql: Sql, slug: string): Promise<Record<string, unknown>> {
  const [tenant] = await sql`select id, name, slug, schema_name, status from public.tenants where slug = ${slug}`;
  if (!tenant) return { missing: true };
  const schema = tenant.schema_name as string;
  const products = await sql`select sku, name, selling_price::text, attributes from ${sql(schema)}.products order by sku`;
  const expenses = await sql`select category, amount::text, expense_date::text from ${sql(schema)}.expenses order by amount`;
  const subscriptions = await sql`select plan_id, status from public.subscriptions where tenant_id = ${tenant.id} order by plan_id`;
  const audit = await sql`select action, entity_id from public.audit_logs where tenant_id = ${tenant.id} order by entity_id`;
  const versions = await sql`select version from tenantctl.schema_migrations where schema_name = ${schema} order by version`;
  return { tenant: { ...tenant }, products: [...products], expenses: [...expenses], subscriptions: [...subscriptions], audit: [...audit], versions: versions.map((v) => v.version) };
}

/** Remove a tenant the way a hasty operator would: rows, schema, bookkeeping. */
async function dropTenant(sql: Sql, slug: string): Promise<void> {
  const [tenant] = await sql`select id, schema_name from public.tenants where slug = ${slug}`;
  await sql`delete from public.audit_logs where tenant_id = ${tenant!.id}`;
  await sql`delete from public.tenants where id = ${tenant!.id}`;
  await sql`drop schema ${sql(tenant!.schema_name as string)} cascade`;
  await sql`delete from tenantctl.schema_migrations where schema_name = ${tenant!.schema_name as string}`;
}

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

describe.skipIf(!client.ok)(client.ok ? 'backup restore-tenant' : `backup restore-tenant (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  let backup: string;
  let before: Record<string, Record<string, unknown>>;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-restore-test-'));
    db = await createTestDatabase('rt');
    await buildPlatform(db, ['acme', 'globex', 'initech']);
    backup = join(work, 'b1');
    const created = await runCli(['backup', 'create', '--out', backup], { url: db.url });
    if (created.code !== 0) throw new Error(created.stderr);
    before = { acme: await tenantState(db.sql, 'acme'), globex: await tenantState(db.sql, 'globex'), initech: await tenantState(db.sql, 'initech') };
  });
  afterAll(async () => {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('brings back exactly one dropped tenant, with its id, rows and version, and leaves the others unchanged', async () => {
    await dropTenant(db.sql, 'globex');
    // Others keep changing after the backup: the restore must not roll them back.
    await db.sql`insert into tenant_acme.products (sku, name) values ('acme-new', 'Made after the backup')`;
    const acmeNow = await tenantState(db.sql, 'acme');

    const result = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'globex', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ slug: 'globex', targetSlug: 'globex', schema: 'tenant_globex', sameId: true, sharedRows: { subscriptions: 1, tenant_features: 0, audit_logs: 1 } });

    expect(await tenantState(db.sql, 'globex')).toEqual(before.globex);
    expect(await tenantState(db.sql, 'acme')).toEqual(acmeNow);
    expect(await tenantState(db.sql, 'initech')).toEqual(before.initech);
    const [{ n }] = await db.sql`select count(*)::int as n from public.tenants`;
    expect(n).toBe(3);
    expect(await orphanScratch(db.sql)).toEqual([]);
  });

  it('restores a copy under a new slug next to the original, with a new id', async () => {
    const result = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'initech', '--as', 'initech_copy', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ targetSlug: 'initech_copy', schema: 'tenant_initech_copy', sameId: false });
    const copy = await tenantState(db.sql, 'initech_copy');
    const original = before.initech as { tenant: Record<string, unknown> };
    expect(copy.tenant).toMatchObject({ name: original.tenant.name, slug: 'initech_copy', schema_name: 'tenant_initech_copy' });
    expect((copy.tenant as { id: string }).id).not.toBe(original.tenant.id);
    expect(copy.products).toEqual((before.initech as { products: unknown }).products);
    expect(copy.subscriptions).toEqual((before.initech as { subscriptions: unknown }).subscriptions);
    expect(copy.versions).toEqual(['0001']);
    expect(await tenantState(db.sql, 'initech')).toEqual(before.initech);
  });

  it('refuses a tenant that still exists, and one the backup does not hold', async () => {
    const same = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'acme'], { url: db.url });
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('Tenant acme already exists in the live database.');
    const missing = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'nobody'], { url: db.url });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Tenant "nobody" is not in the backup');
  });

  it('erases a restored tenant cleanly: its copied rows and the tool\'s own log are handled by the erasure', async () => {
    const [{ id }] = await db.sql`select id::text as id from public.tenants where slug = 'globex'`;
    const erased = await runCli(['tenant', 'erase', 'globex', '--yes', '--confirm', 'globex', '--reason', 'test'], { url: db.url });
    expect(erased.code, erased.stderr).toBe(0);
    const [{ n }] = await db.sql`select count(*)::int as n from tenantctl.backup_log where strpos(summary::text || faults::text, ${id}) > 0`;
    expect(n).toBe(0);
    // The log keeps that a restore happened, not whom it was about.
    const [entry] = await db.sql`select summary from tenantctl.backup_log where action = 'restore-tenant' and summary ->> 'tenant' = 'erased'`;
    expect(entry).toBeDefined();
    expect(JSON.stringify(entry!.summary)).not.toContain('tenant_globex');
  });

  it('refuses the erased tenant by its id unless --force, and restores a new tenant that reuses its slug', async () => {
    const refused = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'globex', '--as', 'globex_back'], { url: db.url });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Tenant globex \(id [0-9a-f-]+\) of this backup was erased \(GDPR\)/);
    expect(refused.stderr).toContain('--force');
    const [{ n }] = await db.sql`select count(*)::int as n from public.tenants where slug = 'globex_back'`;
    expect(n).toBe(0);
    const forced = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'globex', '--as', 'globex_back', '--force'], { url: db.url });
    expect(forced.code, forced.stderr).toBe(0);
    expect((await tenantState(db.sql, 'globex_back')).products).toEqual((before.globex as { products: unknown }).products);

    // A new tenant takes the slug globex; it is backed up, lost, and restored: not "erased".
    await addTenantRow(db.sql, 'globex');
    await migrateAll(db.sql);
    await db.sql`insert into tenant_globex.products (sku, name) values ('new-1', 'Second life')`;
    const second = join(work, 'b2');
    const created = await runCli(['backup', 'create', '--out', second], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    const newer = await tenantState(db.sql, 'globex');
    await dropTenant(db.sql, 'globex');
    const restored = await runCli(['backup', 'restore-tenant', second, '--tenant', 'globex'], { url: db.url });
    expect(restored.code, restored.stderr).toBe(0);
    expect(await tenantState(db.sql, 'globex')).toEqual(newer);
  });

  it('a tenant whose schema reads another tenant\'s table cannot come back alone: the hint names that schema, not the backup', async () => {
    await db.sql`create view tenant_initech.acme_catalog as select sku from tenant_acme.products`;
    const third = join(work, 'b3');
    const created = await runCli(['backup', 'create', '--out', third], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    await db.sql`drop view tenant_initech.acme_catalog`;
    const r = await runCli(['backup', 'restore-tenant', third, '--tenant', 'initech', '--as', 'initech_again', '--json'], { url: db.url });
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stdout);
    expect(error.hint).toContain('reads tenant_acme');
    expect(error.hint).not.toContain('backup verify');
    const [{ n }] = await db.sql`select count(*)::int as n from public.tenants where slug = 'initech_again'`;
    expect(n).toBe(0);
  });
});

describe.skipIf(!client.ok)(client.ok ? 'restore-tenant of a tenant newer than the fleet' : `restore-tenant newer than the fleet (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-restore-ahead-'));
    db = await createTestDatabase('rta');
  });
  afterAll(async () => {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('says so when the fleet was migrated down since the backup', async () => {
    const dir = await migrationsWith({ 'tenant/0002_flag.sql': '-- migrate:up\nalter table products add column flag boolean;\n-- migrate:down\nalter table products drop column flag;\n' });
    await buildPlatform(db, ['ahead', 'other']);
    expect((await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url })).code).toBe(0);
    const backup = join(work, 'b');
    expect((await runCli(['backup', 'create', '--out', backup], { url: db.url })).code).toBe(0);
    expect((await runCli(['migrate', 'down', '--migrations-dir', dir, '--tenants-only', '--yes'], { url: db.url })).code).toBe(0);
    const [{ id }] = await db.sql`select id::text as id from public.tenants where slug = 'ahead'`;
    await db.sql`delete from public.audit_logs where tenant_id = ${id}`;
    await db.sql`delete from public.tenants where id = ${id}`;
    await db.sql`drop schema tenant_ahead cascade`;
    await db.sql`delete from tenantctl.schema_migrations where schema_name = 'tenant_ahead'`;
    const r = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'ahead', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: '0002', aheadOf: '0001' });
    expect(r.stderr).toContain('warning: ahead came back at version 0002, newer than every other tenant (at most 0001)');
  });
});
