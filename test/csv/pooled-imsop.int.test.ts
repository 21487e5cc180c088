import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/csv/import.js';
import { imsop } from '../../src/tenancy/profiles/imsop.js';
import { tenantLockName } from '../../src/tenancy/locks.js';
import { runCli } from '../support/cli.js';
import type { TestDatabase } from '../support/db.js';
import { csvFile, exported, exportedWithSummary, othersChecksum, pooledDatabase, type OwnedThrough } from './pooled-support.js';

/**
 * CSV import/export on IMSOP (pooled: one products table for every organization). The
 * crossing dataset holds three organizations; every test imports into one and proves,
 * by checksums of every other organization's rows, that nobody else changed.
 */

const A = '00000001-0000-4000-8000-0000000000a0';
const B = '00000001-0000-4000-8000-0000000000b0';
const C = '00000001-0000-4000-8000-0000000000c0';
const LINES: OwnedThrough[] = [{ table: 'purchase_order_items', column: 'purchase_order_id', parent: 'purchase_orders' }];

describe('imsop: CSV import and export scoped to one organization', () => {
  let db: TestDatabase;
  const run = (options: Omit<Parameters<typeof importCsv>[1], 'profile'>) => importCsv(db.sql, { profile: imsop, actor: 'test', ...options });
  const others = (org = A) => othersChecksum(db.sql, org, LINES);

  beforeAll(async () => {
    db = await pooledDatabase('imsop');
  });
  afterAll(async () => db.drop());

  it("an order line of another organization's product (a planted crossing) exports without that organization's SKU, and is refused on re-import, by line", async () => {
    const { text: first, summary } = await exportedWithSummary(db.sql, imsop, A, 'orders');
    // B's product: its SKU is B's data, so A's export leaves it empty, and says so.
    expect(first).not.toContain('SAL-PORT-4');
    expect(summary.warnings).toEqual([expect.stringMatching(/^1 orders row\(s\) name a row of another tenant in item_sku: written with item_sku empty .* does not import back/)]);
    const failed = await run({ entity: 'orders', tenant: A, input: await csvFile('orders.csv', first) }).catch((e: Error) => e);
    expect((failed as Error).message).toMatch(/line \d+, column item_sku: empty is required on an order line/);
    // The crossings (A's line for B's salmon, C's line for A's wrap) go before the round trips below.
    await db.sql`delete from purchase_order_items where id in ('0000000d-0000-4000-8000-0000000000a9', '0000000d-0000-4000-8000-0000000000c9')`;
  });

  it("a purchase order of another organization's supplier exports with the supplier empty, never that organization's name", async () => {
    await db.sql`insert into suppliers (id, organization_id, name) values ('0000000f-0000-4000-8000-0000000000cf', ${C}, 'C secret supplier')`;
    await db.sql`insert into purchase_orders (id, organization_id, supplier_id, po_number, order_date) values ('0000000c-0000-4000-8000-0000000000af', ${A}, '0000000f-0000-4000-8000-0000000000cf', 'PO-CROSS', '2024-07-01')`;
    try {
      const { text: first, summary } = await exportedWithSummary(db.sql, imsop, A, 'orders');
      expect(first).toContain('PO-CROSS');
      expect(first).not.toContain('C secret supplier');
      // supplier_id is NOT NULL: the import needs the name, so the file does not import back, and the export says so.
      expect(summary.warnings).toEqual([expect.stringMatching(/^1 orders row\(s\) name a row of another tenant in supplier: written with supplier empty/)]);
    } finally {
      await db.sql`delete from purchase_orders where id = '0000000c-0000-4000-8000-0000000000af'`;
      await db.sql`delete from suppliers where id = '0000000f-0000-4000-8000-0000000000cf'`;
    }
  });

  it('products and orders round-trip byte for byte, and re-importing an export changes nothing anywhere', async () => {
    for (const org of [A, C]) {
      const before = await others(org);
      for (const entity of ['products', 'orders']) {
        const first = await exported(db.sql, imsop, org, entity);
        expect(first.split('\n').length).toBeGreaterThan(2);
        const summary = await run({ entity, tenant: org, mode: 'replace', input: await csvFile(`${entity}.csv`, first) });
        expect(summary).toMatchObject({ inserted: 0, updated: 0, deleted: 0, rejected: 0 });
        expect(summary.unchanged).toBeGreaterThan(0);
        expect(await exported(db.sql, imsop, org, entity)).toBe(first);
      }
      expect(await others(org)).toEqual(before);
    }
    // Only A's rows went out: B's skus and purchase orders are not in A's files.
    expect(await exported(db.sql, imsop, 'Acme Logistics', 'products')).not.toContain('COD-FIL-1KG');
    expect(await exported(db.sql, imsop, 'Acme Logistics', 'orders')).not.toContain('PO-BOR-');
  });

  it("a sku another organization uses is a new row of this one; native enums are cast, bad ones located", async () => {
    const before = await others();
    const bOwn = await db.sql`select to_jsonb(p) as row from products p where organization_id = ${B} order by sku`;
    const file = await csvFile('collide.csv', 'sku,name,status,selling_price\nCOD-FIL-1KG,Cod fillet (A label),discontinued,12.5\nPAL-EUR-01,Euro pallet (renamed),active,14.9\n');
    const summary = await run({ entity: 'products', tenant: A, input: file });
    expect(summary).toMatchObject({ inserted: 1, updated: 1, rejected: 0 });
    const rows = await db.sql`select organization_id::text as org, status::text as status from products where sku = 'COD-FIL-1KG' order by 1`;
    expect(rows).toEqual([{ org: A, status: 'discontinued' }, { org: B, status: 'active' }]);
    expect(await db.sql`select to_jsonb(p) as row from products p where organization_id = ${B} order by sku`).toEqual(bOwn);
    expect(await others()).toEqual(before);
    const bad = await run({ entity: 'products', tenant: A, input: await csvFile('enum.csv', 'sku,name,status\nX-1,Thing,retired\n') }).catch((e: Error) => e);
    expect((bad as Error).message).toMatch(/line 2, column status: "retired" is not one of: active, discontinued, archived/);
  });

  it('order lookups only find the organization\'s own supplier and products, with line and column', async () => {
    const before = await others();
    // Nordic Fisheries AS is B's supplier, COD-FIL-1KG now exists in A too, SAL-PORT-4 is B's only.
    const text = [
      'supplier,po_number,order_date,item_sku,item_quantity_ordered',
      'Nordic Fisheries AS,PO-X-1,2026-01-05,PAL-EUR-01,10',
      'Rhein Packaging GmbH,PO-X-2,2026-01-06,SAL-PORT-4,5',
      'Rhein Packaging GmbH,PO-X-3,2026-01-07,COD-FIL-1KG,7',
    ].join('\n');
    const failed = await run({ entity: 'orders', tenant: A, input: await csvFile('orders.csv', text) }).catch((e: Error) => e);
    expect((failed as Error).message).toMatch(/line 2, column supplier: "Nordic Fisheries AS" is not in suppliers/);
    expect((failed as Error).message).toMatch(/line 3, column item_sku: "SAL-PORT-4" is not in products of this organization/);
    expect(await others()).toEqual(before);
    // Within --max-errors the good order goes in, its line pointing at A's own COD-FIL-1KG.
    const partial = await run({ entity: 'orders', tenant: A, input: await csvFile('orders.csv', text), maxErrors: 2 });
    expect(partial).toMatchObject({ inserted: 1, rejected: 2, childRows: 1 });
    const [line] = await db.sql`select p.organization_id::text as org from purchase_order_items i join purchase_orders o on o.id = i.purchase_order_id join products p on p.id = i.product_id where o.po_number = 'PO-X-3'`;
    expect(line).toEqual({ org: A });
    expect(await others()).toEqual(before);
  });

  it('replace archives only the organization\'s own products missing from the file (they are referenced)', async () => {
    const before = await others();
    const keep = await exported(db.sql, imsop, A, 'products');
    const header = keep.split('\n')[0]!;
    const onlyPallet = keep.split('\n').filter((l) => l.startsWith('PAL-EUR-01,'));
    const summary = await run({ entity: 'products', tenant: A, mode: 'replace', input: await csvFile('replace.csv', [header, ...onlyPallet, ''].join('\n')) });
    // Archived, not deleted: the summary says which.
    expect(summary.deleted).toBe(0);
    const states = await db.sql`select sku, status::text as status from products where organization_id = ${A} order by sku`;
    expect(summary.retired).toBe(states.filter((r) => r.sku !== 'PAL-EUR-01').length);
    expect(states.filter((r) => r.sku !== 'PAL-EUR-01').every((r) => r.status === 'archived')).toBe(true);
    expect(states.find((r) => r.sku === 'PAL-EUR-01')!.status).toBe('active');
    // Nothing of B or C moved, B's order line on A's product included.
    expect(await others()).toEqual(before);
    // Importing the full file again restores the statuses.
    const back = await run({ entity: 'products', tenant: A, input: await csvFile('back.csv', keep) });
    expect(back.rejected).toBe(0);
    expect(await exported(db.sql, imsop, A, 'products')).toBe(keep);
  });

  it('a new organization gets the direct COPY path, its rows carrying its own id', async () => {
    await db.sql`insert into organizations (id, name) values ('00000001-0000-4000-8000-0000000000d0', 'Delta Depot')`;
    const before = await others('00000001-0000-4000-8000-0000000000d0');
    const file = await csvFile('direct.csv', 'sku,name,status,unit_cost\nD-1,First,active,1.5\nD-2,Second,,2\n');
    const summary = await run({ entity: 'products', tenant: 'Delta Depot', input: file });
    expect(summary).toMatchObject({ loader: 'direct', inserted: 2 });
    expect(await db.sql`select sku, status::text as status, organization_id::text as org from products where sku like 'D-%' order by sku`).toEqual([
      { sku: 'D-1', status: 'active', org: '00000001-0000-4000-8000-0000000000d0' },
      { sku: 'D-2', status: 'active', org: '00000001-0000-4000-8000-0000000000d0' },
    ]);
    expect(await others('00000001-0000-4000-8000-0000000000d0')).toEqual(before);
  });

  it('the CLI finds the profile in the database: import and export by organization name, unknown entities named', async () => {
    const file = await csvFile('cli.csv', 'sku,name,status\nCLI-1,From the command line,discontinued\n');
    const imported = await runCli(['import', 'products', file, '--tenant', 'Cobalt Medical Supply', '--json'], { url: db.url });
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ entity: 'products', tenant: 'Cobalt Medical Supply', inserted: 1, rejected: 0 });
    const out = await runCli(['export', 'products', '--tenant', 'Cobalt Medical Supply'], { url: db.url });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('CLI-1,From the command line,,,,,,0,0,discontinued');
    expect(out.stdout).not.toContain('PAL-EUR-01');
    const unknown = await runCli(['import', 'inventory', file, '--tenant', 'Cobalt Medical Supply'], { url: db.url });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown entity "inventory" for profile imsop');
    expect(unknown.stderr).toContain('Use one of: products, orders');
  });

  it("one organization's import never waits for another's; two into the same one queue on its lock", async () => {
    // An A import in progress: A's lock and row locks on A's products, held open.
    const held = await db.sql.reserve();
    try {
      await held`begin`;
      await held`select pg_advisory_xact_lock(hashtextextended(${tenantLockName(A)}, 0))`;
      await held`update products set name = name where organization_id = ${A}`;
      // B imports at once (no table lock to wait for) …
      const b = await run({ entity: 'products', tenant: B, noWait: true, input: await csvFile('b.csv', 'sku,name\nB-NEW-1,Borealis new\n') });
      expect(b).toMatchObject({ inserted: 1 });
      // … while a second A import is refused under --no-wait, and otherwise queues.
      const refused = await run({ entity: 'products', tenant: A, noWait: true, input: await csvFile('a1.csv', 'sku,name\nA-Q-1,Queued\n') }).catch((e: Error & { code?: string }) => e);
      expect((refused as { code?: string }).code).toBe('TENANT_LOCKED');
      const waits: string[] = [];
      const queued = run({ entity: 'products', tenant: A, onWait: (m) => waits.push(m), input: await csvFile('a2.csv', 'sku,name\nA-Q-2,Queued\n') });
      while (waits.length === 0) await new Promise((r) => setTimeout(r, 50));
      expect(await db.sql`select count(*)::int as n from products where sku = 'A-Q-2'`).toEqual([{ n: 0 }]);
      await held`commit`;
      expect(await queued).toMatchObject({ inserted: 1 });
    } finally {
      held.release();
    }
    // Two imports into A at the same time: both complete, one after the other.
    const [x, y] = await Promise.all([
      run({ entity: 'products', tenant: A, input: await csvFile('x.csv', 'sku,name\nA-P-1,From x\n') }),
      run({ entity: 'products', tenant: A, input: await csvFile('y.csv', 'sku,name\nA-P-1,From y\nA-P-2,From y\n') }),
    ]);
    expect(x.inserted + y.inserted).toBe(2);
    expect(await db.sql`select count(*)::int as n from products where organization_id = ${A} and sku like 'A-P-%'`).toEqual([{ n: 2 }]);
  });
});
