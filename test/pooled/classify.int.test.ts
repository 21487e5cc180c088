import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../src/pooled/classify.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { loadSynthetic, SYNTHETIC } from './synthetic.js';

describe('classify() on the synthetic pooled schema', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pooled_cls');
    await loadSynthetic(db.sql);
  });
  afterAll(async () => db.drop());

  it('puts every table in its class, following foreign keys under any column name and the declared owner paths', async () => {
    const cls = await classify(db.sql, SYNTHETIC);
    const summary = Object.fromEntries(cls.tables.map((t) => [t.table, t.class === 'direct' ? `direct:${t.tenantColumn}` : t.class === 'indirect' ? `indirect:${t.owner!.columns.join('+')}→${t.owner!.parent}` : t.class]));
    expect(summary).toEqual({
      organizations: 'registry',
      users: 'direct:organization_id',
      roles: 'direct:organization_id',
      permissions: 'global',
      role_permissions: 'indirect:role_id→roles',
      user_roles: 'indirect:user_id→users',
      suppliers: 'direct:organization_id',
      products: 'direct:organization_id',
      warehouses: 'direct:organization_id',
      inventory: 'indirect:warehouse_id→warehouses',
      inventory_transactions: 'indirect:inventory_id→inventory',
      purchase_orders: 'direct:organization_id',
      purchase_order_items: 'indirect:purchase_order_id→purchase_orders',
      shipments: 'direct:organization_id',
      shipment_tracking: 'indirect:shipment_id→shipments',
      analytics_events: 'direct:organization_id',
      contracts: 'direct:customer_organization_id',
      departments: 'direct:organization_id',
      employees: 'direct:organization_id',
      system_logs: 'direct:organization_id',
      app_settings: 'direct:organization_id',
      product_notes: 'direct:organization_id',
      audit_trail: 'direct:organization_id',
    });
    expect(cls.problems).toEqual([]);
    const byName = new Map(cls.tables.map((t) => [t.table, t]));
    expect(byName.get('inventory_transactions')!.ownerPath).toBe('inventory_transactions.inventory_id → inventory.warehouse_id → warehouses.organization_id');
    expect(byName.get('contracts')!.otherTenantColumns).toEqual(['vendor_organization_id']);
    expect(byName.get('system_logs')!.reason).toContain('no foreign key');
    // The declared choice keeps the other parent as a candidate: two owner paths that can disagree.
    expect(byName.get('inventory')!.candidates.map((c) => c.parent)).toEqual(['products']);
  });

  it('without declarations, reports what the catalog cannot decide instead of guessing', async () => {
    const cls = await classify(db.sql, { schema: 'app', registry: SYNTHETIC.registry });
    const problems = Object.fromEntries(cls.problems.map((p) => [p.table, p.kind]));
    expect(problems).toEqual({
      contracts: 'ambiguous-owner',
      inventory: 'ambiguous-owner',
      // Its only owner path runs through inventory, which is ambiguous itself.
      inventory_transactions: 'ambiguous-owner',
      permissions: 'no-path',
      purchase_order_items: 'ambiguous-owner',
      system_logs: 'no-path',
      user_roles: 'ambiguous-owner',
    });
    expect(cls.tables.find((t) => t.table === 'inventory')!.reason).toMatch(/several owner paths \(warehouse_id → warehouses; product_id → products\)|several owner paths \(product_id → products; warehouse_id → warehouses\)/);
  });

  it('names a declared table or column the schema lacks, instead of skipping it', async () => {
    await expect(classify(db.sql, { ...SYNTHETIC, globalTables: ['permissions', 'catalogue'], tenantColumns: [{ table: 'system_logs', column: 'org_id' }] }))
      .rejects.toMatchObject({ code: 'PROFILE_DECLARATION', message: expect.stringContaining('system_logs.org_id, catalogue') });
  });
});
