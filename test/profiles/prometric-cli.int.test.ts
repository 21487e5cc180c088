import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { loadSqlFile } from './load-profile-sql.js';

const CROSSING = join(import.meta.dirname, 'data', 'prometric-crossing.sql');
const ORG_A = 'a0000000-0000-4000-8000-000000000000';
const ORG_B = 'b0000000-0000-4000-8000-000000000000';
const BIN_B = '190540098765';

/**
 * What B owns, from the dataset's id scheme (`<o><tt>…`, o = owner) and, for the rows whose
 * ids do not say, from their tenant link: people through their employment (soft-deleted
 * employment included), verification codes through their person, system_logs by their
 * FK-less organization_id.
 */
async function ownedByB(db: TestDatabase): Promise<Record<string, number>> {
  const tables = await db.sql`select c.table_name::text as t from information_schema.columns c join pg_class k on k.relname = c.table_name and k.relkind = 'r' and not k.relispartition
                              join pg_namespace n on n.oid = k.relnamespace and n.nspname = 'public'
                              where c.table_schema = 'public' and c.column_name = 'id' and c.data_type = 'uuid' order by 1`;
  const counts: Record<string, number> = {};
  const count = async (table: string, q: Promise<{ n: number }[]>) => {
    const [{ n }] = await q;
    if (n) counts[table] = n;
  };
  for (const { t } of tables) {
    if (t === 'users' || t === 'email_verifications') continue;
    await count(t as string, db.sql`select count(*)::int as n from ${db.sql(t as string)} where id::text like 'b%'`);
  }
  await count('audit_logs', db.sql`select count(*)::int as n from audit_logs where organization_id = ${ORG_B}`);
  await count('users', db.sql`select count(distinct user_id)::int as n from employees where organization_id = ${ORG_B}`);
  await count('email_verifications', db.sql`select count(*)::int as n from email_verifications where user_id in (select user_id from employees where organization_id = ${ORG_B})`);
  await count('system_logs', db.sql`select count(*)::int as n from system_logs where organization_id = ${ORG_B}`);
  return counts;
}

/**
 * The lifecycle commands on Prometric ERP (seed 003) through the built CLI, on the crossing
 * dataset (test/profiles/data/prometric-crossing.md): profile check, list and show by BIN,
 * export (a shared person goes with every organization that employs them), suspend and
 * resume, and erasure receipts.
 */
describe('prometric profile: the lifecycle commands through the CLI', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  const json = async (args: string[]) => {
    const r = await cli([...args, '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    db = await createTestDatabase('prometric_cli');
    const up = await runCli(['--profile', 'prometric', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    await loadSqlFile(db.sql, CROSSING);
  });
  afterAll(async () => db.drop());

  it('profile check --json classifies every table as POOLED.md §3 does, with no error', async () => {
    const check = await json(['profile', 'check']);
    const classOf = Object.fromEntries(check.classification.tables.map((t: { table: string; class: string }) => [t.table, t.class]));
    expect(classOf).toMatchObject({
      organizations: 'registry', users: 'shared-identity', system_logs: 'direct', audit_logs: 'direct', app_settings: 'direct',
      workspaces: 'direct', departments: 'direct', employees: 'direct', products: 'direct', customers: 'direct', orders: 'direct', suppliers: 'direct', projects: 'direct',
      customer_contacts: 'indirect', customer_addresses: 'indirect', deal_products: 'indirect', deal_activities: 'indirect', order_items: 'indirect', bom_components: 'indirect', invoice_items: 'indirect',
      email_verifications: 'indirect',
    });
    expect(check.classification.tables.find((t: { table: string }) => t.table === 'system_logs').reason).toContain('declared tenant column');
    expect(check.summary.errors).toBe(0);
  });

  it('tenant list names organizations by BIN; tenant show by BIN or id counts every owned row', async () => {
    const list = await json(['tenant', 'list']);
    expect(list.map((t: { slug: string }) => t.slug)).toEqual(['170840054321', '190540098765', '210140012345']);
    expect(list[1]).toMatchObject({ slug: BIN_B, name: 'Steppe Packaging', status: 'active' });
    const show = await json(['tenant', 'show', BIN_B]);
    expect(show).toEqual(await json(['tenant', 'show', ORG_B]));
    const shown = Object.fromEntries(show.tables.filter((t: { rows: number }) => t.rows > 0).map((t: { table: string; rows: number }) => [t.table, t.rows]));
    expect(shown).toEqual(await ownedByB(db));
  });

  it('tenant export writes exactly B\'s rows, its people included, with a manifest, privately (0600 files, 0700 folders)', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'prometric-export-')), 'steppe');
    const manifest = await json(['tenant', 'export', BIN_B, '--out', out]);
    expect(manifest.tenant).toMatchObject({ id: ORG_B, slug: BIN_B });
    const rows = Object.fromEntries(manifest.files.filter((f: { rows: number }) => f.rows > 0).map((f: { table: string; rows: number }) => [f.table.replace(/^public\./, ''), f.rows]));
    expect(rows).toEqual(await ownedByB(db));
    // Aigerim works for A and B: exported with B (and with A), never with C.
    const users = await readFile(join(out, 'tenant', 'users.csv'), 'utf8');
    expect(users).toContain('aigerim.bekova@example.kz');
    expect(users).not.toContain('nurlan.sadykov@example.kz'); // A's only
    for (const file of await readdir(join(out, 'tenant'))) expect((await stat(join(out, 'tenant', file))).mode & 0o777, file).toBe(0o600);
    for (const path of [out, join(out, 'tenant')]) expect((await stat(path)).mode & 0o777).toBe(0o700);
    expect((await stat(join(out, 'manifest.json'))).mode & 0o777).toBe(0o600);
  });

  it('suspends and resumes through the status column, by BIN or id', async () => {
    const s = await cli(['tenant', 'suspend', BIN_B, '--reason', 'unpaid']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toContain('active → suspended');
    expect((await db.sql`select status from organizations where id = ${ORG_B}`)[0]!.status).toBe('suspended');
    expect((await json(['tenant', 'list', '--status', 'suspended'])).map((t: { slug: string }) => t.slug)).toEqual([BIN_B]);
    const r = await cli(['tenant', 'resume', ORG_B, '--reason', 'paid']);
    expect(r.code, r.stderr).toBe(0);
    expect((await db.sql`select status from organizations where id = ${ORG_B}`)[0]!.status).toBe('active');
  });

  it('an erasure leaves a verifiable receipt keyed by the organization id, without personal data', async () => {
    await db.sql`delete from order_items where id = 'b1500000-0000-4000-8000-000000000003'`; // case 17, resolved by B
    // A verification sent to Nurlan's address typed with spaces around it and in capitals: his, deleted with him.
    await db.sql`insert into email_verifications (id, email, code, type, is_used, expires_at) values ('e2500000-0000-4000-8000-000000000099', ' Nurlan.Sadykov@Example.kz ', '111111', 'password_reset', false, now())`;
    const erased = await json(['tenant', 'erase', '210140012345', '--yes', '--confirm', '210140012345', '--reason', 'GDPR art. 17', '--ticket', 'DPO-9']);
    expect((await db.sql`select count(*)::int as n from email_verifications where id = 'e2500000-0000-4000-8000-000000000099'`)[0]!.n).toBe(0);
    const { receipts } = await json(['tenant', 'receipts']);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ sequence: erased.receipt.sequence, digest: erased.receipt.digest });
    const text = JSON.stringify(receipts);
    expect(text).toContain(ORG_A);
    expect(text).not.toMatch(/210140012345|Qazaq Metall|nurlan|sadykov|aigerim|e0000000-0000-4000-8000/i);
    expect((await cli(['tenant', 'receipts', '--verify'])).code).toBe(0);
    // The table for people (fitted to 100 columns, so ids may wrap): no personal data either.
    const human = await cli(['tenant', 'receipts']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).not.toMatch(/210140012345|Qazaq Metall|nurlan|sadykov|aigerim/i);
    expect((await json(['tenant', 'list'])).map((t: { slug: string }) => t.slug)).toEqual(['170840054321', BIN_B]);
  });
});
