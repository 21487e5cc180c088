import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { CROSSING_SQL, ORGS } from './imsop-dataset.js';
import { loadSqlFile } from './load-profile-sql.js';

/**
 * `tenant erase` and `profile check` on an IMSOP database through the built CLI, with the
 * planted crossing dataset (test/profiles/data/imsop-crossing.md): the seam hands the
 * pooled engine's plan, apply, receipt chain and post-scan to the user as on commerce.
 */
describe('imsop profile: tenant erase and profile check through the CLI', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  /** md5 of every row of every table of public, per table: "changed nothing" means equal. */
  const checksums = async () => Object.fromEntries((await db.sql`select tablename from pg_tables where schemaname = 'public' order by 1`).map((r) => r.tablename as string).map((t) => [t, ''])) as Record<string, string>;
  const fill = async (sums: Record<string, string>) => {
    for (const table of Object.keys(sums)) sums[table] = (await db.sql.unsafe(`select coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as m from public.${table} t`))[0]!.m as string;
    return sums;
  };

  beforeAll(async () => {
    db = await createTestDatabase('imsoperase');
    const up = await runCli(['--profile', 'imsop', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    await loadSqlFile(db.sql, CROSSING_SQL);
  });
  afterAll(async () => db.drop());

  it('profile check classifies every table as POOLED.md §1 does and reports the unindexed foreign keys', async () => {
    const r = await cli(['profile', 'check', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const check = JSON.parse(r.stdout);
    const classOf = Object.fromEntries(check.classification.tables.map((t: { table: string; class: string }) => [t.table, t.class]));
    expect(classOf).toMatchObject({ organizations: 'registry', permissions: 'global', users: 'direct', analytics_metrics: 'direct', role_permissions: 'indirect', user_roles: 'indirect', inventory: 'indirect', inventory_transactions: 'indirect', purchase_order_items: 'indirect', shipment_tracking: 'indirect' });
    expect(check.findings.filter((f: { kind: string }) => f.kind === 'fk-without-index')).toHaveLength(9);
    expect(check.summary.errors).toBe(0);
    const human = await cli(['profile', 'check']);
    expect(human.stdout).toMatch(/inventory\s+│?\s*indirect/);
  });

  it('--dry-run lists every table, every crossing with its action, and the refusal; a real run then changes nothing', async () => {
    const dry = await cli(['tenant', 'erase', 'Acme Logistics', '--dry-run', '--json']);
    // A plan that ends in REFUSED exits 1, as the erasure would.
    expect(dry.code, dry.stderr).toBe(1);
    const { plan } = JSON.parse(dry.stdout);
    expect(plan.blocked).toBe(true);
    expect(plan.classification).toBeUndefined();
    const refused = plan.refusals.flatMap((r: { table: string; sample: { row: string; owner: string }[] }) => r.sample.map((x) => `${r.table} ${x.row.slice(-2)} ${x.owner === ORGS.B ? 'B' : 'C'}`));
    expect(refused.sort()).toEqual(['inventory b9 B', 'inventory c9 C', 'purchase_order_items b9 B', 'purchase_order_items c9 C', 'purchase_orders b9 B']);
    const actions = Object.fromEntries(plan.references.filter((r: { rows: number }) => r.rows > 0).map((r: { table: string; columns: string[]; action: string }) => [`${r.table}.${r.columns.join('+')}`, r.action]));
    expect(actions).toMatchObject({ 'user_roles.role_id': 'unlink', 'warehouses.manager_id': 'nullify', 'shipments.origin_warehouse_id': 'nullify', 'inventory.product_id': 'refuse' });
    const human = await cli(['tenant', 'erase', 'Acme Logistics', '--dry-run']);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('REFUSED');
    expect(human.stdout).toContain('(dry run: nothing was changed)');

    const before = await fill(await checksums());
    const run = await cli(['tenant', 'erase', 'Acme Logistics', '--yes', '--confirm', 'Acme Logistics', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe('ERASE_REFUSED');
    expect(run.stderr).toContain(ORGS.B);
    expect(await fill(await checksums())).toEqual(before);
  });

  it('once the blocking rows are resolved, erases A by id in one transaction with a receipt; nothing holds its id afterwards', async () => {
    // B and C resolve their rows that need A's products and supplier (the refusal's list).
    await db.sql`delete from purchase_order_items where id in ('0000000d-0000-4000-8000-0000000000b9', '0000000d-0000-4000-8000-0000000000c9')`;
    await db.sql`delete from inventory_transactions where inventory_id in ('0000000a-0000-4000-8000-0000000000b9', '0000000a-0000-4000-8000-0000000000c9')`;
    await db.sql`delete from inventory where id in ('0000000a-0000-4000-8000-0000000000b9', '0000000a-0000-4000-8000-0000000000c9')`;
    await db.sql`delete from purchase_order_items where purchase_order_id = '0000000c-0000-4000-8000-0000000000b9'`;
    await db.sql`delete from purchase_orders where id = '0000000c-0000-4000-8000-0000000000b9'`;
    const wrong = await cli(['tenant', 'erase', ORGS.A, '--yes', '--confirm', 'Borealis Foods']);
    expect(wrong.code).toBe(2);
    const r = await cli(['tenant', 'erase', ORGS.A, '--yes', '--confirm', ORGS.A, '--reason', 'GDPR art. 17', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { receipt, scan } = JSON.parse(r.stdout);
    expect(receipt.tenantId).toBe(ORGS.A);
    expect(receipt.body.counts.tenant_storage.organizations).toBe(1);
    expect(JSON.stringify(receipt.body)).not.toContain('acme-logistics.test');
    expect(scan.clean).toBe(true);
    expect(await db.sql`select id from organizations where id = ${ORGS.A}`).toHaveLength(0);
    expect(await db.sql`select id from user_roles where id = '00000006-0000-4000-8000-0000000000b9'`).toHaveLength(0);
    expect((await db.sql`select manager_id from warehouses where id = '00000009-0000-4000-8000-0000000000b9'`)[0]!.manager_id).toBeNull();
    // B's and C's organizations and the catalogue are still there.
    expect(await db.sql`select count(*)::int as n from organizations`).toEqual([{ n: 2 }]);
    // Not only the post-scan's word: no row of any table of the schema, read whole, holds A's id.
    for (const table of Object.keys(await checksums())) {
      const [{ n }] = await db.sql.unsafe(`select count(*)::int as n from public.${table} t where strpos(t::text, $1) > 0`, [ORGS.A]);
      expect(n, table).toBe(0);
    }
    const verify = await cli(['tenant', 'receipts', '--verify']);
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('erasing it again shows the receipt, found by its name or its id', async () => {
    for (const ref of ['Acme Logistics', ORGS.A]) {
      const again = await cli(['tenant', 'erase', ref, '--yes', '--confirm', ref]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain(`tenant ${ref} was already erased`);
      expect(again.stdout).toContain(ORGS.A);
    }
  });
});
