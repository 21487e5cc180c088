import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { schemaChecksum } from '../tenants/helpers.js';
import { loadSqlFile } from './load-profile-sql.js';

const CROSSING = join(import.meta.dirname, 'data', 'prometric-crossing.sql');
const ORG_A = 'a0000000-0000-4000-8000-000000000000';
const ORG_B = 'b0000000-0000-4000-8000-000000000000';
const AIGERIM = 'e0000000-0000-4000-8000-000000000001'; // employed by A and B
const NURLAN = 'e0000000-0000-4000-8000-000000000002'; // employed by A only
const BLOCKING_LINE = 'b1500000-0000-4000-8000-000000000003'; // B's order line for A's product

/**
 * Prometric ERP (seed 003) end to end through the built CLI: BIN handles, owners who are
 * new or existing people, workspaces, and erasure of an organization whose people also work
 * elsewhere (test/profiles/data/prometric-crossing.md).
 */
describe('prometric profile: provisioning, workspaces and erasure through the CLI', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  const json = async (args: string[]) => {
    const r = await cli([...args, '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    return JSON.parse(r.stdout);
  };
  /** Every table of the pooled schema, row count and md5 of its rows: "changed nothing" means equal. */
  const checksums = () => schemaChecksum(db.sql, 'public');

  beforeAll(async () => {
    db = await createTestDatabase('prometric');
    const up = await runCli(['--profile', 'prometric', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    await loadSqlFile(db.sql, CROSSING);
  });
  afterAll(async () => db.drop());

  it('creates an organization with its owner, Main workspace, employee row and audit CREATE row, in one transaction', async () => {
    const created = await json(['tenant', 'create', '123456789012', '--name', 'Alpha LLP', '--owner-email', 'Owner@Alpha.kz', '--owner-name', 'Dana Alieva']);
    expect(created).toMatchObject({ slug: '123456789012', name: 'Alpha LLP', owner: { email: 'owner@alpha.kz', role: 'owner' }, details: { workspace: { name: 'Main' }, existingPerson: false } });
    const [row] = await db.sql`
      select u.organization_role, u.status, w.type, e.status as employment,
             (select count(*)::int from audit_logs a where a.organization_id = o.id and a.action = 'CREATE' and a.entity_id = o.id) as audited
      from organizations o join employees e on e.organization_id = o.id join users u on u.id = e.user_id join workspaces w on w.id = e.workspace_id
      where o.bin = '123456789012'`;
    expect(row).toEqual({ organization_role: 'owner', status: 'pending', type: 'main', employment: 'active', audited: 1 });
    const bad = await cli(['tenant', 'create', '12345', '--name', 'X', '--owner-email', 'x@x.kz']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('12 digits');
    const taken = await cli(['tenant', 'create', '123456789012', '--name', 'Other', '--owner-email', 'y@y.kz']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('already exists');
  });

  it('an owner whose e-mail has an account is the same person, employed by one more organization', async () => {
    const [before] = await db.sql`select count(*)::int as n from users`;
    const created = await json(['tenant', 'create', '555555555555', '--name', 'Beta LLP', '--owner-email', 'Aigerim.Bekova@Example.kz']);
    expect(created.owner.id).toBe(AIGERIM);
    expect(created.details.existingPerson).toBe(true);
    expect((await db.sql`select count(*)::int as n from users`)[0]!.n).toBe(before!.n);
    expect((await db.sql`select count(*)::int as n from employees where user_id = ${AIGERIM} and deleted_at is null`)[0]!.n).toBe(3);
  });

  it('fails cleanly, creating nothing, when audit_logs has no partition for this month', async () => {
    // This month's partition (its bound starts on the 1st of the current month).
    const [{ partition, bound }] = await db.sql`select c.relname as partition, pg_get_expr(c.relpartbound, c.oid) as bound from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'audit_logs'::regclass and pg_get_expr(c.relpartbound, c.oid) like 'FOR VALUES FROM (''' || to_char(localtimestamp, 'YYYY-MM') || '-01%'`;
    await db.sql`alter table audit_logs detach partition ${db.sql(partition as string)}`;
    try {
      const before = await checksums();
      const r = await cli(['tenant', 'create', '777777777777', '--name', 'Gamma', '--owner-email', 'g@gamma.kz']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('audit_logs has no partition for this month');
      expect(r.stderr).toContain('tenantctl maintain --only partitions');
      delete before[partition as string];
      const after = await checksums();
      delete after[partition as string];
      expect(after).toEqual(before);
    } finally {
      await db.sql.unsafe(`alter table audit_logs attach partition ${partition as string} ${bound as string}`);
    }
  });

  it('adds and lists workspaces; a profile without them says so', async () => {
    const added = await json(['tenant', 'workspace', 'add', '123456789012', 'Almaty branch', '--type', 'branch']);
    expect(added).toMatchObject({ name: 'Almaty branch', type: 'branch' });
    const listed = await json(['tenant', 'workspace', 'list', '123456789012']);
    expect(listed.map((w: { name: string }) => w.name)).toEqual(['Main', 'Almaty branch']);
    expect((await cli(['tenant', 'workspace', 'add', '123456789012', 'Second main', '--type', 'main'])).code).toBe(2);
    const commerce = await runCli(['--profile', 'imsop', 'tenant', 'workspace', 'list', 'x'], { url: db.url });
    expect(commerce.code).toBe(2);
  });

  it('refuses to erase A while B orders A\'s product, changing nothing; once resolved, erases A and keeps the person B employs', async () => {
    const before = await checksums();
    const refused = await cli(['tenant', 'erase', '210140012345', '--yes', '--confirm', '210140012345', '--reason', 'GDPR art. 17']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(BLOCKING_LINE);
    expect(await checksums()).toEqual(before);

    // B's owners resolve their line first (the refusal names it); then A can go.
    await db.sql`delete from order_items where id = ${BLOCKING_LINE}`;
    const erased = await cli(['tenant', 'erase', '210140012345', '--yes', '--confirm', ORG_A, '--reason', 'GDPR art. 17', '--json']);
    expect(erased.code, erased.stderr + erased.stdout).toBe(0);
    expect((await db.sql`select count(*)::int as n from organizations where id = ${ORG_A}`)[0]!.n).toBe(0);
    // Aigerim works for B (and Beta LLP): kept, with those employments intact; Nurlan worked only for A: gone, with his verifications.
    expect((await db.sql`select organization_id::text from employees where user_id = ${AIGERIM} order by 1`).map((r) => r.organization_id)).not.toContain(ORG_A);
    expect((await db.sql`select count(*)::int as n from employees where user_id = ${AIGERIM} and organization_id = ${ORG_B}`)[0]!.n).toBe(1);
    expect((await db.sql`select count(*)::int as n from users where id = ${NURLAN}`)[0]!.n).toBe(0);
    expect((await db.sql`select count(*)::int as n from email_verifications where user_id = ${NURLAN} or email = 'nurlan.sadykov@example.kz'`)[0]!.n).toBe(0);
    // B's audit trail keeps its rows, without Nurlan in them.
    expect((await db.sql`select count(*)::int as n from audit_logs where user_id = ${NURLAN} or entity_id = ${NURLAN}`)[0]!.n).toBe(0);
    expect((await db.sql`select count(*)::int as n from audit_logs where id = 'b2400000-0000-4000-8000-000000000002'`)[0]!.n).toBe(1);
  });
});
