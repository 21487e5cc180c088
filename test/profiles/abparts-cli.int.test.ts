import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABPARTS_TOMBSTONE } from '../../src/pooled/profiles/abparts.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { loadSqlFile } from './load-profile-sql.js';

const CROSSING = join(import.meta.dirname, 'data', 'abparts-crossing.sql');
const ORG_A = '01aa0000-0000-4000-8000-000000000001';
const ORG_B = '01bb0000-0000-4000-8000-000000000001';

/**
 * Every table with an `id`, and how many of its rows the dataset's id scheme (`TTOO…`, OO =
 * owner) gives to `owner`; transactions by their owner path instead (the warehouse they leave,
 * else the one they enter): B's consumption 07bb…04 out of A's warehouse is A's row, co-owned by B.
 */
async function ownedById(db: TestDatabase, owner: string): Promise<Record<string, number>> {
  const tables = await db.sql`select table_name::text as t from information_schema.columns where table_schema = 'public' and column_name = 'id' and table_name in (select tablename from pg_tables where schemaname = 'public') order by 1`;
  const counts: Record<string, number> = {};
  for (const { t } of tables) {
    const [{ n }] = t === 'transactions'
      ? await db.sql`select count(*)::int as n from transactions x join warehouses w on w.id = coalesce(x.from_warehouse_id, x.to_warehouse_id) where substr(w.id::text, 3, 2) = ${owner}`
      : await db.sql`select count(*)::int as n from ${db.sql(t as string)} where substr(id::text, 3, 2) = ${owner}`;
    if (n) counts[t as string] = n as number;
  }
  return counts;
}

/**
 * The lifecycle commands on ABParts (seed 002) through the built CLI, on the crossing dataset
 * (test/profiles/data/abparts-crossing.md): profile check, list, show, export, suspend and
 * resume, erasure receipts; and the "erased organization" placeholder, which no listing,
 * size report or command ever treats as a customer.
 */
describe('abparts profile: the lifecycle commands through the CLI', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  const json = async (args: string[]) => {
    const r = await cli([...args, '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    db = await createTestDatabase('abparts_cli');
    const up = await runCli(['--profile', 'abparts', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    await loadSqlFile(db.sql, CROSSING);
  });
  afterAll(async () => db.drop());

  it('profile check --json classifies every table as POOLED.md §2 does, with no error', async () => {
    const check = await json(['profile', 'check']);
    const classOf = Object.fromEntries(check.classification.tables.map((t: { table: string; class: string }) => [t.table, t.class]));
    expect(classOf).toEqual({
      organizations: 'registry', parts: 'global',
      users: 'direct', warehouses: 'direct', machines: 'direct', part_usage: 'direct', supplier_orders: 'direct', customer_orders: 'direct',
      inventory: 'indirect', stock_adjustments: 'indirect', transactions: 'indirect', transaction_approvals: 'indirect',
      customer_order_items: 'indirect', supplier_order_items: 'indirect',
      security_events: 'indirect', user_sessions: 'indirect', invitation_audit_logs: 'indirect', user_management_audit_logs: 'indirect',
    });
    const owner = (table: string) => check.classification.tables.find((t: { table: string }) => t.table === table);
    expect(owner('customer_orders').tenantColumn).toBe('customer_organization_id');
    expect(owner('transactions').ownerPath).toContain('transactions.from_warehouse_id (else to_warehouse_id, else machine_id, else performed_by_user_id)');
    expect(check.summary.errors).toBe(0);
  });

  it('tenant list shows the customers and suppliers, never the platform singletons; tenant show counts every owned row', async () => {
    const list = await json(['tenant', 'list']);
    expect(list.map((t: { slug: string }) => t.slug).sort()).toEqual(['Baltic Aqua Services', 'Kaspian Fish Farms', 'Kaspian Local Supplies', 'Nordic Net Cleaning', 'Tallinn Hydraulics']);
    expect(list.find((t: { slug: string }) => t.slug === 'Nordic Net Cleaning')).toMatchObject({ name: 'Nordic Net Cleaning', status: 'active', plan: 'customer' });
    const show = await json(['tenant', 'show', 'Nordic Net Cleaning']);
    expect(show).toEqual(await json(['tenant', 'show', ORG_B]));
    const shown = Object.fromEntries(show.tables.filter((t: { rows: number }) => t.rows > 0).map((t: { table: string; rows: number }) => [t.table, t.rows]));
    expect(shown).toEqual(await ownedById(db, 'bb'));
  });

  it('tenant export writes exactly B\'s rows of every table, with a manifest, privately (0600 files, 0700 folders)', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'abparts-export-')), 'nnc');
    const manifest = await json(['tenant', 'export', 'Nordic Net Cleaning', '--out', out]);
    expect(manifest.tenant).toMatchObject({ id: ORG_B, slug: 'Nordic Net Cleaning' });
    type File = { table: string; rows: number; scope: string; file: string };
    const rows = Object.fromEntries(manifest.files.filter((f: File) => f.rows > 0 && f.scope === 'tenant').map((f: File) => [f.table.replace(/^public\./, ''), f.rows]));
    expect(rows).toEqual(await ownedById(db, 'bb'));
    expect(rows.parts).toBeUndefined();
    // Other organizations' transactions B takes part in, under shared/: the distributor's two
    // transfers and Kaspian's loan into B's warehouse, Kaspian's consumption on B's machine.
    const party = manifest.files.filter((f: File) => f.rows > 0 && f.scope === 'shared').map((f: File) => [f.file, f.rows]);
    expect(party).toEqual([['shared/public.transactions.csv', 4]]);
    const [, ...partyLines] = (await readFile(join(out, 'shared', 'public.transactions.csv'), 'utf8')).trim().split('\n');
    expect(partyLines.map((l) => l.slice(0, 36)).sort()).toEqual(['070e0000-0000-4000-8000-000000000005', '070e0000-0000-4000-8000-000000000006', '07aa0000-0000-4000-8000-000000000004', '07bb0000-0000-4000-8000-000000000004']);
    for (const file of await readdir(join(out, 'tenant'))) {
      const [header, ...lines] = (await readFile(join(out, 'tenant', file), 'utf8')).trim().split('\n');
      expect(header!.startsWith('id,'), file).toBe(true);
      if (file !== 'transactions.csv') for (const line of lines) expect(line.slice(2, 4), `${file}: ${line.slice(0, 36)}`).toBe('bb');
      expect((await stat(join(out, 'tenant', file))).mode & 0o777).toBe(0o600);
    }
    for (const path of [out, join(out, 'tenant'), join(out, 'shared')]) expect((await stat(path)).mode & 0o777).toBe(0o700);
    expect((await stat(join(out, 'shared', 'public.transactions.csv'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(out, 'manifest.json'))).mode & 0o777).toBe(0o600);
  });

  it('suspends and resumes through is_active, by name or id', async () => {
    const s = await cli(['tenant', 'suspend', 'Nordic Net Cleaning', '--reason', 'unpaid']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toContain('active → suspended');
    expect((await db.sql`select is_active from organizations where id = ${ORG_B}`)[0]!.is_active).toBe(false);
    expect((await json(['tenant', 'show', ORG_B])).status).toBe('suspended');
    const resumed = await cli(['tenant', 'resume', ORG_B, '--reason', 'paid']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('suspended → active');
    expect((await db.sql`select is_active from organizations where id = ${ORG_B}`)[0]!.is_active).toBe(true);
    // The platform singletons are nobody's tenant: never suspended, shown or exported.
    for (const args of [['tenant', 'suspend', 'Oraseas EE', '--reason', 'x'], ['tenant', 'show', 'BossAqua']]) {
      const r = await cli([...args, '--json']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(JSON.parse(r.stdout).error.code).toBe('NOT_A_TENANT');
      expect(r.stderr).toContain('platform singleton');
    }
    expect((await db.sql`select count(*)::int as n from organizations where is_active`)[0]!.n).toBe(7);
  });

  it('a real organization holding the placeholder\'s name stops a tombstone erasure, clearly, and nothing changes', async () => {
    await db.sql`update organizations set parent_organization_id = ${ORG_B} where parent_organization_id = ${ORG_A}`;
    const [taken] = await db.sql`insert into organizations (name, organization_type) values ('Erased organization', 'customer') returning id::text as id`;
    const before = await ownedById(db, 'aa');
    const r = await cli(['tenant', 'erase', 'Kaspian Fish Farms', '--shared-rows', 'tombstone', '--yes', '--confirm', ORG_A, '--reason', 'x', '--json']);
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stdout);
    expect(error.code).toBe('ERASE_PLACEHOLDER_TAKEN');
    expect(error.message).toContain('(name)=(Erased organization) already exists');
    expect(error.message).toContain('Nothing was erased');
    expect(await ownedById(db, 'aa')).toEqual(before);
    expect((await db.sql`select count(*)::int as n from organizations where id = ${ABPARTS_TOMBSTONE.organization}`)[0]!.n).toBe(0);
    await db.sql`delete from organizations where id = ${taken!.id}`;
  });

  it('an erasure leaves a verifiable receipt without personal data, and the placeholder is nobody\'s tenant', async () => {
    await db.sql`update organizations set parent_organization_id = ${ORG_B} where parent_organization_id = ${ORG_A}`;
    const erased = await json(['tenant', 'erase', 'Kaspian Fish Farms', '--shared-rows', 'tombstone', '--yes', '--confirm', ORG_A, '--reason', 'GDPR art. 17', '--ticket', 'DPO-7']);
    const { receipts } = await json(['tenant', 'receipts']);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ sequence: erased.receipt.sequence, digest: erased.receipt.digest });
    expect(JSON.stringify(receipts)).toContain(ORG_A);
    expect(JSON.stringify(receipts)).not.toMatch(/Kaspian Fish Farms|anna\.berg|Anna Berg|kff\.admin|Mark Ilves/i);
    expect((await cli(['tenant', 'receipts', '--verify'])).code).toBe(0);
    // The placeholder the erasure created: in no listing, no size report, no command's reach, and not a customer.
    expect((await db.sql`select count(*)::int as n from organizations where id = ${ABPARTS_TOMBSTONE.organization}`)[0]!.n).toBe(1);
    const slugs = (await json(['tenant', 'list', '--exact-sizes'])).map((t: { slug: string }) => t.slug);
    expect(slugs).not.toContain('Erased organization');
    const sizes = JSON.stringify(await json(['monitor', 'tenant-sizes']));
    expect(sizes).toContain('Nordic Net Cleaning');
    expect(sizes).not.toMatch(/Erased organization|0e0e0e0e-0000-4000-8000-00000000dead/);
    for (const args of [['tenant', 'show', ABPARTS_TOMBSTONE.organization], ['tenant', 'suspend', ABPARTS_TOMBSTONE.organization, '--reason', 'x'], ['tenant', 'export', ABPARTS_TOMBSTONE.organization, '--out', join(tmpdir(), 'never-written')]]) {
      const r = await cli([...args, '--json']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(JSON.parse(r.stdout).error.code, args.join(' ')).toBe('NOT_A_TENANT');
      expect(r.stderr).toContain('is not a tenant: it is the placeholder');
    }
    const again = await cli(['tenant', 'erase', ABPARTS_TOMBSTONE.organization, '--yes', '--confirm', ABPARTS_TOMBSTONE.organization, '--reason', 'x']);
    expect(again.code).not.toBe(0);
    expect((await db.sql`select count(*)::int as n from organizations where id = ${ABPARTS_TOMBSTONE.organization}`)[0]!.n).toBe(1);
  });

  it('a later erasure reuses the one placeholder, which never counts as a customer', async () => {
    const placeholders = () => db.sql`select (select count(*)::int from organizations where name = 'Erased organization') as orgs,
                                             (select count(*)::int from users where organization_id = ${ABPARTS_TOMBSTONE.organization}) as users,
                                             (select count(*)::int from warehouses where organization_id = ${ABPARTS_TOMBSTONE.organization}) as warehouses`;
    expect(await placeholders()).toEqual([{ orgs: 1, users: 1, warehouses: 1 }]);
    // A transfer from B's warehouse into C's: B keeps it, re-pointed at the same placeholder warehouse.
    const transfer = '07bb0000-0000-4000-8000-000000000099';
    await db.sql`insert into transactions (id, transaction_type, part_id, from_warehouse_id, to_warehouse_id, quantity, unit_of_measure, performed_by_user_id, transaction_date)
                 values (${transfer}, 'transfer', '04000000-0000-4000-8000-000000000001', '03bb0000-0000-4000-8000-000000000001', '03cc0000-0000-4000-8000-000000000001', 1, 'pieces', '02bb0000-0000-4000-8000-000000000001', now())`;
    const r = await cli(['tenant', 'erase', 'Baltic Aqua Services', '--shared-rows', 'tombstone', '--yes', '--confirm', 'Baltic Aqua Services', '--reason', 'GDPR art. 17', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(await placeholders()).toEqual([{ orgs: 1, users: 1, warehouses: 1 }]);
    expect((await db.sql`select to_warehouse_id::text as w from transactions where id = ${transfer}`)[0]!.w).toBe(ABPARTS_TOMBSTONE.warehouse);
    // Customers left: B only (A and C erased); the placeholder, a customer by type, is not counted by any listing.
    expect((await json(['tenant', 'list', '--plan', 'customer'])).map((t: { slug: string }) => t.slug)).toEqual(['Nordic Net Cleaning']);
  });

  it('a username that is an ordinary word (`admin`) is named by the dry run as not searched, and B\'s text using the word stays as written', async () => {
    const created = await json(['tenant', 'create', 'Delta Farms', '--admin-email', 'owner@delta.test', '--admin-username', 'admin']);
    const log = '15bb0000-0000-4000-8000-000000000099';
    await db.sql`insert into invitation_audit_logs (id, user_id, action, timestamp, details)
                 values (${log}, '02bb0000-0000-4000-8000-000000000001', 'invited', now(), 'first admin of Nordic Net Cleaning')`;
    const dry = await cli(['tenant', 'erase', 'Delta Farms', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('not searched in free text: an ordinary word: admin');
    const r = await cli(['tenant', 'erase', 'Delta Farms', '--yes', '--confirm', 'Delta Farms', '--reason', 'GDPR art. 17', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect((await db.sql`select details from invitation_audit_logs where id = ${log}`)[0]!.details).toBe('first admin of Nordic Net Cleaning');
    const { receipts } = await json(['tenant', 'receipts']);
    const receipt = receipts.find((x: { body: { tenant_id: string } }) => x.body.tenant_id === created.id);
    expect(receipt.body.notes).toContainEqual(expect.stringMatching(/^1 username not searched in free text: an ordinary word/));
  });
});
