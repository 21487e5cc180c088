import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import type { CreatedTenant } from '../../src/tenants/create.js';
import { mentions, schemaChecksum, schemaExists, seedTenant, sharedChecksum } from './helpers.js';

const EXTRA = [{ table: 'public.tenant_notes', column: 'tenant_id' }, { table: 'analytics.events', column: 'organization_id' }];

describe('tenant erase', () => {
  let db: TestDatabase;
  let a: CreatedTenant;
  let b: CreatedTenant;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    a = await seedTenant(db.sql, 'alpha');
    b = await seedTenant(db.sql, 'bravo');
    // Shared tables that carry a tenant id WITHOUT a foreign key (nocturne #101), in public and in another schema.
    await db.sql`create table public.tenant_notes (id serial primary key, tenant_id uuid, note text)`;
    await db.sql`create schema analytics`;
    await db.sql`create table analytics.events (id serial primary key, organization_id text not null, payload jsonb)`;
    for (const t of [a, b]) {
      await db.sql`insert into public.tenant_notes (tenant_id, note) values (${t.id}, ${'note about ' + t.slug}), (${t.id}, 'second')`;
      await db.sql`insert into analytics.events (organization_id, payload) values (${t.id}, ${db.sql.json({ event: 'login', slug: t.slug })})`;
    }
  });
  afterAll(async () => db.drop());

  it('--dry-run lists every table holding the tenant data, including tenant-id columns without a foreign key, and changes nothing', async () => {
    const before = { a: await schemaChecksum(db.sql, a.schema), shared: await sharedChecksum(db.sql, a.id, EXTRA) };
    const r = await runCli(['tenant', 'erase', 'alpha', '--dry-run', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    const { plan } = JSON.parse(r.stdout);
    const shared = Object.fromEntries(plan.remove.shared.map((t: { table: string; rows: number }) => [t.table, t.rows]));
    expect(shared).toMatchObject({ 'public.audit_logs': 2, 'public.subscriptions': 1, 'public.tenant_notes': 2, 'analytics.events': 1 });
    expect(plan.remove.shared.find((t: { table: string }) => t.table === 'analytics.events').foundBy).toContain('column organization_id');
    expect(plan.remove.storage.find((t: { table: string }) => t.table === 'products').rows).toBe(3);
    expect(plan.remove.registry).toMatchObject({ table: 'public.tenants', rows: 1 });
    expect(plan.locks.ok).toBe(true);
    expect(plan.keep.join(' ')).toContain('erasure receipt');
    const human = await runCli(['tenant', 'erase', 'alpha', '--dry-run'], { url: db.url });
    expect(human.stdout).toContain('analytics.events');
    expect(human.stdout).toContain('nothing was changed');
    expect({ a: await schemaChecksum(db.sql, a.schema), shared: await sharedChecksum(db.sql, a.id, EXTRA) }).toEqual(before);
  });

  it('refuses to run in a script without --yes --confirm <slug> (exit 2, nothing changed)', async () => {
    for (const args of [[], ['--yes'], ['--confirm', 'alpha'], ['--yes', '--confirm', 'bravo']]) {
      const r = await runCli(['tenant', 'erase', 'alpha', ...args], { url: db.url });
      expect(r.code, args.join(' ') + r.stderr).toBe(2);
    }
    expect(await schemaExists(db.sql, a.schema)).toBe(true);
  });

  it('erases A completely, leaves B byte-for-byte unchanged, and writes a verifiable receipt', async () => {
    const bBefore = { schema: await schemaChecksum(db.sql, b.schema), shared: await sharedChecksum(db.sql, b.id, EXTRA) };
    const r = await runCli(['tenant', 'erase', 'alpha', '--yes', '--confirm', 'alpha', '--reason', 'GDPR art. 17', '--ticket', 'SUP-42', '--actor', 'tester', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.scan.found).toEqual([]);
    expect(out.receipt.body).toMatchObject({ tenant_id: a.id, actor: 'tester', reason: 'GDPR art. 17', ticket: 'SUP-42', sequence: 1, previous_digest: null });
    expect(out.receipt.body.slug_sha256).toBe(createHash('sha256').update('alpha').digest('hex'));
    expect(out.receipt.body.counts.shared).toMatchObject({ 'public.tenant_notes': 2, 'analytics.events': 1, 'public.tenants': 1 });
    expect(out.receipt.body.counts.tenant_storage.products).toBe(3);
    // The digest can be recomputed by anyone from the stored body.
    const [stored] = await db.sql`select body, digest from tenantctl.erasure_receipts where sequence = 1`;
    expect(createHash('sha256').update(stored!.body as string).digest('hex')).toBe(stored!.digest);
    expect(stored!.body as string).not.toContain('alpha');

    // After: no row anywhere references A (checked independently of tenantctl's own scan).
    expect(await mentions(db.sql, a.id)).toEqual({});
    expect(await schemaExists(db.sql, a.schema)).toBe(false);
    const [book] = await db.sql`select count(*)::int as n from tenantctl.schema_migrations where schema_name = ${a.schema}`;
    expect(book!.n).toBe(0);
    // B is untouched.
    expect({ schema: await schemaChecksum(db.sql, b.schema), shared: await sharedChecksum(db.sql, b.id, EXTRA) }).toEqual(bBefore);
    // Shared reference data is kept.
    const [plans] = await db.sql`select count(*)::int as n from public.plans`;
    expect(plans!.n).toBe(4);
  });

  it('says so, and shows the receipt, when the tenant is already erased', async () => {
    const r = await runCli(['tenant', 'erase', 'alpha', '--yes', '--confirm', 'alpha'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('tenant alpha was already erased');
    expect(r.stdout).toContain(a.id);
    const missing = await runCli(['tenant', 'erase', 'never_existed', '--dry-run'], { url: db.url });
    // The one unknown-tenant error of every command (exit 2), saying there is no receipt either.
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Unknown tenant: never_existed');
    expect(missing.stderr).toContain('no erasure receipt');
  });

  it('fails loudly (exit 1) when the id survives in a column the catalog could not recognise', async () => {
    const c = await seedTenant(db.sql, 'charlie', 1);
    await db.sql`create table public.partner_refs (id serial primary key, ref text)`;
    await db.sql`insert into public.partner_refs (ref) values (${'partner of ' + c.id})`;
    // Traces of every kind the scan reads, each in a table of its own (a table is reported only if
    // its own kind is found), none in a column the erasure plan knows of: a uuid (by equality) in
    // a table whose name needs quoting, an upper-case copy inside jsonb, a uuid[] element, and
    // text in ANOTHER tenant's schema; with rows that do not match beside them.
    await db.sql`create schema "Side Notes"`;
    await db.sql`create table "Side Notes"."Linked Rows" (linked uuid)`;
    await db.sql`insert into "Side Notes"."Linked Rows" values (${c.id}), (${b.id}), (null)`;
    await db.sql`create table "Side Notes".payloads (payload jsonb)`;
    await db.sql`insert into "Side Notes".payloads values (${db.sql.json({ copy: c.id.toUpperCase() })}), ('{}')`;
    await db.sql`create table "Side Notes".owner_sets (owners uuid[])`;
    await db.sql`insert into "Side Notes".owner_sets values (${[b.id, c.id]}::uuid[]), (${[b.id]}::uuid[])`;
    await db.sql`update ${db.sql(b.schema)}.products set description = ${'imported from ' + c.id} where sku = (select min(sku) from ${db.sql(b.schema)}.products)`;
    // Enough empty tables between them that the traces fall into different statements of the
    // scan (up to 100 tables a statement with this server's lock table).
    await db.sql.unsafe(Array.from({ length: 120 }, (_, i) => `create table "Side Notes".filler_${String(i).padStart(3, '0')} (note text);`).join('\n'));
    const r = await runCli(['tenant', 'erase', 'charlie', '--yes', '--confirm', 'charlie', '--json'], { url: db.url });
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stdout);
    expect(error.code).toBe('ERASURE_INCOMPLETE');
    expect([...error.details.found].sort((x: { table: string }, y: { table: string }) => x.table.localeCompare(y.table))).toEqual([
      { table: 'public.partner_refs', rows: 1, columns: ['ref'] },
      { table: 'Side Notes.Linked Rows', rows: 1, columns: ['linked'] },
      { table: 'Side Notes.owner_sets', rows: 1, columns: ['owners'] },
      { table: 'Side Notes.payloads', rows: 1, columns: ['payload'] },
      { table: `${b.schema}.products`, rows: 1, columns: ['description'] },
    ]);
    expect(await schemaExists(db.sql, c.schema)).toBe(false);
    // The scan only reports: the rows it found, and the ones beside them, are all still there.
    expect((await db.sql`select (select count(*) from "Side Notes"."Linked Rows") + (select count(*) from "Side Notes".payloads) + (select count(*) from "Side Notes".owner_sets) as n`)[0]!.n).toBe('7');
    await db.sql`drop schema "Side Notes" cascade`;
  });

  it('chains receipts, verifies them, and detects tampering', async () => {
    const ok = await runCli(['tenant', 'receipts', '--verify', '--json'], { url: db.url });
    expect(ok.code, ok.stderr).toBe(0);
    const list = JSON.parse(ok.stdout);
    expect(list.ok).toBe(true);
    expect(list.receipts).toHaveLength(2);
    expect(list.receipts[1].previousDigest).toBe(list.receipts[0].digest);
    // Append-only: an update is refused…
    await expect(db.sql`update tenantctl.erasure_receipts set actor = 'someone else'`).rejects.toThrow(/append-only/);
    // …and one that goes around the trigger is caught by the digest.
    await db.sql.begin(async (tx) => {
      await tx`alter table tenantctl.erasure_receipts disable trigger erasure_receipts_append_only`;
      await tx`update tenantctl.erasure_receipts set body = replace(body, '"reason":"GDPR art. 17"', '"reason":"routine"') where sequence = 1`;
      await tx`alter table tenantctl.erasure_receipts enable trigger erasure_receipts_append_only`;
    });
    const bad = await runCli(['tenant', 'receipts', '--verify'], { url: db.url });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('receipt 1: digest does not match');
  });
});

describe('tenant erase: the scan after the commit', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
  });
  afterAll(async () => db.drop());

  it('a scan that stops after the commit says the tenant was erased, with its receipt (exit 1); a rerun shows the receipt', async () => {
    const e = await seedTenant(db.sql, 'echo', 1);
    const erase = ['tenant', 'erase', 'echo', '--yes', '--confirm', 'echo', '--reason', 'scan test', '--json'];
    const failed = await runCli(erase, { url: db.url, env: { TENANTCTL_FAILPOINT: 'tenant-erase:scan' } });
    expect(failed.code).toBe(1);
    const { error } = JSON.parse(failed.stdout);
    expect(error).toMatchObject({ code: 'ERASURE_SCAN_FAILED', details: { receipt: 1, tenantId: e.id } });
    expect(error.message).toMatch(/^Tenant echo was erased \(receipt 1\), but the scan that proves its id .* is gone stopped: Failpoint tenant-erase:scan/);
    expect(await schemaExists(db.sql, e.schema)).toBe(false);
    const again = await runCli(['tenant', 'erase', 'echo', '--yes', '--confirm', 'echo'], { url: db.url });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('tenant echo was already erased');
  });
});
