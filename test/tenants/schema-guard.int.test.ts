import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import type { CreatedTenant } from '../../src/tenants/create.js';
import { schemaChecksum, schemaExists, seedTenant } from './helpers.js';

/**
 * issue 12, item 1: a registry row that names a schema which is not the tenant's own
 * (system, shared, tool, application, another tenant's) is refused by every command that
 * acts on the tenant's schema, before any SQL touches it.
 */
describe('a registry row naming a schema that is not the tenant\'s', () => {
  let db: TestDatabase;
  let alpha: CreatedTenant;
  let beta: CreatedTenant;

  /** Everything the refused commands must keep: both tenants' tables, the shared tables, the app schema, the catalog views. */
  const snapshot = async () => ({
    alpha: await schemaChecksum(db.sql, 'tenant_alpha'),
    beta: await schemaChecksum(db.sql, 'tenant_beta'),
    public: await schemaChecksum(db.sql, 'public'),
    billing: await schemaChecksum(db.sql, 'billing'),
    tenantctl: await schemaChecksum(db.sql, 'tenantctl'),
    infoTables: ((await db.sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`)[0] as { n: number }).n,
  });

  const pointAlphaAt = async (schema: string) => db.sql`update public.tenants set schema_name = ${schema} where slug = 'alpha'`;

  /** schema_name is UNIQUE: swap through a placeholder. */
  const swapSchemas = async (forAlpha: string, forBeta: string) => {
    await db.sql`update public.tenants set schema_name = 'swap_placeholder' where slug = 'alpha'`;
    await db.sql`update public.tenants set schema_name = ${forBeta} where slug = 'beta'`;
    await db.sql`update public.tenants set schema_name = ${forAlpha} where slug = 'alpha'`;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    alpha = await seedTenant(db.sql, 'alpha');
    beta = await seedTenant(db.sql, 'beta');
    await db.sql`create schema billing`;
    await db.sql`create table billing.invoices (id serial primary key, amount numeric not null)`;
    await db.sql`insert into billing.invoices (amount) values (10), (20)`;
  });
  afterAll(async () => db.drop());

  for (const target of ['public', 'information_schema', 'pg_catalog', 'tenantctl', 'billing']) {
    it(`tenant erase refuses a row pointing at ${target} and keeps everything`, async () => {
      await pointAlphaAt(target);
      const before = await snapshot();
      const r = await runCli(['tenant', 'erase', 'alpha', '--yes', '--confirm', 'alpha', '--reason', 'test'], { url: db.url });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`Refusing to act on tenant "alpha": public.tenants.schema_name says "${target}", expected tenant_alpha`);
      expect(r.stderr).toContain('hint:');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(await snapshot()).toEqual(before);
      for (const schema of ['public', 'information_schema', 'pg_catalog', 'tenantctl', 'billing', 'tenant_alpha', 'tenant_beta']) expect(await schemaExists(db.sql, schema), schema).toBe(true);
      const [row] = await db.sql`select count(*)::int as n from public.tenants where id = ${alpha.id}`;
      expect(row!.n).toBe(1);
    });
  }

  it("tenant erase refuses a row pointing at another tenant's schema (rows swapped)", async () => {
    await swapSchemas('tenant_beta', 'tenant_alpha');
    try {
      const before = await snapshot();
      const r = await runCli(['tenant', 'erase', 'alpha', '--yes', '--confirm', 'alpha', '--reason', 'test', '--json'], { url: db.url });
      expect(r.code, r.stderr).toBe(1);
      const out = JSON.parse(r.stdout);
      expect(out.error).toMatchObject({ code: 'TENANT_SCHEMA_MISMATCH', details: { tenant: 'alpha', registered: 'tenant_beta', expected: 'tenant_alpha' } });
      expect(await snapshot()).toEqual(before);
      expect(await schemaExists(db.sql, 'tenant_beta')).toBe(true);
    } finally {
      await swapSchemas('tenant_alpha', 'tenant_beta');
    }
  });

  it('the erase --dry-run plan shows the refusal (exit 1, nothing changed)', async () => {
    await pointAlphaAt('public');
    const before = await snapshot();
    const text = await runCli(['tenant', 'erase', 'alpha', '--dry-run'], { url: db.url });
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toContain('Erasure plan for tenant alpha: REFUSED');
    expect(text.stdout).toContain('expected tenant_alpha');
    const json = await runCli(['tenant', 'erase', 'alpha', '--dry-run', '--json'], { url: db.url });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ dryRun: true, refused: { code: 'TENANT_SCHEMA_MISMATCH' } });
    expect(await snapshot()).toEqual(before);
  });

  it('export, import, tenant export, tenant show and migrate refuse the same row before touching the schema', async () => {
    await pointAlphaAt('public');
    const before = await snapshot();
    const runs = [
      ['import', 'products', 'fixtures/products.csv', '--tenant', 'alpha'],
      ['export', 'products', '--tenant', 'alpha'],
      ['tenant', 'show', 'alpha'],
      ['tenant', 'export', 'alpha', '--out', `/tmp/${db.name}-export`],
      ['migrate', 'up'],
      ['migrate', 'down', '--tenant', 'alpha', '--yes'],
    ];
    for (const args of runs) {
      const r = await runCli(args, { url: db.url });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr, args.join(' ')).toContain('public.tenants.schema_name says "public", expected tenant_alpha');
    }
    expect(await snapshot()).toEqual(before);
    const status = await runCli(['migrate', 'status'], { url: db.url });
    expect(status.stdout).toContain('refused alpha: public.tenants.schema_name is "public", expected tenant_alpha');
    // tenant list shows the row as refused: not public's version and size as if they were alpha's.
    const list = JSON.parse((await runCli(['tenant', 'list', '--json'], { url: db.url })).stdout) as { slug: string; schemaVersion: string | null; sizeBytes: number; schemaRefused: string | null }[];
    const listed = list.find((t) => t.slug === 'alpha')!;
    expect(listed).toMatchObject({ schemaVersion: null, sizeBytes: 0 });
    expect(listed.schemaRefused).toContain('public is a system, shared or tenantctl schema');
    expect(list.find((t) => t.slug === 'beta')!).toMatchObject({ schemaRefused: null, schemaVersion: '0001' });
    expect((await runCli(['tenant', 'list'], { url: db.url })).stdout).toMatch(/alpha\s*│[^\n]*│\s*REFUSED\s*│\s*-\s*│/);
    // The other tenants are not held hostage: leave the bad row out with --tenant.
    const other = await runCli(['migrate', 'up', '--tenant', 'beta'], { url: db.url });
    expect(other.code, other.stderr).toBe(0);
  });

  it('a fixed row works again, and tenant_<uuid_short> (seed 004) is accepted', async () => {
    await db.sql`update public.tenants set schema_name = ${'tenant_' + alpha.id.replace(/-/g, '').slice(0, 8)} where slug = 'alpha'`;
    await db.sql`alter schema tenant_alpha rename to ${db.sql('tenant_' + alpha.id.replace(/-/g, '').slice(0, 8))}`;
    const show = await runCli(['tenant', 'show', 'alpha', '--json'], { url: db.url });
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout).tables.find((t: { table: string }) => t.table === 'products').rows).toBe(3);
    expect(beta.schema).toBe('tenant_beta');
  });
});
