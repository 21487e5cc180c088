import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/csv/import.js';
import { prometric } from '../../src/tenancy/profiles/prometric.js';
import type { TestDatabase } from '../support/db.js';
import { csvFile, exported, exportedWithSummary, othersChecksum, pooledDatabase, type OwnedThrough } from './pooled-support.js';

/**
 * CSV on Prometric ERP (pooled, organizations named by BIN, rows in workspaces). Its
 * `order_number` is unique across ALL organizations: a number another organization uses is
 * a located error that names nobody, never an overwrite of that organization's order.
 */

const A = 'a0000000-0000-4000-8000-000000000000';
const B = 'b0000000-0000-4000-8000-000000000000';
const C = 'c0000000-0000-4000-8000-000000000000';
const A_BIN = '210140012345';
const LINES: OwnedThrough[] = [{ table: 'order_items', column: 'order_id', parent: 'orders' }];

describe('prometric: CSV import and export scoped to one organization', () => {
  let db: TestDatabase;
  const run = (options: Omit<Parameters<typeof importCsv>[1], 'profile'>) => importCsv(db.sql, { profile: prometric, actor: 'test', ...options });
  const others = (org = A) => othersChecksum(db.sql, org, LINES);

  beforeAll(async () => {
    db = await pooledDatabase('prometric');
  });
  afterAll(async () => db.drop());

  it('products and orders (arrays, JSON, generated columns) round-trip byte for byte; nobody else changes', async () => {
    for (const org of [A_BIN, C]) {
      const id = org === A_BIN ? A : C;
      const before = await others(id);
      for (const entity of ['products', 'orders']) {
        const first = await exported(db.sql, prometric, org, entity);
        expect(first.split('\n').length).toBeGreaterThan(2);
        const summary = await run({ entity, tenant: org, mode: 'replace', input: await csvFile(`${entity}.csv`, first) });
        expect(summary).toMatchObject({ inserted: 0, updated: 0, deleted: 0, rejected: 0 });
        expect(await exported(db.sql, prometric, org, entity)).toBe(first);
      }
      expect(await others(id)).toEqual(before);
    }
    const products = await exported(db.sql, prometric, A_BIN, 'products');
    // tags is text[], available_quantity generated (5000 - 200), the workspace by name.
    expect(products).toMatch(/^workspace,code,name,/);
    expect(products).toContain('Main,BOLT-M8,Болт M8x40,,MATERIAL,шт,ACTIVE,45.00,20.00,KZT,12.00,true,false,true,5000,200,4800,');
    expect(products).toContain('{fasteners}');
    expect(products).not.toContain('BOX-4030');
  });

  it("an order number another organization uses is a located error naming nobody; that order stays the other's", async () => {
    const before = await others();
    const [{ employee }] = await db.sql`select employee_number as employee from employees where organization_id = ${A} and employee_number is not null order by 1 limit 1`;
    const text = [
      'workspace,created_by_employee,order_number,order_date,subtotal,item_product_code,item_product_name,item_quantity_ordered',
      `Main,${employee},SP-SO-0001,2025-04-01,100,BOLT-M8,Bolt,1`,
      `Main,${employee},QM-SO-0100,2025-04-02,200,BRK-100,Bracket,2`,
    ].join('\n');
    for (const mode of ['upsert', 'insert'] as const) {
      const failed = await run({ entity: 'orders', tenant: A_BIN, mode, input: await csvFile('orders.csv', text) }).catch((e: Error) => e);
      const message = (failed as Error).message;
      expect(message).toMatch(/line 2, column order_number: "SP-SO-0001" belongs to another organization/);
      for (const leak of ['Steppe', '190540098765', B, 'b1400000']) expect(message).not.toContain(leak);
      expect(await others()).toEqual(before);
    }
    // Under --max-errors the rest goes in; SP-SO-0001 is still B's order, untouched.
    const partial = await run({ entity: 'orders', tenant: A_BIN, input: await csvFile('orders.csv', text), maxErrors: 1 });
    expect(partial).toMatchObject({ inserted: 1, rejected: 1, childRows: 1 });
    expect(await db.sql`select organization_id::text as org from orders where order_number in ('SP-SO-0001', 'QM-SO-0100') order by order_number`).toEqual([{ org: A }, { org: B }]);
    expect(await others()).toEqual(before);
  });

  it('lookups (workspace, employee, customer, line product) only find the organization\'s own rows', async () => {
    const before = await others();
    const [{ bEmployee }] = await db.sql`select employee_number as "bEmployee" from employees where organization_id = ${B} and employee_number is not null order by 1 limit 1`;
    const [{ aEmployee }] = await db.sql`select employee_number as "aEmployee" from employees where organization_id = ${A} and employee_number is not null order by 1 limit 1`;
    const text = [
      'workspace,created_by_employee,order_number,order_date,item_product_code,item_product_name',
      `Export division,${aEmployee},QM-SO-0201,2025-04-01,BOLT-M8,Bolt`,
      `Main,${bEmployee},QM-SO-0202,2025-04-01,BOLT-M8,Bolt`,
      `Main,${aEmployee},QM-SO-0203,2025-04-01,BOX-4030,Box`,
    ].join('\n');
    const failed = await run({ entity: 'orders', tenant: A_BIN, input: await csvFile('lookups.csv', text) }).catch((e: Error) => e);
    const message = (failed as Error).message;
    expect(message).toMatch(/line 2, column workspace: "Export division" is not in workspaces/);
    expect(message).toMatch(new RegExp(`line 3, column created_by_employee: "${bEmployee}" is not in employees`));
    expect(message).toMatch(/line 4, column item_product_code: "BOX-4030" is not in products of this organization/);
    expect(await others()).toEqual(before);
  });

  it('replace soft-deletes only the organization\'s own products missing from the file; bad arrays are located', async () => {
    const before = await others();
    const full = await exported(db.sql, prometric, A_BIN, 'products');
    const [header, ...rows] = full.trimEnd().split('\n');
    const bolt = rows.filter((r) => r.startsWith('Main,BOLT-M8,'));
    const summary = await run({ entity: 'products', tenant: A_BIN, mode: 'replace', input: await csvFile('replace.csv', [header, ...bolt, ''].join('\n')) });
    expect(summary).toMatchObject({ deleted: 0, retired: rows.length - 1 });
    expect(await db.sql`select code, deleted_at is not null as gone from products where organization_id = ${A} order by code`).toEqual(
      rows.map((r) => r.split(',')[1]).sort().map((code) => ({ code, gone: code !== 'BOLT-M8' })),
    );
    expect(await exported(db.sql, prometric, A_BIN, 'products')).toBe([header, ...bolt, ''].join('\n'));
    expect(await others()).toEqual(before);
    // The full file brings them back (upsert clears deleted_at).
    await run({ entity: 'products', tenant: A_BIN, input: await csvFile('full.csv', full) });
    expect(await exported(db.sql, prometric, A_BIN, 'products')).toBe(full);
    const bad = await run({ entity: 'products', tenant: A_BIN, input: await csvFile('tags.csv', 'workspace,code,name,tags\nMain,T-1,Tagged,"{unclosed"\n') }).catch((e: Error) => e);
    expect((bad as Error).message).toMatch(/line 2, column tags: "\{unclosed" is not valid: malformed array literal/);
  });
  it('a changed order keeps what its lines hold besides the quantities and prices: cost, shipped, notes, JSON', async () => {
    const [order] = await db.sql`select o.id, o.order_number from orders o where o.organization_id = ${A} and o.deleted_at is null and exists (select 1 from order_items i where i.order_id = o.id) order by o.order_number limit 1`;
    await db.sql`update order_items set unit_cost = 5.25, quantity_shipped = 1, requires_production = true, notes = 'fragile', custom_fields = '{"bin": "A-3"}' where order_id = ${order!.id}`;
    const kept = async () => db.sql`select product_code, unit_cost::text, quantity_shipped::text, requires_production, notes, custom_fields from order_items where order_id = ${order!.id} order by product_code`;
    const before = await kept();
    const text = await exported(db.sql, prometric, A_BIN, 'orders');
    expect(text.split('\n')[0]!.split(',')).toEqual(expect.arrayContaining(['item_unit_cost', 'item_quantity_shipped', 'item_requires_production', 'item_notes', 'item_custom_fields']));
    // The database moves on (a quantity changed): importing the file changes the order back, and writes its lines again.
    await db.sql`update order_items set quantity_ordered = quantity_ordered + 1 where order_id = ${order!.id}`;
    const summary = await run({ entity: 'orders', tenant: A_BIN, input: await csvFile('orders.csv', text) });
    expect(summary).toMatchObject({ rejected: 0, updated: 1 });
    expect(await kept()).toEqual(before);
    expect(await exported(db.sql, prometric, A_BIN, 'orders')).toBe(text);
    expect(before[0]).toMatchObject({ unit_cost: '5.25', quantity_shipped: '1.000', requires_production: true, notes: 'fragile', custom_fields: { bin: 'A-3' } });
  });
  it("B's line for A's product (crossing case 17) exports with its stored code and a warning that a re-import links it elsewhere", async () => {
    expect(await db.sql`select count(*)::int as n from order_items where id = 'b1500000-0000-4000-8000-000000000003'`).toEqual([{ n: 1 }]);
    const { summary } = await exportedWithSummary(db.sql, prometric, B, 'orders');
    expect(summary.warnings).toEqual([
      // B's order of A's customer (an optional link): said too.
      expect.stringMatching(/^1 orders row\(s\) name a row of another tenant in customer_number: written with customer_number empty .* clears their customer_number$/),
      expect.stringMatching(/^1 orders row\(s\) link item_product_code to a row of another tenant: written with the value stored on the row, so importing the file back links them to this tenant's row of that value instead/),
    ]);
  });
});
