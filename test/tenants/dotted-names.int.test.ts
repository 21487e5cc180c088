import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import type { CreatedTenant } from '../../src/tenants/create.js';
import { schemaExists, seedTenant } from './helpers.js';

/**
 * A catalog name is one identifier, dots and all: postgres.js's sql(name) turns each "." into
 * `"."`, so a tenant table "orders.v2" read from the catalog became tenant_x.orders.v2 (a
 * "cross-database reference") and made erase, show, export and maintain fail.
 */
describe('tenant tables whose names hold dots (and a column "a.b")', () => {
  let db: TestDatabase;
  let acme: CreatedTenant;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    acme = await seedTenant(db.sql, 'acme');
    await db.sql.unsafe(`
      create table ${acme.schema}."orders.v2" (id int primary key, "a.b" text);
      insert into ${acme.schema}."orders.v2" select g, 'x' || g from generate_series(1, 300) g;
    `);
  });
  afterAll(async () => db?.drop());

  it('tenant show counts its rows', async () => {
    const r = await runCli(['tenant', 'show', 'acme', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('orders.v2');
  });

  it('tenant export writes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantctl-dotted-'));
    const r = await runCli(['tenant', 'export', 'acme', '--out', join(dir, 'out'), '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.stringify(readdirSync(join(dir, 'out'), { recursive: true }))).toContain('orders.v2');
  });

  it('maintain --only analyze analyzes it', async () => {
    // The insert's counts reach pg_stat_user_tables once its session flushes them (within a second or so).
    for (let i = 0; i < 50; i += 1) {
      const [s] = await db.sql`select n_mod_since_analyze::int as n from pg_stat_user_tables where schemaname = ${acme.schema} and relname = 'orders.v2'`;
      if ((s?.n as number) > 0) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    const r = await runCli(['maintain', '--only', 'analyze', '--json'], { url: db.url });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain(`${acme.schema}.orders.v2`);
    const [row] = await db.sql`select last_analyze is not null as done from pg_stat_user_tables where schemaname = ${acme.schema} and relname = 'orders.v2'`;
    expect(row!.done).toBe(true);
  });

  it('monitor reports and tenant list --exact-sizes read it', async () => {
    for (const args of [['monitor', 'table-sizes', '--exact'], ['monitor', 'tenant-sizes'], ['monitor', 'bloat'], ['monitor', 'vacuum'], ['monitor', 'indexes'], ['monitor', 'sequences'], ['tenant', 'list', '--exact-sizes']]) {
      const r = await runCli([...args, '--json'], { url: db.url });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });

  it('erase --dry-run and the erasure itself succeed; the table goes with the schema', async () => {
    const dry = await runCli(['tenant', 'erase', 'acme', '--dry-run', '--json'], { url: db.url });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('orders.v2');
    const r = await runCli(['tenant', 'erase', 'acme', '--yes', '--confirm', 'acme', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(await schemaExists(db.sql, acme.schema)).toBe(false);
  });
});

/** Table names become file names of an export: a slash, backslash or leading dot must not make a path. */
describe('tenant export: file names of tables with slashes and leading dots', () => {
  let db: TestDatabase;
  let acme: CreatedTenant;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    acme = await seedTenant(db.sql, 'acme');
    await db.sql.unsafe(`
      create table ${acme.schema}."/tmp/enc/abs" (id int);
      insert into ${acme.schema}."/tmp/enc/abs" values (1), (2);
      create table ${acme.schema}."../up" (id int);
      create table ${acme.schema}."a\\b" (id int);
      create table ${acme.schema}."Products" (id int);
      create table ${acme.schema}."%2Ftmp%2Fenc%2Fabs" (id int);
    `);
  });
  afterAll(async () => db?.drop());

  it('writes each table as one file inside tenant/, distinct, named in the manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantctl-slashes-'));
    const out = join(dir, 'out');
    const r = await runCli(['tenant', 'export', 'acme', '--out', out, '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(['out']);
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'shared', 'tenant']);
    const files = readdirSync(join(out, 'tenant'), { recursive: true }) as string[];
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { files: { file: string; table: string; rows: number }[] };
    const own = manifest.files.filter((f) => f.file.startsWith('tenant/'));
    expect(own.map((f) => f.file.slice('tenant/'.length)).sort()).toEqual([...files].sort());
    expect(new Set(own.map((f) => f.file.toLowerCase())).size).toBe(own.length);
    const abs = own.find((f) => f.table === `${acme.schema}./tmp/enc/abs`)!;
    expect(abs.file).toBe('tenant/%2Ftmp%2Fenc%2Fabs.csv');
    expect(abs.rows).toBe(2);
    expect(readFileSync(join(out, abs.file), 'utf8').trim().split('\n')).toEqual(['id', '1', '2']);
    expect(own.find((f) => f.table === `${acme.schema}.../up`)!.file).toBe('tenant/%2E.%2Fup.csv');
    expect(own.find((f) => f.table === `${acme.schema}.a\\b`)!.file).toBe('tenant/a%5Cb.csv');
    expect(own.find((f) => f.table === `${acme.schema}.%2Ftmp%2Fenc%2Fabs`)!.file).toBe('tenant/%252Ftmp%252Fenc%252Fabs.csv');
    const cased = own.filter((f) => f.table.toLowerCase() === `${acme.schema}.products`).map((f) => f.file).sort();
    expect(cased.length === 2 && cased.some((f) => f.endsWith('~2.csv'))).toBe(true);
  });
});

/** migrate down --dry-run counts the rows a down migration would destroy, in tables named from the catalog. */
describe('migrate down --dry-run: a down migration that drops a table "orders.v2" and a column "a.b"', () => {
  let db: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'tenantctl-dotted-migrations-'));
  const dirs = ['--shared-dir', join(PACKAGE_ROOT, 'migrations/shared'), '--tenant-dir', dir];

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    await seedTenant(db.sql, 'acme');
    copyFileSync(join(PACKAGE_ROOT, 'migrations/tenant/0001_platform.sql'), join(dir, '0001_platform.sql'));
    writeFileSync(join(dir, '0002_dotted.sql'), [
      '-- migrate:up',
      'CREATE TABLE "orders.v2" (id int PRIMARY KEY);',
      'ALTER TABLE products ADD COLUMN "a.b" text;',
      'INSERT INTO "orders.v2" VALUES (1), (2);',
      '-- migrate:down',
      'ALTER TABLE products DROP COLUMN "a.b";',
      'DROP TABLE "orders.v2";',
      '',
    ].join('\n'));
    const up = await runCli(['migrate', 'up', ...dirs], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    await db.sql`update tenant_acme.products set "a.b" = 'x'`;
  });
  afterAll(async () => db?.drop());

  it('counts the rows of both', async () => {
    const r = await runCli(['migrate', 'down', '--dry-run', '--tenants-only', ...dirs, '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('orders.v2');
    expect(r.stdout).toContain('a.b');
  });
});
