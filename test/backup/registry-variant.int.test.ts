import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withExportedSnapshot } from '../../src/backup/snapshot.js';
import { liveTenantIds, liveTenants, relationsPresent, tenantsWithVersions } from '../../src/backup/tenant-registry.js';
import { companionNames, registryQuery } from '../../src/db/queries.js';
import type { RegistrySpec } from '../../src/tenancy/profile.js';
import { COMMERCE_REGISTRY } from '../../src/tenancy/profiles/commerce-registry.js';
import { imsop } from '../../src/tenancy/profiles/imsop.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { seedTenant } from '../tenants/helpers.js';

/**
 * Backups read the tenants from the PROFILE's registry, not from public.tenants: a
 * schema-per-tenant variant whose registry is platform.customers (handle column `handle`),
 * with its subscriptions beside it, is read and restored through the same SQL.
 */
const VARIANT: RegistrySpec = { ...COMMERCE_REGISTRY, schema: 'platform', table: 'customers', handle: 'handle' };

describe('backup: the tenant registry comes from the profile', () => {
  let db: TestDatabase;
  let tenantId: string;

  beforeAll(async () => {
    db = await createTestDatabase('backup_registry');
    await migrateAll(db.sql);
    tenantId = (await seedTenant(db.sql, 'acme', 1)).id;
    await seedTenant(db.sql, 'bolt', 1);
    // The variant: the registry and its companion table live in platform, the handle column is renamed.
    await db.sql`create schema platform`;
    await db.sql`alter table public.tenants set schema platform`;
    await db.sql`alter table platform.tenants rename to customers`;
    await db.sql`alter table platform.customers rename column slug to handle`;
    await db.sql`alter table public.subscriptions set schema platform`;
  });
  afterAll(async () => db.drop());

  it("lists the variant's tenants with their schemas and versions, in and out of the backup's snapshot", async () => {
    const listed = await tenantsWithVersions(db.sql, VARIANT);
    expect(listed?.map((t) => [t.slug, t.schema, t.status])).toEqual([
      ['acme', 'tenant_acme', 'active'],
      ['bolt', 'tenant_bolt', 'active'],
    ]);
    expect(listed![0]!.applied.length).toBeGreaterThan(0);
    expect(await withExportedSnapshot(db.sql, VARIANT, async (catalog) => catalog.tenants.map((t) => t.slug))).toEqual(['acme', 'bolt']);
    expect((await liveTenants(db.sql, VARIANT)).map((t) => t.slug)).toEqual(['acme', 'bolt']);
    expect((await liveTenantIds(db.sql, VARIANT)).has(tenantId)).toBe(true);
    // public.tenants is gone: the commerce registry is absent here, and it is not read in the variant's place.
    expect(await tenantsWithVersions(db.sql, COMMERCE_REGISTRY)).toBeUndefined();
    expect(await withExportedSnapshot(db.sql, COMMERCE_REGISTRY, async (catalog) => catalog.tenants)).toEqual([]);
    // A pooled registry owns no schemas: no schema-per-tenant tenants to list, whatever exists.
    expect(await relationsPresent(db.sql, imsop.registry)).toMatchObject({ tenants: false, migrations: true });
  });

  it("checks a restore target against the variant's handle column", async () => {
    const free = (slug: string) => registryQuery<{ slug_taken: boolean; schema_taken: boolean }>(db.sql, 'backup/restore-target-free', VARIANT, [slug, `tenant_${slug}`]);
    expect(await free('acme')).toEqual([{ slug_taken: true, schema_taken: true }]);
    expect(await free('zeta')).toEqual([{ slug_taken: false, schema_taken: false }]);
  });

  it("reads and restores a tenant's companion rows by the profile's tenant column, keeping free keys and renewing taken ones", async () => {
    const companion = VARIANT.companions.find((c) => c.table === 'subscriptions')!;
    const names = companionNames(VARIANT, companion);
    const [{ rows }] = (await registryQuery<{ rows: string }>(db.sql, 'backup/tenant-companion-rows', VARIANT, [tenantId], names)) as [{ rows: string }];
    const before = JSON.parse(rows) as { id: string; tenant_id: string }[];
    expect(before.length).toBe(1);
    expect(before[0]!.tenant_id).toBe(tenantId);
    // Taken keys (the rows are still there) get new ones; the copy names the tenant it is restored for.
    await registryQuery(db.sql, 'backup/restore-companion-rows', VARIANT, [rows, tenantId, companion.column, companion.key], names);
    const after = await db.sql`select id::text as id from platform.subscriptions where tenant_id = ${tenantId} order by created_at, id`;
    expect(after.length).toBe(2);
    expect(after.map((r) => r.id)).toContain(before[0]!.id);
    // Free keys are kept.
    await db.sql`delete from platform.subscriptions where tenant_id = ${tenantId}`;
    await registryQuery(db.sql, 'backup/restore-companion-rows', VARIANT, [rows, tenantId, companion.column, companion.key], names);
    expect(await db.sql`select id::text as id from platform.subscriptions where tenant_id = ${tenantId}`).toEqual([{ id: before[0]!.id }]);
  });
});
