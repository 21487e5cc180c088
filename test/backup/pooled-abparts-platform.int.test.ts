import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ABPARTS_TOMBSTONE } from '../../src/pooled/profiles/abparts.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { A_WH, CUST_A, DATA, ORASEAS, ORASEAS_WH, ORDER, ROOT, TRANSFER_IN, TRANSFER_OUT } from '../profiles/abparts-platform-data.js';

/**
 * ABParts restore-tenant against the platform singletons, on hand-written data (see
 * abparts-platform-data.ts).
 */
const TRANSFER_IN_CHANGED = 'e8000000-0000-0000-0000-000000000003';
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
    // A second transfer into A's warehouse, which the distributor changes after A's erasure.
    await db.sql`insert into transactions (id, transaction_type, part_id, from_warehouse_id, to_warehouse_id, quantity, unit_of_measure, performed_by_user_id, transaction_date)
      select ${TRANSFER_IN_CHANGED}, 'transfer', part_id, from_warehouse_id, to_warehouse_id, 5, unit_of_measure, performed_by_user_id, transaction_date from transactions where id = ${TRANSFER_IN}`;
    await db.sql`update inventory set current_stock = current_stock + 5 where warehouse_id = ${A_WH}`;
    backup = join(work, 'bk');
    const created = await cli(['backup', 'create', '--out', backup, '--json']);
    if (created.code !== 0) throw new Error(created.stderr);
    // The original goes (its username must be free for the copy), its shared rows kept on the placeholder.
    const erased = await cli(['tenant', 'erase', 'Cust A', '--yes', '--confirm', 'Cust A', '--reason', 'test', '--shared-rows', 'tombstone', '--json']);
    if (erased.code !== 0) throw new Error(erased.stderr + erased.stdout);
    await db.sql`update transactions set notes = 'recounted by Oraseas' where id = ${TRANSFER_IN_CHANGED}`;
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
    expect((await one(db.sql`select count(*)::int as n from transactions`))!.n).toBe(3);
    // The copy goes again, so that the tests below start from the backup's organizations.
    const gone = await cli(['tenant', 'erase', copy, '--yes', '--confirm', copy, '--reason', 'test', '--shared-rows', 'tombstone']);
    expect(gone.code, gone.stderr + gone.stdout).toBe(0);
  });

  it('restored as itself, it takes back the distributor\'s transfer its erasure re-pointed at the placeholder, unless the distributor changed it since', async () => {
    const to = async (id: string) => (await one(db.sql`select to_warehouse_id::text as to from transactions where id = ${id}`))!.to;
    expect(await to(TRANSFER_IN)).toBe(ABPARTS_TOMBSTONE.warehouse);
    const r = await cli(['backup', 'restore-tenant', backup, '--tenant', 'Cust A', '--force', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    // A's own transfer out, and the distributor's transfer in.
    expect(JSON.parse(r.stdout).reclaimed).toMatchObject({ transactions: 2 });
    expect(await to(TRANSFER_IN)).toBe(A_WH);
    expect(await one(db.sql`select from_warehouse_id::text as "from", to_warehouse_id::text as to from transactions where id = ${TRANSFER_OUT}`)).toEqual({ from: A_WH, to: ORASEAS_WH });
    // The distributor's own change is its to keep: that row stays as it is, on the placeholder.
    expect(await one(db.sql`select to_warehouse_id::text as to, notes from transactions where id = ${TRANSFER_IN_CHANGED}`)).toEqual({ to: ABPARTS_TOMBSTONE.warehouse, notes: 'recounted by Oraseas' });
    // A's stock adds up from its history again, but for the changed transfer.
    const [moved] = await db.sql`select coalesce(sum(case when to_warehouse_id = ${A_WH} then quantity else -quantity end), 0)::int as n from transactions where ${A_WH} in (to_warehouse_id, from_warehouse_id)`;
    expect(moved!.n).toBe(18);
    expect(await one(db.sql`select current_stock::int as n from inventory where warehouse_id = ${A_WH}`)).toEqual({ n: 23 });
    expect(await db.sql`select id::text from organizations where id = ${CUST_A}`).toHaveLength(1);
  });
});
