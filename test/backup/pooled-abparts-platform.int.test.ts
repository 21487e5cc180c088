import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ABPARTS_TOMBSTONE } from '../../src/pooled/profiles/abparts.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { A_WH, CUST_A, DATA, ORASEAS, ORDER, ROOT, TRANSFER_IN, TRANSFER_OUT } from '../profiles/abparts-platform-data.js';

/**
 * ABParts restore-tenant against the platform singletons, on hand-written data (see
 * abparts-platform-data.ts).
 */
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
