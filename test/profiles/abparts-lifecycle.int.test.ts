import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABPARTS_TOMBSTONE } from '../../src/pooled/profiles/abparts.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { schemaChecksum } from '../tenants/helpers.js';
import { loadSqlFile } from './load-profile-sql.js';

const CROSSING = join(import.meta.dirname, 'data', 'abparts-crossing.sql');
const ORG_A = '01aa0000-0000-4000-8000-000000000001';
const ORG_B = '01bb0000-0000-4000-8000-000000000001';
const SUPER_ADMIN = '020e0000-0000-4000-8000-000000000001';

/**
 * ABParts (seed 002) end to end through the built CLI, on the planted crossing dataset
 * (test/profiles/data/abparts-crossing.md): provisioning under the seed's rules, listings
 * without the platform singletons, and erasure that refuses — or tombstones — what other
 * organizations must keep.
 */
describe('abparts profile: provisioning and erasure through the CLI', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  const json = async (args: string[]) => {
    const r = await cli([...args, '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    return JSON.parse(r.stdout);
  };
  /** Every table of the pooled schema, row count and md5 of its rows: "changed nothing" means equal. */
  const checksums = () => schemaChecksum(db.sql, 'public');
  /** Each warehouse's stock as the seed defines it: what transactions bring in minus what they take out. */
  const stockFromHistory = async () => db.sql`
    select w.id::text, coalesce(sum(case when t.to_warehouse_id = w.id then t.quantity else 0 end) - sum(case when t.from_warehouse_id = w.id then t.quantity else 0 end), 0)::text as stock
    from warehouses w left join transactions t on w.id in (t.to_warehouse_id, t.from_warehouse_id)
    where w.organization_id not in (${ORG_A}, ${ABPARTS_TOMBSTONE.organization}) group by w.id order by w.id`;

  beforeAll(async () => {
    db = await createTestDatabase('abparts');
    const up = await runCli(['--profile', 'abparts', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
  });
  afterAll(async () => db.drop());

  it('refuses to provision before a super admin exists, and creates nothing', async () => {
    const r = await cli(['tenant', 'create', 'Early Bird', '--admin-email', 'a@early.test']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('No active super_admin of the oraseas_ee organization');
    expect((await db.sql`select count(*)::int as n from organizations`)[0]!.n).toBe(0);
  });

  it('creates a customer with an invited admin, and a supplier only under a parent', async () => {
    await loadSqlFile(db.sql, CROSSING);
    const created = await json(['tenant', 'create', 'Acme Farms', '--admin-email', 'Boss@Acme.test', '--warehouse', 'Main store']);
    expect(created).toMatchObject({ slug: 'Acme Farms', plan: 'customer', owner: { email: 'boss@acme.test', role: 'admin', passwordSet: false } });
    expect(JSON.stringify(created)).not.toMatch(/invitation_token|[0-9a-f]{64}/);
    const [admin] = await db.sql`select u.role::text, u.user_status::text, u.invited_by_user_id::text as inviter, u.invitation_expires_at - now() > interval '6 days 23 hours' as week,
                                        (select count(*)::int from invitation_audit_logs l where l.user_id = u.id and l.action = 'invited' and l.performed_by_user_id = u.invited_by_user_id) as audited,
                                        (select count(*)::int from warehouses w where w.organization_id = u.organization_id) as warehouses
                                 from users u where u.email = 'boss@acme.test'`;
    expect(admin).toEqual({ role: 'admin', user_status: 'pending_invitation', inviter: SUPER_ADMIN, week: true, audited: 1, warehouses: 1 });

    const orphan = await cli(['tenant', 'create', 'Loose Supplies', '--type', 'supplier', '--admin-email', 'x@loose.test']);
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toContain('A supplier needs a parent organization');
    const singleton = await cli(['tenant', 'create', 'Second Oraseas', '--type', 'oraseas_ee', '--admin-email', 'x@o2.test']);
    expect(singleton.code).toBe(2);
    const supplier = await json(['tenant', 'create', 'Acme Parts', '--type', 'supplier', '--parent', 'Acme Farms', '--admin-email', 'x@acmeparts.test']);
    expect(supplier.plan).toBe('supplier');
    const [{ parent }] = await db.sql`select p.name as parent from organizations o join organizations p on p.id = o.parent_organization_id where o.name = 'Acme Parts'`;
    expect(parent).toBe('Acme Farms');
  });

  it('refuses an e-mail or username another user has, naming the flag, and creates nothing; a common local part falls back to the e-mail', async () => {
    const before = await checksums();
    const email = await cli(['tenant', 'create', 'Copy Farms', '--admin-email', 'ANNA.BERG@kaspianfish.example']);
    expect(email.code, email.stderr).toBe(2);
    expect(email.stderr).toContain('--admin-email anna.berg@kaspianfish.example already has an account, in organization "Kaspian Fish Farms"');
    const username = await cli(['tenant', 'create', 'Copy Farms', '--admin-email', 'new@copy.test', '--admin-username', 'kff.admin']);
    expect(username.code, username.stderr).toBe(2);
    expect(username.stderr).toContain('--admin-username "kff.admin" is taken');
    expect(await checksums()).toEqual(before);
    // Two organizations whose admins are both admin@…: the second cannot be "admin" too (usernames are global).
    const first = await json(['tenant', 'create', 'North Farms', '--admin-email', 'admin@north.test']);
    const second = await json(['tenant', 'create', 'South Farms', '--admin-email', 'admin@south.test']);
    expect([first.details.invitation.username, second.details.invitation.username]).toEqual(['admin', 'admin@south.test']);
    const rows = await db.sql`select username, email from users where email like 'admin@%.test' order by email`;
    expect(rows).toEqual([{ username: 'admin', email: 'admin@north.test' }, { username: 'admin@south.test', email: 'admin@south.test' }]);
    await db.sql`delete from invitation_audit_logs where user_id in (select id from users where email like 'admin@%.test')`;
    await db.sql`delete from users where email like 'admin@%.test'`;
    await db.sql`delete from organizations where name in ('North Farms', 'South Farms')`;
  });

  it('counts the 100-customer limit under the provisioning lock, and a refusal creates nothing', async () => {
    const [{ n }] = await db.sql`select count(*)::int as n from organizations where organization_type = 'customer'`;
    await db.sql`insert into organizations (name, organization_type) select 'Filler ' || g, 'customer' from generate_series(1, ${100 - n}) g`;
    const before = await checksums();
    const r = await cli(['tenant', 'create', 'One Too Many', '--admin-email', 'x@many.test']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('at most 100 customer organizations; there are 100 already');
    expect(await checksums()).toEqual(before);
    await db.sql`delete from organizations where name like 'Filler %'`;
  });

  it('lists tenants without the platform singletons, and suspends by the boolean is_active', async () => {
    const names = (await json(['tenant', 'list'])).map((t: { slug: string }) => t.slug);
    expect(names).toEqual(expect.arrayContaining(['Acme Farms', 'Acme Parts', 'Kaspian Fish Farms']));
    expect(names).not.toContain('Oraseas EE');
    expect(names).not.toContain('BossAqua');
    const suspend = await cli(['tenant', 'suspend', 'Acme Parts', '--reason', 'test']);
    expect(suspend.code, suspend.stderr).toBe(0);
    expect((await db.sql`select is_active from organizations where name = 'Acme Parts'`)[0]!.is_active).toBe(false);
    const suspended = (await json(['tenant', 'list', '--status', 'suspended'])).map((t: { slug: string }) => t.slug);
    expect(suspended).toEqual(['Acme Parts']);
    expect((await cli(['tenant', 'resume', 'Acme Parts', '--reason', 'test'])).code).toBe(0);
  });

  it('never erases a platform singleton', async () => {
    const before = await checksums();
    const r = await cli(['tenant', 'erase', 'Oraseas EE', '--yes', '--confirm', 'Oraseas EE', '--reason', 'test']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('platform singleton');
    expect(await checksums()).toEqual(before);
  });

  it('refuses to erase A while others keep rows pointing at it, naming them, and changes nothing', async () => {
    const before = await checksums();
    const plan = JSON.parse((await cli(['tenant', 'erase', ORG_A, '--dry-run', '--json'])).stdout);
    expect(JSON.stringify(plan)).toContain('015a0000-0000-4000-8000-000000000001');
    const r = await cli(['tenant', 'erase', ORG_A, '--yes', '--confirm', ORG_A, '--reason', 'GDPR art. 17']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("would break other tenants' rows");
    expect(r.stderr).toContain('Nothing was changed');
    expect(await checksums()).toEqual(before);
  });

  it('--shared-rows tombstone keeps every other organization\'s stock and orders, and no trace of A remains', async () => {
    // The supplier under A is refused either way (NULL breaks supplier_must_have_parent): re-parent it first, as the report says.
    await db.sql`update organizations set parent_organization_id = ${ORG_B} where parent_organization_id = ${ORG_A}`;
    const stock = await stockFromHistory();
    const orders = await db.sql`select id::text, order_date::text, status from customer_orders where customer_organization_id = ${ORG_A} order by id`;
    const lines = await db.sql`select i.customer_order_id::text, i.part_id::text, i.quantity::text from customer_order_items i join customer_orders o on o.id = i.customer_order_id where o.customer_organization_id = ${ORG_A} order by 1, 2`;
    // Other organizations' free text naming A's people, beside a namesake of B's and words that merely contain a username.
    await db.sql`update machines set notes = 'Checked by ANNA  BERG with Olav Berg; kff.administrator account; Mark Ilvesson visited; forwarded to bob-kff.admin@other.test, KFF.Admin@other.test' where id = '06bb0000-0000-4000-8000-000000000001'`;
    // The transfer A → B is co-owned and kept: its notes, and those of an approval of it by A's person, name A's people.
    await db.sql`update transactions set notes = 'Handed over by kff.tech (mark.ilves@kaspianfish.example)' where id = '07aa0000-0000-4000-8000-000000000004'`;
    await db.sql`insert into transaction_approvals (id, transaction_id, approver_id, status, notes) values ('18aa0000-0000-4000-8000-0000000000f1', '07aa0000-0000-4000-8000-000000000004', '02aa0000-0000-4000-8000-000000000002', 'approved', 'Mark Ilves agreed')`;
    // B's own customer order, whose note names A's person.
    await db.sql`update customer_orders set notes = 'Ordered on behalf of kff.tech' where id = '08bb0000-0000-4000-8000-000000000001'`;
    const dry = JSON.parse((await cli(['tenant', 'erase', ORG_A, '--shared-rows', 'tombstone', '--dry-run', '--json'])).stdout);
    const namesFound = (table: string) => dry.plan.personalData.find((p: { table: string; holds: string }) => p.table === table && p.holds === 'names')?.rows;
    expect(namesFound('transaction_approvals')).toBe(1); // "Approved by Anna Berg on behalf of NNC"
    expect(namesFound('machines')).toBe(1);
    // A username is named as one, not as an e-mail.
    const dryText = (await cli(['tenant', 'erase', ORG_A, '--shared-rows', 'tombstone', '--dry-run'])).stdout;
    expect(dryText).toContain("personal data: customer_orders.notes holds the tenant's usernames in 1 rows: scrub");
    const r = await cli(['tenant', 'erase', ORG_A, '--shared-rows', 'tombstone', '--yes', '--confirm', 'Kaspian Fish Farms', '--reason', 'GDPR art. 17', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect((await db.sql`select notes from transaction_approvals where id = '18bb0000-0000-4000-8000-000000000001'`)[0]!.notes).toBe('Approved by [erased] on behalf of NNC');
    // Kept with the co-owned transfer, so scrubbed like any other tenant's row (the post-scan finds nothing).
    expect((await db.sql`select notes from transactions where id = '07aa0000-0000-4000-8000-000000000004'`)[0]!.notes).toBe('Handed over by [erased] ([erased])');
    expect(await db.sql`select approver_id::text, notes from transaction_approvals where id = '18aa0000-0000-4000-8000-0000000000f1'`).toEqual([{ approver_id: ABPARTS_TOMBSTONE.user, notes: '[erased] agreed' }]);
    expect((await db.sql`select notes from customer_orders where id = '08bb0000-0000-4000-8000-000000000001'`)[0]!.notes).toBe('Ordered on behalf of [erased]');
    // Word-bounded and case-insensitive: B's Olav Berg, "kff.administrator" and "Mark Ilvesson" are not A's people;
    // A's username kff.admin inside other people's addresses (after `-`, before `@`) is not A's admin either.
    expect((await db.sql`select notes from machines where id = '06bb0000-0000-4000-8000-000000000001'`)[0]!.notes).toBe('Checked by [erased] with Olav Berg; kff.administrator account; Mark Ilvesson visited; forwarded to bob-kff.admin@other.test, KFF.Admin@other.test');
    expect((await db.sql`select name from users where id = '02bb0000-0000-4000-8000-000000000002'`)[0]!.name).toBe('Olav Berg');
    expect(await stockFromHistory()).toEqual(stock);
    expect(await db.sql`select id::text, order_date::text, status from customer_orders where id in ${db.sql(orders.map((o) => o.id as string))} order by id`).toEqual(orders);
    expect(await db.sql`select customer_order_id::text, part_id::text, quantity::text from customer_order_items where customer_order_id in ${db.sql(orders.map((o) => o.id as string))} order by 1, 2`).toEqual(lines);
    expect((await db.sql`select count(*)::int as n from organizations where id = ${ORG_A}`)[0]!.n).toBe(0);
    const names = (await json(['tenant', 'list'])).map((t: { slug: string }) => t.slug);
    expect(names).not.toContain('Erased organization');
    expect(names).not.toContain('Kaspian Fish Farms');
    // The placeholder never counts against the customer limit.
    const [{ n }] = await db.sql`select count(*)::int as n from organizations where organization_type = 'customer' and is_active`;
    expect(n).toBeGreaterThan(0);
  });
});
