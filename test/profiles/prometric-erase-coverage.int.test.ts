import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { loadSqlFile } from './load-profile-sql.js';

const CROSSING = join(import.meta.dirname, 'data', 'prometric-crossing.sql');
const ORG_A = 'a0000000-0000-4000-8000-000000000000';
const ORG_B = 'b0000000-0000-4000-8000-000000000000';
const AIGERIM = 'e0000000-0000-4000-8000-000000000001'; // employed by A and B, organization_role 'owner'
const NURLAN = 'e0000000-0000-4000-8000-000000000002'; // employed by A only
const NIL = '00000000-0000-0000-0000-000000000000';

/**
 * What a Prometric erasure must reach beyond the attached tables (test/profiles/data/
 * prometric-crossing.md): audit_logs partitions a DBA detached (ordinary tables a delete
 * through the parent never reaches), the erased people's names in other tenants' log text,
 * and the one person-wide role of a person another organization keeps.
 */
describe('prometric erasure: detached partitions, names in free text, the shared role', () => {
  let db: TestDatabase;
  let detached: string[] = [];
  const cli = (args: string[]) => runCli(args, { url: db.url });

  beforeAll(async () => {
    db = await createTestDatabase('prometric_cover');
    const up = await cli(['--profile', 'prometric', 'migrate', 'up']);
    expect(up.code, up.stderr).toBe(0);
    await loadSqlFile(db.sql, CROSSING);
    // Case 17 (B's line for A's product) refuses the erasure; resolved here as its owners would.
    await db.sql`delete from order_items where id = 'b1500000-0000-4000-8000-000000000003'`;
    // Detach every partition holding audit rows: A's own and B's rows about Nurlan are then in plain tables.
    detached = (await db.sql`select distinct tableoid::regclass::text as t from audit_logs order by 1`).map((r) => r.t as string);
    for (const t of detached) await db.sql`alter table audit_logs detach partition ${db.sql(t)}`;
    await db.sql`update system_logs set message = message || ' (reported by Nurlan   SADYKOV, seen by Aigerim Bekova)' where id = 3`;
    // C's audit trail names Nurlan without pointing at him: an e-mail typed at a login (no user id), and JSON by Aigerim.
    const ORG_C = 'c0000000-0000-4000-8000-000000000000';
    await db.sql`insert into audit_logs (id, organization_id, entity_type, entity_id, action, user_id, user_email, new_values, ip_address, user_agent, session_id, timestamp) values
      ('c2400000-0000-4000-8000-0000000000f1', ${ORG_C}, 'session', ${ORG_C}, 'UPDATE', null, 'Nurlan.Sadykov@example.kz', null, '203.0.113.7', 'Mozilla Nurlan-laptop', 'sess-n', now()),
      ('c2400000-0000-4000-8000-0000000000f2', ${ORG_C}, 'customer', ${ORG_C}, 'UPDATE', ${AIGERIM}, 'aigerim.bekova@example.kz', ${db.sql.json({ contact: 'nurlan.sadykov@example.kz', name: 'Nurlan Sadykov', by: 'Aigerim Bekova' })}, '198.51.100.2', 'Mozilla Aigerim', 'sess-a', now())`;
    // The audit row's other free text (changes, metadata, reason) and B's order address name him too.
    await db.sql`update audit_logs set changes = ${db.sql.json({ email: ['', 'nurlan.sadykov@example.kz'] })}, metadata = ${db.sql.json({ invited: 'Nurlan.Sadykov@example.kz' })},
      reason = 'asked by Nurlan Sadykov' where id = 'c2400000-0000-4000-8000-0000000000f2'`;
    await db.sql`update orders set shipping_address = ${db.sql.json({ city: 'Almaty', notify: 'nurlan.sadykov@example.kz' })}
      where id = (select id from orders where organization_id = ${ORG_B} order by id limit 1)`;
  });
  afterAll(async () => db.drop());

  it('the dry run covers the detached partitions, lists the names found and reports the kept owner\'s one role', async () => {
    expect(detached.length).toBeGreaterThan(0);
    const r = await cli(['tenant', 'erase', ORG_A, '--dry-run', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const { plan } = JSON.parse(r.stdout);
    const aRows = Number((await db.sql`select count(*)::int as n from ${db.sql(detached[0]!)} where organization_id = ${ORG_A}`)[0]!.n);
    const tables = plan.tables.filter((t: { table: string }) => detached.includes(t.table));
    expect(tables.reduce((n: number, t: { rows: number }) => n + t.rows, 0)).toBeGreaterThanOrEqual(aRows);
    expect(plan.notes.join('\n')).toContain(`${detached[0]} is a detached partition of audit_logs`);
    // B's audit rows about Nurlan inside the detached tables are anonymized, as in the parent.
    const anonymize = plan.references.filter((x: { table: string; action: string; rows: number }) => detached.includes(x.table) && x.action === 'anonymize');
    expect(anonymize.reduce((n: number, x: { rows: number }) => n + x.rows, 0)).toBeGreaterThan(0);
    expect(plan.personalData.find((p: { table: string; column: string; holds: string }) => p.table === 'system_logs' && p.column === 'message' && p.holds === 'names').rows).toBe(1);
    expect(plan.keptPeople).toMatchObject({ table: 'users', columns: ['organization_role'], rows: 2 });
    expect(plan.keptPeople.sample).toContainEqual({ person: AIGERIM, otherTenants: [ORG_B], values: { organization_role: 'owner' } });
    const human = await cli(['tenant', 'erase', ORG_A, '--dry-run']);
    expect(human.stdout).toContain(`${AIGERIM} organization_role=owner (also of ${ORG_B})`);
  });

  it('erases A from the detached partitions too, anonymizes B\'s rows there, scrubs names, and the post-scan finds nothing', async () => {
    const r = await cli(['tenant', 'erase', ORG_A, '--yes', '--confirm', ORG_A, '--reason', 'GDPR art. 17', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.scan.clean).toBe(true);
    for (const t of detached) {
      const [left] = await db.sql`select count(*) filter (where organization_id = ${ORG_A})::int as own,
                                         count(*) filter (where user_id = ${NURLAN} or entity_id = ${NURLAN} or user_email = 'nurlan.sadykov@example.kz')::int as nurlan
                                  from ${db.sql(t)}`;
      expect(left, t).toEqual({ own: 0, nurlan: 0 });
    }
    // B's row about Nurlan is still there (B's audit trail), without him in it.
    const everywhere = detached.map((t) => `select * from ${t}`).join(' union all ');
    const [b3] = await db.sql.unsafe(`select user_id, user_email, ip_address, entity_id::text from (${everywhere}) x where id = 'b2400000-0000-4000-8000-000000000003'`);
    expect(b3).toEqual({ user_id: null, user_email: null, ip_address: null, entity_id: NIL });
    // Nurlan's name goes from B's log text (any spacing and case); Aigerim, whom B keeps, stays named.
    const [{ message }] = await db.sql`select message from system_logs where id = 3`;
    expect(message).toContain('(reported by [erased], seen by Aigerim Bekova)');
    expect(message).not.toMatch(/nurlan|sadykov/i);
    // …and his id and session from that row (system_logs.user_id has no foreign key).
    expect(await db.sql`select user_id, session_id from system_logs where id = 3`).toEqual([{ user_id: null, session_id: null }]);
    // C's rows stay, without Nurlan's e-mail or name; Aigerim, whom B keeps, stays in them.
    // The failed login (no user id) was Nurlan's alone: its IP, agent and session go with his e-mail; Aigerim's row keeps hers.
    const c = await db.sql`select id::text, user_email, new_values, host(ip_address) as ip, user_agent, session_id from audit_logs where id in ('c2400000-0000-4000-8000-0000000000f1', 'c2400000-0000-4000-8000-0000000000f2') order by id`;
    expect(c).toEqual([
      { id: 'c2400000-0000-4000-8000-0000000000f1', user_email: null, new_values: null, ip: null, user_agent: null, session_id: null },
      { id: 'c2400000-0000-4000-8000-0000000000f2', user_email: 'aigerim.bekova@example.kz', new_values: { contact: '[erased]', name: '[erased]', by: 'Aigerim Bekova' }, ip: '198.51.100.2', user_agent: 'Mozilla Aigerim', session_id: 'sess-a' },
    ]);
    expect(await db.sql`select changes, metadata, reason from audit_logs where id = 'c2400000-0000-4000-8000-0000000000f2'`).toEqual([
      { changes: { email: ['', '[erased]'] }, metadata: { invited: '[erased]' }, reason: 'asked by [erased]' },
    ]);
    expect((await db.sql`select shipping_address from orders where organization_id = ${ORG_B} order by id limit 1`)[0]!.shipping_address).toEqual({ city: 'Almaty', notify: '[erased]' });
    // Aigerim's one role is left as it was, and the receipt says so without naming her.
    expect((await db.sql`select organization_role from users where id = ${AIGERIM}`)[0]!.organization_role).toBe('owner');
    expect(out.receipt.body.notes.join('\n')).toContain('users.organization_role hold one value for every tenant');
    expect(JSON.stringify(out.receipt)).not.toContain(AIGERIM);
  });
});
