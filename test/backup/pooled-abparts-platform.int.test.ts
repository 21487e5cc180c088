import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ABPARTS_TOMBSTONE } from '../../src/pooled/profiles/abparts.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';

/**
 * ABParts restore-tenant against the platform singletons, on data written by hand (an
 * adversarial review's reproduction): a customer whose order names the distributor
 * (oraseas_ee), whose user was invited by and audited by the distributor's super admin, and
 * into whose warehouse the distributor transferred stock.
 */
const ORASEAS = '00000000-0000-0000-0000-0000000000e0';
const CUST_A = '0a000000-0000-0000-0000-000000000000';
const ROOT = 'e1000000-0000-0000-0000-000000000001';
const A_ADMIN = 'a1000000-0000-0000-0000-000000000001';
const ORASEAS_WH = 'e5000000-0000-0000-0000-000000000001';
const A_WH = 'a5000000-0000-0000-0000-000000000001';
const TRANSFER_IN = 'e8000000-0000-0000-0000-000000000002';
/** A's return of 2 units into the distributor's warehouse: A's row, the distributor's stock derives from it. */
const TRANSFER_OUT = 'a8000000-0000-0000-0000-000000000001';
const ORDER = 'ac000000-0000-0000-0000-000000000001';

const DATA = `
insert into organizations (id, name, organization_type) values ('${ORASEAS}', 'Oraseas EE', 'oraseas_ee'), ('${CUST_A}', 'Cust A', 'customer');
insert into users (id, organization_id, username, password_hash, email, role, user_status) values ('${ROOT}', '${ORASEAS}', 'root', 'h', 'root@oraseas.example', 'super_admin', 'active');
insert into users (id, organization_id, username, password_hash, email, role, user_status, invited_by_user_id) values ('${A_ADMIN}', '${CUST_A}', 'a.admin', 'h', 'admin@a.example', 'admin', 'active', '${ROOT}');
insert into user_management_audit_logs (id, user_id, action, performed_by_user_id) values ('a2000000-0000-0000-0000-000000000001', '${A_ADMIN}', 'user_created', '${ROOT}');
insert into warehouses (id, organization_id, name) values ('${ORASEAS_WH}', '${ORASEAS}', 'Oraseas WH'), ('${A_WH}', '${CUST_A}', 'A WH');
insert into parts (id, part_number, name, part_type, is_proprietary, unit_of_measure) values ('f0000000-0000-0000-0000-000000000001', 'P-1', 'Filter', 'consumable', false, 'pcs');
insert into inventory (id, warehouse_id, part_id, current_stock, minimum_stock_recommendation, unit_of_measure) values ('a7000000-0000-0000-0000-000000000001', '${A_WH}', 'f0000000-0000-0000-0000-000000000001', 20, 0, 'pcs');
insert into transactions (id, transaction_type, part_id, from_warehouse_id, to_warehouse_id, quantity, unit_of_measure, performed_by_user_id, transaction_date)
  values ('${TRANSFER_IN}', 'transfer', 'f0000000-0000-0000-0000-000000000001', '${ORASEAS_WH}', '${A_WH}', 20, 'pcs', '${ROOT}', now()),
         ('${TRANSFER_OUT}', 'transfer', 'f0000000-0000-0000-0000-000000000001', '${A_WH}', '${ORASEAS_WH}', 2, 'pcs', '${A_ADMIN}', now());
insert into customer_orders (id, customer_organization_id, oraseas_organization_id, order_date, status, notes) values ('${ORDER}', '${CUST_A}', '${ORASEAS}', now(), 'Pending', 'first order');
insert into customer_order_items (id, customer_order_id, part_id, quantity) values ('ad000000-0000-0000-0000-000000000001', '${ORDER}', 'f0000000-0000-0000-0000-000000000001', 3);
`;

const client = await backupClientStatus();

describe.skipIf(!client.ok)(client.ok ? 'abparts: restore-tenant and the platform singletons' : `abparts platform links (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  let backup: string;
  const cli = (args: string[]) => runCli(['--profile', 'abparts', ...args], { url: db.url });
  const one = async (q: Promise<unknown[]>) => (await q)[0] as Record<string, unknown> | undefined;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-abplatform-'));
    db = await createTestDatabase('pabplat');
    const up = await cli(['migrate', 'up']);
    if (up.code !== 0) throw new Error(up.stderr);
    await db.sql.unsafe(DATA);
    backup = join(work, 'bk');
    const created = await cli(['backup', 'create', '--out', backup, '--json']);
    if (created.code !== 0) throw new Error(created.stderr);
    // The original goes (its username must be free for the copy), its shared rows kept on the placeholder.
    const erased = await cli(['tenant', 'erase', 'Cust A', '--yes', '--confirm', 'Cust A', '--reason', 'test', '--shared-rows', 'tombstone', '--json']);
    if (erased.code !== 0) throw new Error(erased.stderr + erased.stdout);
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('a copy keeps its orders with the distributor and the super admin\'s part in its history: the platform is no tenant', async () => {
    const r = await cli(['backup', 'restore-tenant', backup, '--tenant', 'Cust A', '--as', 'Cust A copy', '--force', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const result = JSON.parse(r.stdout) as { targetId: string; leftOut: { table: string; entries: { row: string }[] }[]; unlinked: unknown[] };
    // Only A's transfer into the distributor's warehouse stays out: the distributor's stock derives from it.
    expect(result.leftOut.map((t) => [t.table, t.entries.map((e) => e.row)])).toEqual([['transactions', [TRANSFER_OUT]]]);
    expect(result.unlinked).toEqual([]);
    const copy = result.targetId;
    const orders = await db.sql`select id::text, oraseas_organization_id::text as distributor, notes from customer_orders where customer_organization_id = ${copy}`;
    expect(orders).toEqual([{ id: expect.any(String), distributor: ORASEAS, notes: 'first order' }]);
    expect(orders[0]!.id).not.toBe(ORDER);
    expect((await one(db.sql`select count(*)::int as n from customer_order_items where customer_order_id = ${orders[0]!.id as string}`))!.n).toBe(1);
    const [admin] = await db.sql`select id::text, invited_by_user_id::text as invited_by from users where organization_id = ${copy}`;
    expect(admin!.invited_by).toBe(ROOT);
    expect(await db.sql`select performed_by_user_id::text as by from user_management_audit_logs where user_id = ${admin!.id as string}`).toEqual([{ by: ROOT }]);
    // The distributor's transfer into the original's warehouse is the distributor's row: the copy adds no transaction.
    expect((await one(db.sql`select count(*)::int as n from transactions`))!.n).toBe(2);
    // The copy goes again, so that the tests below start from the backup's organizations.
    const gone = await cli(['tenant', 'erase', copy, '--yes', '--confirm', copy, '--reason', 'test', '--shared-rows', 'tombstone']);
    expect(gone.code, gone.stderr + gone.stdout).toBe(0);
  });
});
