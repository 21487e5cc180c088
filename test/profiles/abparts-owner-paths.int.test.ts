import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABPARTS_TOMBSTONE } from '../../src/pooled/profiles/abparts.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

// Rows an adversarial review built from the seed (002) that the crossing dataset did not have:
// a transaction with no warehouse (its owner is its machine, else its performer, POOLED.md §2),
// a creation co-owned through another organization's machine, an order of one customer that
// names another as its distributor, and two organizations whose names differ by a trailing space.
const id = (kind: string, n: string) => `00000000-0000-4000-${kind}-0000000000${n}`;
const ORG = { oraseas: id('8000', 'a0'), c1: id('8000', 'c1'), c2: id('8000', 'c2'), c3: id('8000', 'c3'), spaced: id('8000', 'e2') };
const USER = { c1: id('8001', 'c1'), c2: id('8001', 'c2'), c3: id('8001', 'c3'), spaced: id('8001', 'e2') };
const WAREHOUSE = { c3: id('8002', 'c3'), spaced: id('8002', 'e2') };
const PART = id('8003', '01');
const MACHINE_C1 = id('8005', 'c1');
const TX = { creationOnC1Machine: id('8006', '01'), c1Adjustment: id('8006', '02'), spacedCreation: id('8006', '03') };
const ORDER_OF_C2 = id('8009', '01');

const DATA = `
insert into organizations (id, name, organization_type) values
  ('${ORG.oraseas}', 'Oraseas EE', 'oraseas_ee'),
  ('${ORG.c1}', 'Cust One', 'customer'), ('${ORG.c2}', 'Cust Two', 'customer'),
  ('${ORG.c3}', 'Cust Three', 'customer'), ('${ORG.spaced}', 'Cust Three ', 'customer');
insert into users (id, organization_id, username, password_hash, email, role) values
  ('${USER.c1}', '${ORG.c1}', 'u1.x', 'h', 'u1@c1.test', 'admin'), ('${USER.c2}', '${ORG.c2}', 'u2.x', 'h', 'u2@c2.test', 'admin'),
  ('${USER.c3}', '${ORG.c3}', 'u3.x', 'h', 'u3@c3.test', 'admin'), ('${USER.spaced}', '${ORG.spaced}', 'ue.x', 'h', 'ue@e2.test', 'admin');
insert into warehouses (id, organization_id, name) values ('${WAREHOUSE.c3}', '${ORG.c3}', 'Main'), ('${WAREHOUSE.spaced}', '${ORG.spaced}', 'Main');
insert into parts (id, part_number, name) values ('${PART}', 'P-1', 'Filter');
insert into machines (id, customer_organization_id, model_type, name, serial_number) values ('${MACHINE_C1}', '${ORG.c1}', 'V', 'm', 'SN-C1');
-- C3's creation into its own warehouse, on C1's machine: C3's row, co-owned by C1.
insert into transactions (id, transaction_type, part_id, from_warehouse_id, to_warehouse_id, machine_id, quantity, unit_of_measure, performed_by_user_id, transaction_date)
  values ('${TX.creationOnC1Machine}', 'creation', '${PART}', null, '${WAREHOUSE.c3}', '${MACHINE_C1}', 1, 'pieces', '${USER.c3}', '2025-01-08');
-- C1's adjustment with no warehouse and no machine: its performer makes it C1's.
insert into transactions (id, transaction_type, part_id, quantity, unit_of_measure, performed_by_user_id, transaction_date, notes)
  values ('${TX.c1Adjustment}', 'adjustment', '${PART}', 1, 'pieces', '${USER.c1}', '2025-01-06', 'C1 private note');
insert into transactions (id, transaction_type, part_id, from_warehouse_id, to_warehouse_id, quantity, unit_of_measure, performed_by_user_id, transaction_date)
  values ('${TX.spacedCreation}', 'creation', '${PART}', null, '${WAREHOUSE.spaced}', 2, 'pieces', '${USER.spaced}', '2025-01-09');
-- C2's order that names C1 as its distributor: the notes and who ordered are C2's.
insert into customer_orders (id, customer_organization_id, oraseas_organization_id, ordered_by_user_id, order_date, status, notes)
  values ('${ORDER_OF_C2}', '${ORG.c2}', '${ORG.c1}', '${USER.c2}', '2025-01-04', 'Pending', 'C2 notes that must survive');
`;

describe('abparts: owner paths beyond the warehouses, co-owned creations, and exact names', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(['--profile', 'abparts', ...args], { url: db.url });
  const transaction = async (txId: string) => (await db.sql`select from_warehouse_id::text as "from", to_warehouse_id::text as "to", machine_id::text as machine, notes from transactions where id = ${txId}`)[0];

  beforeAll(async () => {
    db = await createTestDatabase('abowners');
    const up = await cli(['migrate', 'up']);
    expect(up.code, up.stderr).toBe(0);
    await db.sql.unsafe(DATA);
  });
  afterAll(async () => db?.drop());

  it('a transaction with no warehouse and no machine is its performer\'s organization\'s: exported with it, named as its owner', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'abowners-')), 'c1');
    const exported = await cli(['tenant', 'export', 'Cust One', '--out', out, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const csv = await readFile(join(out, 'tenant', 'transactions.csv'), 'utf8');
    expect(csv).toContain(TX.c1Adjustment);
    expect(csv).toContain('C1 private note');
    // C3's creation on C1's machine is C3's (its warehouse), not C1's.
    expect(csv).not.toContain(TX.creationOnC1Machine);
  });

  it('a name is matched exactly as typed before its trimmed form: "Cust Three " is not "Cust Three"', async () => {
    const spaced = await cli(['tenant', 'show', 'Cust Three ', '--json']);
    expect(spaced.code, spaced.stderr).toBe(0);
    expect(JSON.parse(spaced.stdout)).toMatchObject({ id: ORG.spaced });
    const plain = await cli(['tenant', 'show', 'Cust Three', '--json']);
    expect(JSON.parse(plain.stdout)).toMatchObject({ id: ORG.c3 });
    const out = join(await mkdtemp(join(tmpdir(), 'abowners-')), 'spaced');
    const exported = await cli(['tenant', 'export', 'Cust Three ', '--out', out, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const csv = await readFile(join(out, 'tenant', 'transactions.csv'), 'utf8');
    expect(csv).toContain(TX.spacedCreation);
    expect(csv).not.toContain(TX.creationOnC1Machine);
  });

  it('erasing C3 keeps its creation on C1\'s machine for C1: the warehouse it entered is re-pointed, its empty source stays empty', async () => {
    const erase = await cli(['tenant', 'erase', 'Cust Three', '--yes', '--confirm', 'Cust Three', '--reason', 'test', '--shared-rows', 'tombstone', '--json']);
    expect(erase.code, erase.stderr + erase.stdout).toBe(0);
    expect(await transaction(TX.creationOnC1Machine)).toEqual({ from: null, to: ABPARTS_TOMBSTONE.warehouse, machine: MACHINE_C1, notes: null });
    expect((await db.sql`select count(*)::int as n from organizations where id = ${ORG.c3}`)[0]!.n).toBe(0);
    // The organization named with a trailing space is untouched.
    expect(await transaction(TX.spacedCreation)).toMatchObject({ to: WAREHOUSE.spaced });
  });

  it('the receipt counts the tables that held rows, as the plan does, not every table it visited', async () => {
    const shown = await cli(['tenant', 'erase', ORG.c3, '--yes', '--confirm', ORG.c3]);
    expect(shown.code, shown.stderr).toBe(0);
    const { receipt } = JSON.parse((await cli(['tenant', 'erase', ORG.c3, '--yes', '--confirm', ORG.c3, '--json'])).stdout);
    const counts = receipt.body.counts as { tenant_storage: Record<string, number>; shared: Record<string, number> };
    const held = (o: Record<string, number>) => Object.values(o).filter((n) => n > 0).length;
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    // C3 had rows in organizations, users and warehouses only; the erasure visited every tenant table.
    expect(held(counts.tenant_storage)).toBe(3);
    expect(Object.keys(counts.tenant_storage).length).toBeGreaterThan(3);
    expect(shown.stdout).toMatch(new RegExp(`removed\\s+${sum(counts.tenant_storage)} rows from 3 tenant tables, ${sum(counts.shared)} rows from ${held(counts.shared)} shared tables`));
  });

  it('erasing C1 deletes its warehouse-less adjustment and leaves C2\'s order whole but for the distributor', async () => {
    const dry = await cli(['tenant', 'erase', 'Cust One', '--dry-run', '--shared-rows', 'tombstone', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).plan.tables).toEqual(expect.arrayContaining([expect.objectContaining({ table: 'transactions', rows: 1 })]));
    // A failed login naming C1's admin by e-mail and by id: found by two scrubs of one text.
    await db.sql`insert into security_events (user_id, event_type, details) values (null, 'login_failed', ${`bad password for u1@c1.test (${USER.c1})`})`;
    const erase = await cli(['tenant', 'erase', 'Cust One', '--yes', '--confirm', 'Cust One', '--reason', 'test', '--shared-rows', 'tombstone', '--json']);
    expect(erase.code, erase.stderr + erase.stdout).toBe(0);
    // The receipt keeps each scrub's own count (one key each), and the tombstone of C2's order.
    expect(JSON.parse(erase.stdout).receipt.body.counts.shared).toMatchObject({
      'security_events.details (scrub emails)': 1,
      'security_events.details (scrub ids of users)': 1,
      'customer_orders.oraseas_organization_id (tombstone)': 1,
    });
    expect(await transaction(TX.c1Adjustment)).toBeUndefined();
    const [order] = await db.sql`select customer_organization_id::text as customer, oraseas_organization_id::text as distributor, ordered_by_user_id::text as ordered_by, notes from customer_orders where id = ${ORDER_OF_C2}`;
    expect(order).toEqual({ customer: ORG.c2, distributor: ABPARTS_TOMBSTONE.organization, ordered_by: USER.c2, notes: 'C2 notes that must survive' });
    // C3's kept creation, re-pointed earlier, loses only the machine of the erased C1 (an optional reference).
    expect(await transaction(TX.creationOnC1Machine)).toEqual({ from: null, to: ABPARTS_TOMBSTONE.warehouse, machine: null, notes: null });
  });
});
