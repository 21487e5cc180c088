import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import type { TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { crossingDatabase } from './helpers.js';

const client = await backupClientStatus();
/** abparts-crossing.sql: Baltic Aqua Services, a customer with an order at the distributor (Oraseas). */
const BALTIC = '01cc0000-0000-4000-8000-000000000001';
const ORDER = '08cc0000-0000-4000-8000-000000000001';
const BALTIC_WAREHOUSE = '03cc0000-0000-4000-8000-000000000001';
/** Its consumption on Kaspian Fish Farms' machine: kept for Kaspian, its notes scrubbed of Baltic's people. */
const CONSUMPTION = '07cc0000-0000-4000-8000-000000000003';
const NOTES = 'Contract cleaning, signed off by marta.zale@balticaqua.example';

/**
 * Restoring an ABParts customer after an erasure with `--shared-rows tombstone`: its order with
 * the distributor stayed, re-pointed at the placeholder, as the distributor's sales record; the
 * distributor may have changed it since. The restore takes the order back (the customer, the
 * ordering user and the notes the erasure cleared) and keeps the distributor's change.
 */
describe.skipIf(!client.ok)(client.ok ? 'abparts: restore-tenant takes back what the erasure changed, and only that' : `abparts take-back (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  const order = async () => (await db.sql`select customer_organization_id::text as customer, ordered_by_user_id::text as by, notes, status from customer_orders where id = ${ORDER}`)[0];
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-reclaim-'));
    db = await crossingDatabase('preclaim', 'abparts');
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('keeps the distributor\'s later change to the order it kept, and takes back the rest', async () => {
    await db.sql`update transactions set notes = ${NOTES} where id = ${CONSUMPTION}`;
    const original = await order();
    expect(original).toMatchObject({ customer: BALTIC, notes: expect.stringContaining('@') });
    expect(original!.by).not.toBeNull();
    const created = await cli(['backup', 'create', '--out', join(work, 'b'), '--json']);
    expect(created.code, created.stderr).toBe(0);
    const erased = await cli(['tenant', 'erase', BALTIC, '--yes', '--confirm', BALTIC, '--reason', 'take-back test', '--shared-rows', 'tombstone', '--json']);
    expect(erased.code, erased.stderr + erased.stdout).toBe(0);
    const kept = await order();
    expect(kept).toMatchObject({ by: null, notes: null, status: original!.status });
    expect(kept!.customer).not.toBe(BALTIC);
    // The distributor's own change, after the erasure.
    await db.sql`update customer_orders set status = 'returned' where id = ${ORDER}`;

    const restored = await cli(['backup', 'restore-tenant', join(work, 'b'), '--tenant', BALTIC, '--force', '--json']);
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    // Its own consumption, and the distributor's two transfers into its warehouse (the distributor's rows, re-pointed by the erasure).
    expect(JSON.parse(restored.stdout).reclaimed).toMatchObject({ customer_orders: 1, transactions: 3 });
    expect(await db.sql`select id::text, to_warehouse_id::text as to from transactions where id in ('070e0000-0000-4000-8000-000000000007', '070e0000-0000-4000-8000-000000000008') order by 1`)
      .toEqual([{ id: '070e0000-0000-4000-8000-000000000007', to: BALTIC_WAREHOUSE }, { id: '070e0000-0000-4000-8000-000000000008', to: BALTIC_WAREHOUSE }]);
    expect(await order()).toEqual({ ...original, status: 'returned' });
    // Text the erasure scrubbed and nobody touched since comes back whole.
    expect((await db.sql`select notes from transactions where id = ${CONSUMPTION}`)[0]).toEqual({ notes: NOTES });
  });

  it('keeps scrubbed text that the keeping organization changed since, as it is', async () => {
    const erased = await cli(['tenant', 'erase', BALTIC, '--yes', '--confirm', BALTIC, '--reason', 'take-back test', '--shared-rows', 'tombstone', '--json']);
    expect(erased.code, erased.stderr + erased.stdout).toBe(0);
    const [scrubbed] = await db.sql`select notes from transactions where id = ${CONSUMPTION}`;
    expect(scrubbed!.notes).toBe('Contract cleaning, signed off by [erased]');
    // Kaspian adds to the note of the consumption on its machine.
    await db.sql`update transactions set notes = notes || '; invoiced by KFF' where id = ${CONSUMPTION}`;
    const restored = await cli(['backup', 'restore-tenant', join(work, 'b'), '--tenant', BALTIC, '--force', '--json']);
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    expect((await db.sql`select notes from transactions where id = ${CONSUMPTION}`)[0]).toEqual({ notes: 'Contract cleaning, signed off by [erased]; invoiced by KFF' });
  });
});
