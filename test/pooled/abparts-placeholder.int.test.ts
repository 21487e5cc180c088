import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/connect.js';
import { applyErase } from '../../src/pooled/apply.js';
import { classify, type Classification } from '../../src/pooled/classify.js';
import { planErase } from '../../src/pooled/plan.js';
import { postScan } from '../../src/pooled/post-scan.js';
import { ABPARTS_DECLARATIONS as ABPARTS, ABPARTS_TOMBSTONE as TOMB } from '../../src/pooled/profiles/abparts.js';
import { migrateProfileUp, profileMigrations } from '../profiles/load-profile-sql.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { checksums } from './synthetic.js';

/**
 * Two audit findings of issue 15 on ABParts: (1) rows an earlier tombstone left between the
 * "erased organization" placeholder and B no longer block a plain erase of B; (2) a username
 * that is an ordinary word (`admin`) is not scrubbed from other tenants' free text.
 */

/** `TT00000O-0000-4000-8000-00000000000N`: TT table, O organization (a, b, c), N sequence. */
const id = (tt: string, org: string, n = 1) => `${tt}00000${org}-0000-4000-8000-00000000000${n}`;
const ORG = { A: id('01', 'a'), B: id('01', 'b'), C: id('01', 'c') };
const WH = { A: id('03', 'a'), B: id('03', 'b'), C: id('03', 'c') };
const USER = { admin: id('02', 'a'), kffAdmin: id('02', 'a', 2), B: id('02', 'b'), C: id('02', 'c') };
const PART = id('04', '0');
const TX = {
  aCreate: id('07', 'a', 1), aToB: id('07', 'a', 2), aToC: id('07', 'a', 3),
  bToA: id('07', 'b', 1), bCreate: id('07', 'b', 2), bToC: id('07', 'b', 3),
  cCreate: id('07', 'c', 1),
};

async function plant(sql: Sql): Promise<void> {
  await sql`insert into organizations (id, name, organization_type) values
    (${ORG.A}, 'Kaspian Fish Farms', 'customer'), (${ORG.B}, 'Beta Farms', 'customer'), (${ORG.C}, 'Gamma Aqua', 'customer')`;
  await sql`insert into users (id, organization_id, username, password_hash, email, name, role) values
    (${USER.admin}, ${ORG.A}, 'admin', '!', 'anna.berg@kff.example', 'Anna Berg', 'admin'),
    (${USER.kffAdmin}, ${ORG.A}, 'kff.admin', '!', 'mark.ilves@kff.example', 'Mark Ilves', 'admin'),
    (${USER.B}, ${ORG.B}, 'beta.admin', '!', 'sofia.lind@beta.example', 'Sofia Lind', 'admin'),
    (${USER.C}, ${ORG.C}, 'gamma.admin', '!', 'marta.zale@gamma.example', 'Marta Zale', 'admin')`;
  await sql`insert into warehouses (id, organization_id, name) values (${WH.A}, ${ORG.A}, 'KFF Main'), (${WH.B}, ${ORG.B}, 'Beta Main'), (${WH.C}, ${ORG.C}, 'Gamma Main')`;
  await sql`insert into parts (id, part_number, name) values (${PART}, 'AB-FLT-001', 'Net cleaner filter')`;
  const tx = (txId: string, type: string, from: string | null, to: string | null, quantity: number, by: string) =>
    sql`insert into transactions (id, transaction_type, part_id, from_warehouse_id, to_warehouse_id, quantity, unit_of_measure, performed_by_user_id, transaction_date)
      values (${txId}, ${type}, ${PART}, ${from}, ${to}, ${quantity}, 'pieces', ${by}, '2025-02-01 10:00+00')`;
  await tx(TX.aCreate, 'creation', null, WH.A, 20, USER.admin);
  await tx(TX.aToB, 'transfer', WH.A, WH.B, 4, USER.kffAdmin); // A → B: tombstoned to placeholder → B
  await tx(TX.aToC, 'transfer', WH.A, WH.C, 3, USER.admin); // A → C: tombstoned to placeholder → C, C's history
  await tx(TX.bCreate, 'creation', null, WH.B, 9, USER.B);
  await tx(TX.bToA, 'transfer', WH.B, WH.A, 1, USER.B); // B → A: tombstoned to B → placeholder
  await tx(TX.bToC, 'transfer', WH.B, WH.C, 2, USER.B); // B → C: a live third party, refused
  await tx(TX.cCreate, 'creation', null, WH.C, 7, USER.C);
  // C's invitation log: prose using the ordinary word "admin", and A's made-up username.
  await sql`insert into invitation_audit_logs (id, user_id, action, timestamp, details) values
    (${id('15', 'c', 1)}, ${USER.C}, 'invited', '2025-01-05 09:00+00', 'invitation sent to the first admin of Gamma Aqua'),
    (${id('15', 'c', 2)}, ${USER.C}, 'accepted', '2025-01-06 09:00+00', 'set up together with kff.admin, first admin of Gamma Aqua')`;
}

/** C's rows in every table (none elsewhere): organization, people, warehouse, transactions touching it, its logs. */
const cRows = (table: string): string => ({
  organizations: `id = '${ORG.C}'`,
  users: `organization_id = '${ORG.C}'`,
  warehouses: `organization_id = '${ORG.C}'`,
  transactions: `'${WH.C}' in (from_warehouse_id, to_warehouse_id)`,
  invitation_audit_logs: `user_id = '${USER.C}'`,
} as Record<string, string>)[table] ?? 'false';

/** A warehouse's stock as computed from the transaction history (into minus out of). */
async function stockOf(sql: Sql, warehouse: string): Promise<string> {
  const [row] = await sql`select coalesce(sum(case when to_warehouse_id = ${warehouse} then quantity else -quantity end), 0)::text as n
    from transactions where ${warehouse} in (from_warehouse_id, to_warehouse_id)`;
  return (row as { n: string }).n;
}

const details = async (sql: Sql) => (await sql`select details from invitation_audit_logs where user_id = ${USER.C} order by id`).map((r) => (r as { details: string }).details);

describe('ABParts erasure after a tombstone: placeholder rows, and usernames that are ordinary words', () => {
  let db: TestDatabase;
  let sql: Sql;
  let cls: Classification;
  beforeAll(async () => {
    db = await createTestDatabase('pooled_abparts_placeholder');
    sql = db.sql;
    await migrateProfileUp(sql, await profileMigrations('abparts'));
    await plant(sql);
    cls = await classify(sql, ABPARTS);
  });
  afterAll(async () => db.drop());

  it('names the username `admin` as not searched, keeps C\'s "first admin" text byte-identical and still scrubs `kff.admin`', async () => {
    const plan = await planErase(sql, ABPARTS, cls, ORG.A, { sharedRows: 'tombstone' });
    expect(plan.unsearchedIdentifiers).toEqual(['admin']);
    expect(plan.notes).toContainEqual(expect.stringMatching(/^1 username not searched in free text: an ordinary word \(/));
    expect(plan.notes.join()).not.toContain('admin'); // the notes go into the receipt, which holds no personal data
    expect(plan.refusals).toEqual([]);
    const result = await sql.begin((tx) => applyErase(tx as unknown as Sql, plan));
    expect(await details(sql)).toEqual([
      'invitation sent to the first admin of Gamma Aqua',
      'set up together with [erased], first admin of Gamma Aqua',
    ]);
    expect((await postScan(sql, ABPARTS, cls, ORG.A, result.erasedValues, result.erasedNames)).found).toEqual([]);
    const [moved] = await sql`select
      (select row(from_warehouse_id, to_warehouse_id)::text from transactions where id = ${TX.aToB}) as a_to_b,
      (select row(from_warehouse_id, to_warehouse_id)::text from transactions where id = ${TX.bToA}) as b_to_a`;
    expect(moved).toEqual({ a_to_b: `(${TOMB.warehouse},${WH.B})`, b_to_a: `(${WH.B},${TOMB.warehouse})` });
  });

  it('refuses B only for the row shared with C, a real organization, never for rows shared only with the placeholder', async () => {
    const plan = await planErase(sql, ABPARTS, cls, ORG.B);
    const refused = plan.refusals.flatMap((r) => r.sample.map((x) => `${r.table}.${r.columns.join()} ${x.row} of ${x.ownerHandle}`));
    expect(refused).toEqual([`transactions.to_warehouse_id ${TX.bToC} of Gamma Aqua`]);
  });

  it('then erases B by default: the placeholder\'s rows with B go, C is byte-identical and its stock unchanged, nothing of B remains', async () => {
    await sql`delete from transactions where id = ${TX.bToC}`; // C and B settle their shared transfer first
    const cBefore = await checksums(sql, 'public', cRows);
    const cStock = await stockOf(sql, WH.C);
    const plan = await planErase(sql, ABPARTS, cls, ORG.B);
    expect(plan.refusals).toEqual([]);
    expect(plan.notes).toContainEqual(expect.stringMatching(/^1 transactions row shared only with the erased-organization placeholder/));
    const result = await sql.begin((tx) => applyErase(tx as unknown as Sql, plan));

    const left = await sql`select id::text from transactions order by id`;
    expect(left.map((r) => (r as { id: string }).id)).toEqual([TX.aToC, TX.cCreate]); // placeholder → C stays for C's history
    expect(await checksums(sql, 'public', cRows)).toEqual(cBefore);
    expect(await stockOf(sql, WH.C)).toBe(cStock);
    expect(cStock).toBe('10.000');
    const [gone] = await sql`select (select count(*)::int from organizations where id = ${ORG.B}) as org, (select count(*)::int from warehouses where organization_id = ${ORG.B}) as warehouses`;
    expect(gone).toEqual({ org: 0, warehouses: 0 });
    expect((await postScan(sql, ABPARTS, cls, ORG.B, result.erasedValues, result.erasedNames)).found).toEqual([]);
  });
});
