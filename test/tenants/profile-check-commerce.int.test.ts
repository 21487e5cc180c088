import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { seedTenant } from './helpers.js';

type Finding = { kind: string; severity: string; table: string; columns: string[]; message: string };
type Table = { table: string; class: string; tenantColumn: string | null; ownerPath: string };

/**
 * (Here, not in test/profiles: the commerce seed needs PostgreSQL 15+, and test/profiles also
 * runs on 14.) `profile check` on a commerce (schema per tenant) database: every table classified
 * (registry, direct, indirect, global, the tenant schemas' tables) and what would make an
 * erasure incomplete: before, it answered "not pooled".
 */
describe('profile check on a commerce database', () => {
  let db: TestDatabase;
  const check = async () => {
    const r = await runCli(['profile', 'check', '--json'], { url: db.url });
    return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout) as { profile: string; classification: { tables: Table[] }; findings: Finding[]; summary: { errors: number; warnings: number } } };
  };

  beforeAll(async () => {
    db = await createTestDatabase('check_commerce');
    await migrateAll(db.sql);
    await seedTenant(db.sql, 'acme');
    await seedTenant(db.sql, 'globex');
  });
  afterAll(async () => db.drop());

  it('classifies the seed: registry, direct shared tables, global tables, tenant-schema tables; no errors', async () => {
    const { code, stderr, report } = await check();
    expect(code, stderr).toBe(0);
    expect(report.profile).toBe('commerce');
    const cls = new Map(report.classification.tables.map((t) => [t.table, t]));
    expect(cls.get('public.tenants')).toMatchObject({ class: 'registry' });
    expect(cls.get('public.subscriptions')).toMatchObject({ class: 'direct', tenantColumn: 'tenant_id' });
    expect(cls.get('public.plans')).toMatchObject({ class: 'global' });
    expect(cls.get('tenant_*.products')).toMatchObject({ class: 'tenant-schema' });
    // tenantctl's own bookkeeping is not the application's data.
    expect([...cls.keys()].some((t) => t.startsWith('tenantctl.'))).toBe(false);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const human = await runCli(['profile', 'check'], { url: db.url });
    expect(human.stdout).toContain('profile commerce:');
    expect(human.stdout).not.toMatch(/not pooled/i);
  });

  it('reports what would make an erasure incomplete, and exits 1', async () => {
    // A schema named like a tenant's that no registry row names; a registry row without its schema.
    await db.sql`create schema tenant_ghost`;
    await db.sql`create table tenant_ghost.products (id int)`;
    await addTenantRow(db.sql, 'hollow', false);
    // A tenant-like column without a foreign key (missed), one the erasure finds by name (warning),
    // and a table hanging off a tenant table without ON DELETE CASCADE (blocks the erasure).
    await db.sql`create table public.partner_links (id serial primary key, org_id uuid, url text)`;
    await db.sql`create table public.webhook_log (id serial primary key, tenant_id uuid, body text)`;
    await db.sql`create table public.subscription_notes (id serial primary key, subscription_id uuid not null references public.subscriptions (id), note text)`;
    const { code, report } = await check();
    expect(code).toBe(1);
    const of = (kind: string) => report.findings.filter((f) => f.kind === kind);
    expect(of('schema-without-registry-row')).toMatchObject([{ severity: 'error', table: 'tenant_ghost.*' }]);
    expect(of('registry-row-without-schema')).toMatchObject([{ severity: 'warning' }]);
    expect(of('registry-row-without-schema')[0]!.message).toContain('hollow');
    expect(of('tenant-column-without-fk')).toEqual(expect.arrayContaining([
      expect.objectContaining({ severity: 'error', table: 'public.partner_links', columns: ['org_id'] }),
      expect.objectContaining({ severity: 'warning', table: 'public.webhook_log', columns: ['tenant_id'] }),
    ]));
    expect(of('erase-blocked-by-reference')).toMatchObject([{ severity: 'error', table: 'public.subscription_notes', columns: ['subscription_id'] }]);
    const cls = new Map(report.classification.tables.map((t) => [t.table, t]));
    expect(cls.get('public.subscription_notes')).toMatchObject({ class: 'indirect' });
    expect(cls.get('public.partner_links')).toMatchObject({ class: 'unclassified' });
    expect(cls.get('public.subscription_notes')!.ownerPath).toContain('public.subscriptions');
    expect(report.summary.errors).toBe(3);
    const human = await runCli(['profile', 'check'], { url: db.url });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('tenant_ghost');
    expect(human.stdout).toContain('partner_links');
  });
});
