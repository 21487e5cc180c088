import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/csv/import.js';
import { abparts } from '../../src/tenancy/profiles/abparts.js';
import type { TestDatabase } from '../support/db.js';
import { runCli } from '../support/cli.js';
import { scratch } from './helpers.js';
import { csvFile, exported, exportedWithSummary, othersChecksum, pooledDatabase, type OwnedThrough } from './pooled-support.js';

/**
 * ABParts orders have no order number: `orders` (customer_orders) are keyed by the
 * organization and the moment the order was placed, `supplier_orders` by the organization,
 * the supplier's name and that moment. Matched among the organization's own rows only.
 */

const KASPIAN = '01aa0000-0000-4000-8000-000000000001';
const NORDIC = '01bb0000-0000-4000-8000-000000000001';
const HEADER = 'distributor,ordered_by,order_date,expected_delivery_date,actual_delivery_date,status,notes,item_part_number,item_quantity,item_unit_price';
const ORDERS: OwnedThrough[] = [{ table: 'customer_order_items', column: 'customer_order_id', parent: 'customer_orders', parentColumn: 'customer_organization_id' }];
const SUPPLY: OwnedThrough[] = [{ table: 'supplier_order_items', column: 'supplier_order_id', parent: 'supplier_orders', parentColumn: 'ordering_organization_id' }];
const DIRECT = { customer_orders: 'customer_organization_id', supplier_orders: 'ordering_organization_id' };

describe('abparts: orders and supplier orders of one organization', () => {
  let db: TestDatabase;
  const run = (options: Omit<Parameters<typeof importCsv>[1], 'profile'>) => importCsv(db.sql, { profile: abparts, actor: 'test', ...options });
  const failure = (options: Omit<Parameters<typeof importCsv>[1], 'profile'>) => run(options).then(() => new Error('imported'), (e: Error & { code?: string }) => e);
  const others = (org: string) => othersChecksum(db.sql, org, [...ORDERS, ...SUPPLY], DIRECT);
  const kaspianOrders = async () => (await db.sql`select o.order_date, o.status, count(i.id)::int as lines from customer_orders o left join customer_order_items i on i.customer_order_id = o.id where o.customer_organization_id = ${KASPIAN} group by o.id order by 1`).map((r) => ({ ...r }));

  beforeAll(async () => {
    db = await pooledDatabase('abparts');
  });
  afterAll(async () => db.drop());

  it('exports the organization\'s orders only and round-trips them byte for byte', async () => {
    const before = await others(KASPIAN);
    const text = await exported(db.sql, abparts, 'Kaspian Fish Farms', 'orders');
    expect(text.split('\n')[0]).toBe(HEADER);
    expect(text).toContain('Oraseas EE,kff.admin,2025-01-20T09:00:00Z,2025-01-27T00:00:00Z,2025-01-28T10:00:00Z,delivered,');
    expect(text.trim().split('\n')).toHaveLength(4);
    expect(text).not.toContain('2025-01-22T09:00:00Z'); // Nordic's order
    const same = await run({ entity: 'orders', tenant: 'Kaspian Fish Farms', input: await csvFile('orders.csv', text) });
    expect(same).toMatchObject({ inserted: 0, updated: 0, deleted: 0, unchanged: 2, rejected: 0 });
    expect(await exported(db.sql, abparts, KASPIAN, 'orders')).toBe(text);
    expect(await others(KASPIAN)).toEqual(before);
  });

  it('upserts by (organization, order_date): another organization\'s order of the same moment is not this one', async () => {
    const before = await others(KASPIAN);
    const text = `${HEADER}
Oraseas EE,kff.admin,2025-01-20T09:00:00Z,2025-01-27T00:00:00Z,2025-01-28T10:00:00Z,delivered,Gate code 4411,AB-FLT-001,10.000,45.00
Oraseas EE,,2025-01-22T09:00:00Z,,,pending,,GEN-OIL-HV46,200,3.10
Oraseas EE,,2025-01-22T09:00:00Z,,,pending,,AB-FLT-001,4,
`;
    const summary = await run({ entity: 'orders', tenant: KASPIAN, input: await csvFile('upsert.csv', text) });
    // The first order lost a line and changed its notes; 2025-01-22 09:00 is Nordic's moment too, but new for Kaspian.
    expect(summary).toMatchObject({ inserted: 1, updated: 1, childRows: 3, rejected: 0 });
    expect(await kaspianOrders()).toEqual([
      { order_date: new Date('2025-01-20T09:00:00Z'), status: 'delivered', lines: 1 },
      { order_date: new Date('2025-01-22T09:00:00Z'), status: 'pending', lines: 2 },
      { order_date: new Date('2025-03-01T09:00:00Z'), status: 'pending', lines: 1 },
    ]);
    expect(await others(KASPIAN)).toEqual(before);
    const nordic = await db.sql`select count(*)::int as n from customer_orders where customer_organization_id = ${NORDIC}`;
    expect(nordic[0]!.n).toBe(1);
  });

  it('names the line and column of lookups outside the organization, and of ambiguous or repeated keys', async () => {
    const before = await others(KASPIAN);
    const mine = await kaspianOrders();
    const bad = `${HEADER}
Nordic Net Cleaning,,2025-04-01T09:00:00Z,,,pending,,AB-FLT-001,1,
Oraseas EE,nnc.admin,2025-04-02T09:00:00Z,,,pending,,AB-FLT-001,1,
Oraseas EE,,2025-04-03T09:00:00Z,,,pending,,NO-SUCH-PART,1,
`;
    const rejects = join(scratch(), 'rejects.csv');
    const failed = await failure({ entity: 'orders', tenant: KASPIAN, input: await csvFile('bad.csv', bad), rejects });
    expect(failed).toMatchObject({ code: 'CSV_INVALID' });
    expect(failed.message).toMatch(/line 2, column distributor: "Nordic Net Cleaning" is not in organizations/);
    expect(failed.message).toMatch(/line 3, column ordered_by: "nnc.admin" is not in users/);
    expect(failed.message).toMatch(/line 4, column item_part_number: "NO-SUCH-PART" is not in parts/);
    expect(await readFile(rejects, 'utf8')).toContain('NO-SUCH-PART');
    // One moment written two ways would be two orders of the file but one of the table.
    const respelled = `${HEADER}\nOraseas EE,,2025-04-04T09:00:00Z,,,pending,,AB-FLT-001,1,\nOraseas EE,,2025-04-04 09:00:00+00,,,pending,,GEN-OIL-HV46,1,\n`;
    const twice = await failure({ entity: 'orders', tenant: KASPIAN, input: await csvFile('respelled.csv', respelled) });
    expect(twice.message).toMatch(/line 2, column order_date: "2025-04-04T09:00:00Z" names the same order_date as another line, written differently \(write it the same way on every line of one order\) \(see line 3\)/);
    expect(twice.message).toMatch(/line 3, column order_date: "2025-04-04 09:00:00\+00" names the same order_date/);
    expect(await kaspianOrders()).toEqual(mine);
    expect(await others(KASPIAN)).toEqual(before);

    // Two of Kaspian's orders placed at the same moment: the key cannot tell them apart.
    await db.sql`insert into customer_orders (customer_organization_id, oraseas_organization_id, order_date, status) values (${KASPIAN}, '010e0000-0000-4000-8000-000000000001', '2025-03-01 09:00+00', 'pending')`;
    const twin = `${HEADER}\nOraseas EE,,2025-03-01T09:00:00Z,,,confirmed,,AB-FLT-001,1,\nOraseas EE,,2025-05-01T09:00:00Z,,,pending,,AB-FLT-001,1,\n`;
    const ambiguous = await failure({ entity: 'orders', tenant: KASPIAN, input: await csvFile('twin.csv', twin) });
    expect(ambiguous.message).toMatch(/line 2, column order_date: "2025-03-01T09:00:00Z" matches 2 orders of this organization with this order_date: the key cannot tell them apart/);
    // Under --max-errors the other order goes in; the twins stay as they were.
    expect(await run({ entity: 'orders', tenant: KASPIAN, input: await csvFile('twin.csv', twin), maxErrors: 1 })).toMatchObject({ inserted: 1, updated: 0, rejected: 1, complete: false });
    expect(await db.sql`select status from customer_orders where customer_organization_id = ${KASPIAN} and order_date = '2025-03-01 09:00+00'`).toEqual([{ status: 'pending' }, { status: 'pending' }]);
    // Insert mode: an existing moment is "already exists".
    const again = await failure({ entity: 'orders', tenant: KASPIAN, mode: 'insert', input: await csvFile('again.csv', `${HEADER}\nOraseas EE,,2025-05-01T09:00:00Z,,,pending,,AB-FLT-001,1,\n`) });
    expect(again.message).toMatch(/line 2, column order_date: "2025-05-01T09:00:00Z" already exists \(use --mode upsert/);
    expect(await others(KASPIAN)).toEqual(before);
  });

  it('replace is refused: each order is also the distributor\'s sales record, which the customer alone cannot remove; nothing changes', async () => {
    const before = await others(KASPIAN);
    const exportBefore = await exported(db.sql, abparts, KASPIAN, 'orders');
    const keep = `${HEADER}\nOraseas EE,kff.admin,2025-01-20T09:00:00Z,,,delivered,,AB-FLT-001,10,45.00\n`;
    for (const dryRun of [true, false]) {
      const refused = await run({ entity: 'orders', tenant: KASPIAN, mode: 'replace', dryRun, input: await csvFile('keep.csv', keep) }).catch((e: Error & { code?: string }) => e);
      expect(refused).toMatchObject({ code: 'CSV_NO_REPLACE' });
      expect((refused as Error).message).toContain("also the distributor's sales record");
    }
    expect(await exported(db.sql, abparts, KASPIAN, 'orders')).toBe(exportBefore);
    expect(await others(KASPIAN)).toEqual(before);
  });

  it('supplier orders: keyed by supplier name and moment within the organization; round trip and replace', async () => {
    const before = await others(NORDIC);
    const text = await exported(db.sql, abparts, NORDIC, 'supplier_orders');
    expect(text).toBe('supplier_name,order_date,expected_delivery_date,actual_delivery_date,status,notes,item_part_number,item_quantity,item_unit_price\n' + text.split('\n').slice(1).join('\n'));
    expect(text).toContain('Tallinn Hydraulics,2025-03-05T09:00:00Z,');
    expect(await run({ entity: 'supplier_orders', tenant: NORDIC, mode: 'replace', input: await csvFile('s.csv', text) })).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
    // Oraseas ordered from Tallinn Hydraulics on 2025-01-08 09:00: for Nordic that is a new order.
    const added = text + 'Tallinn Hydraulics,2025-01-08T09:00:00Z,,,pending,,AB-FLT-001,3,\n';
    expect(await run({ entity: 'supplier_orders', tenant: NORDIC, input: await csvFile('s2.csv', added) })).toMatchObject({ inserted: 1, updated: 0 });
    expect(await exported(db.sql, abparts, NORDIC, 'supplier_orders')).toBe(text.replace('\n', '\nTallinn Hydraulics,2025-01-08T09:00:00Z,,,pending,,AB-FLT-001,3.000,\n'));
    expect(await run({ entity: 'supplier_orders', tenant: NORDIC, mode: 'replace', input: await csvFile('s.csv', text) })).toMatchObject({ deleted: 1 });
    expect(await exported(db.sql, abparts, NORDIC, 'supplier_orders')).toBe(text);
    expect(await others(NORDIC)).toEqual(before);
  });

  it('through the CLI: --help names the entities, export in parts equals the single export, import --dry-run --json', async () => {
    const help = await runCli(['--profile', 'abparts', 'import', '--help'], { url: db.url });
    expect(help.stdout).toContain('abparts also: inventory, supplier_orders');
    const single = join(scratch(), 'single.csv');
    const parts = join(scratch(), 'parts.csv');
    const one = await runCli(['--profile', 'abparts', 'export', 'orders', '--tenant', 'Nordic Net Cleaning', '--out', single, '--jobs', '1', '--json'], { url: db.url });
    expect(one.code, one.stderr).toBe(0);
    const two = await runCli(['--profile', 'abparts', 'export', 'orders', '--tenant', 'Nordic Net Cleaning', '--out', parts, '--jobs', '2', '--json'], { url: db.url });
    expect(two.code, two.stderr).toBe(0);
    expect(await readFile(parts, 'utf8')).toBe(await readFile(single, 'utf8'));
    expect(await readFile(single, 'utf8')).toContain('Oraseas EE,nnc.admin,2025-01-22T09:00:00Z,');
    const before = await others(NORDIC);
    const dry = await runCli(['--profile', 'abparts', 'import', 'orders', single, '--tenant', 'Nordic Net Cleaning', '--dry-run', '--json'], { url: db.url });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ entity: 'orders', dryRun: true, inserted: 0, updated: 0, deleted: 0, rejected: 0 });
    const replace = await runCli(['--profile', 'abparts', 'import', 'orders', single, '--tenant', 'Nordic Net Cleaning', '--mode', 'replace', '--yes', '--json'], { url: db.url });
    expect(replace.code).toBe(2);
    expect(JSON.parse(replace.stdout).error.code).toBe('CSV_NO_REPLACE');
    expect(await others(NORDIC)).toEqual(before);
  });
  it('an order placed by another organization\'s user exports with ordered_by empty, and says re-importing clears it', async () => {
    const [order] = await db.sql`select id from customer_orders where customer_organization_id = ${NORDIC} order by order_date limit 1`;
    const [before] = await db.sql`select ordered_by_user_id from customer_orders where id = ${order!.id}`;
    await db.sql`update customer_orders set ordered_by_user_id = (select id from users where organization_id = ${KASPIAN} order by username limit 1) where id = ${order!.id}`;
    try {
      const { text, summary } = await exportedWithSummary(db.sql, abparts, NORDIC, 'orders');
      expect(text).not.toContain('kff.');
      expect(summary.warnings).toEqual([expect.stringMatching(/^1 orders row\(s\) name a row of another tenant in ordered_by: written with ordered_by empty .* importing the file back clears their ordered_by$/)]);
    } finally {
      await db.sql`update customer_orders set ordered_by_user_id = ${before!.ordered_by_user_id} where id = ${order!.id}`;
    }
  });
  it('export --status filters on the free-text status (no list of values to check against)', async () => {
    const all = await exported(db.sql, abparts, NORDIC, 'orders');
    const statuses = [...new Set(all.trim().split('\n').slice(1).map((l) => l.split(',')[5]))];
    expect(statuses.length).toBeGreaterThan(0);
    const out = await runCli(['--profile', 'abparts', 'export', 'orders', '--tenant', 'Nordic Net Cleaning', '--status', statuses[0]!], { url: db.url });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.trim().split('\n').slice(1).every((l) => l.split(',')[5] === statuses[0])).toBe(true);
  });
});
