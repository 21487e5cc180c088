import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProfile } from '../../src/pooled/check.js';
import { classify } from '../../src/pooled/classify.js';
import { withRowSecurityOff } from '../../src/pooled/session.js';
import { IMSOP_DECLARATIONS as IMSOP } from '../../src/pooled/profiles/imsop.js';
import { tenantRowSets } from '../../src/pooled/row-sets.js';
import { CROSSING_SQL, ORGS, ownedRowCounts } from '../profiles/imsop-dataset.js';
import { loadSqlFile, migrateProfileUp, profileMigrations } from '../profiles/load-profile-sql.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

describe('profile check and tenant row sets on IMSOP', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pooled_check');
    await migrateProfileUp(db.sql, await profileMigrations('imsop'));
    await loadSqlFile(db.sql, CROSSING_SQL);
  });
  afterAll(async () => db.drop());

  it('finds IMSOP\'s 9 unindexed foreign keys (POOLED.md §5) and its two-parent rows, and no error with the profile\'s declarations', async () => {
    const check = await checkProfile(db.sql, IMSOP);
    expect(check.summary).toMatchObject({ tables: 17, errors: 0, byClass: { registry: 1, direct: 9, indirect: 6, global: 1 } });
    const unindexed = check.findings.filter((f) => f.kind === 'fk-without-index').map((f) => `${f.table}.${f.columns.join('+')}`).sort();
    expect(unindexed).toEqual([
      'analytics_events.user_id', 'inventory_transactions.created_by', 'purchase_order_items.product_id', 'purchase_orders.created_by',
      'role_permissions.permission_id', 'shipments.destination_warehouse_id', 'shipments.origin_warehouse_id', 'user_roles.role_id', 'warehouses.manager_id',
    ]);
    const disagree = check.findings.filter((f) => f.kind === 'owner-paths-can-disagree').map((f) => f.table).sort();
    expect(disagree).toEqual(['inventory', 'purchase_order_items', 'user_roles']);
    expect(check.findings.find((f) => f.table === 'inventory' && f.kind === 'owner-paths-can-disagree')!.advice).toContain('composite foreign keys');
    // 0002 puts row-level security on every tenant table.
    expect(check.findings.filter((f) => f.kind === 'rls-missing')).toEqual([]);
  });

  it('without declarations, says which tables an erasure would get wrong, and what to declare', async () => {
    const check = await checkProfile(db.sql, { registry: IMSOP.registry });
    const errors = check.findings.filter((f) => f.severity === 'error').map((f) => `${f.kind}:${f.table}`).sort();
    expect(errors).toEqual([
      'ambiguous-owner:inventory', 'ambiguous-owner:inventory_transactions', 'ambiguous-owner:purchase_order_items', 'ambiguous-owner:user_roles', 'no-path:permissions',
    ]);
    expect(check.findings.find((f) => f.table === 'permissions')!.advice).toContain('global');
  });

  it('reports a tenant-like column without a foreign key, and a tenant table without row-level security', async () => {
    await db.sql`create table audit_notes (id uuid primary key default gen_random_uuid(), org_id uuid, body text)`;
    await db.sql`create table user_devices (id uuid primary key default gen_random_uuid(), user_id uuid not null references users(id), label text)`;
    try {
      const check = await checkProfile(db.sql, IMSOP);
      expect(check.findings.filter((f) => f.table === 'audit_notes').map((f) => `${f.kind}:${f.severity}:${f.columns}`).sort()).toEqual(['no-path:error:', 'tenant-column-without-fk:error:org_id']);
      expect(check.findings.filter((f) => f.table === 'user_devices').map((f) => `${f.kind}:${f.severity}`).sort()).toEqual(['fk-without-index:warning', 'rls-missing:warning']);
    } finally {
      await db.sql`drop table audit_notes, user_devices`;
    }
  });

  it('tenantRowSets selects exactly the rows each organization owns, parents first', async () => {
    const cls = await classify(db.sql, IMSOP);
    const expected = await ownedRowCounts(db.sql);
    for (const org of [ORGS.A, ORGS.B]) {
      const sets = tenantRowSets(db.sql, IMSOP, cls, org);
      expect(sets[0]!.table).toBe('organizations');
      expect(sets.findIndex((s) => s.table === 'inventory')).toBeGreaterThan(sets.findIndex((s) => s.table === 'warehouses'));
      const counts = await withRowSecurityOff(db.sql, async (tx) => {
        const out: Record<string, number> = {};
        for (const s of tenantRowSets(tx, IMSOP, cls, org)) out[s.table] = (await s.select).length;
        return out;
      });
      for (const [table, byOwner] of Object.entries(expected)) expect([table, counts[table]]).toEqual([table, byOwner[org] ?? 0]);
      expect(counts.organizations).toBe(1);
    }
  });
});
