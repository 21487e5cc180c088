import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { scratchPrefixOf } from '../../src/backup/scratch.js';

/** dbmate's own test folder, copied byte for byte (see its NOTICE). */
const REAL = fileURLToPath(new URL('./data/dbmate-amacneil-testdata', import.meta.url));

async function copyOfReal(extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tenantctl-dbmate-'));
  await cp(REAL, dir, { recursive: true });
  for (const [name, text] of Object.entries(extra)) await writeFile(join(dir, name), text);
  return dir;
}

/** What dbmate leaves behind after `dbmate up` on the real folder: its tables, its rows, its ledger. */
async function migrateAsDbmateDid(db: TestDatabase, versions = ['20151129054053', '20200227231541']): Promise<void> {
  await db.sql.unsafe(`create table users (id integer, name varchar(255));
    insert into users (id, name) values (1, 'alice');
    create table posts (id integer, name varchar(255));
    create table if not exists public.schema_migrations (version varchar primary key);`).simple();
  for (const v of versions) await db.sql`insert into public.schema_migrations (version) values (${v})`;
}

describe('dbmate folders', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('runs a real flat dbmate folder as the shared scope, up and down', async () => {
    const up = await runCli(['migrate', 'up', '--migrations-dir', REAL, '--json'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    expect(JSON.parse(up.stdout).shared).toMatchObject({ outcome: 'applied', versions: ['20151129054053', '20200227231541'] });
    expect(await db.sql`select name from users`).toEqual([{ name: 'alice' }]);
    const status = JSON.parse((await runCli(['migrate', 'status', '--migrations-dir', REAL, '--json'], { url: db.url })).stdout);
    expect(status.shared).toMatchObject({ version: '20200227231541', pending: [] });
    const down = await runCli(['migrate', 'down', '--migrations-dir', REAL, '--yes'], { url: db.url });
    expect(down.code, down.stderr).toBe(0);
    expect(await db.sql`select to_regclass('public.posts') as t, to_regclass('public.users')::text as u`).toEqual([{ t: null, u: 'users' }]);
    // And back, so the next tests start from dbmate's end state.
    expect((await runCli(['migrate', 'up', '--migrations-dir', REAL], { url: db.url })).code).toBe(0);
  });

  it('tolerates what dbmate tolerates: other names, stray and commented-out files, unknown options, empty downs; keeps CRLF bytes', async () => {
    const dir = await copyOfReal({
      '20240101000000-dash-separated.sql': '-- migrate:up transaction:false foo:bar\ncreate index concurrently users_name on users (name);\n-- migrate:down\n',
      '20240102000000.sql': "-- migrate:up\r\ncreate table notes (body text);\r\ninsert into notes values ('first line\r\nsecond line');\r\n-- migrate:down\r\n-- the notes stay: nothing to undo\r\n",
      '20240103000000_retired.sql': '-- -- migrate:up\n-- create table retired (id int);\n',
      'seed.sql': "insert into users values (2, 'bob');\n",
      'README.md': 'not a migration',
    });
    const up = await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/^shared: applied 20240101000000, 20240102000000$/m);
    expect(up.stderr).toContain(`warning: ${join(dir, 'seed.sql')}: not a migration (the name does not start with a version number); skipped`);
    expect(up.stderr).toContain(`warning: ${join(dir, '20240103000000_retired.sql')}: holds no "-- migrate:up" and no SQL (commented out?); skipped`);
    expect(up.stderr).toContain(`warning: ${join(dir, '20240101000000-dash-separated.sql')}:1: unknown migration option "foo:bar" ignored`);
    expect(up.stderr).not.toContain('README');
    // transaction:false was honoured (CONCURRENTLY fails inside a transaction); seed.sql never ran.
    expect(await db.sql`select indexname from pg_indexes where indexname = 'users_name'`).toHaveLength(1);
    expect(await db.sql`select count(*)::int as n from users`).toEqual([{ n: 1 }]);
    expect(await db.sql`select body = E'first line\\r\\nsecond line' as crlf from notes`).toEqual([{ crlf: true }]);
    // Empty and comment-only down sections are no-op reverts: down goes through, notes stay, the index stays.
    const down = await runCli(['migrate', 'down', '--steps', '2', '--migrations-dir', dir, '--yes', '--json'], { url: db.url });
    expect(down.code, down.stderr).toBe(0);
    expect(JSON.parse(down.stdout).shared).toMatchObject({ outcome: 'reverted', versions: ['20240102000000', '20240101000000'] });
    expect(await db.sql`select count(*)::int as n from notes`).toEqual([{ n: 1 }]);
    await db.sql`drop table notes; drop index users_name`.simple();
  });

  it('refuses folders whose migrations it would not run, instead of a silent "up to date"', async () => {
    const mixed = await copyOfReal();
    await mkdir(join(mixed, 'tenant'));
    const result = await runCli(['migrate', 'up', '--shared-only', '--migrations-dir', mixed], { url: db.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('tenantctl would never run the top-level files');
    const empty = await mkdtemp(join(tmpdir(), 'tenantctl-empty-'));
    const none = await runCli(['migrate', 'up', '--migrations-dir', empty, '--json'], { url: db.url });
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout)).toMatchObject({ ok: false, error: { code: 'MIGRATIONS_LAYOUT' } });
    const missing = await runCli(['migrate', 'status', '--shared-dir', join(empty, 'nope')], { url: db.url });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('(--shared-dir) does not exist');
  });

  it('names the failing file in the summary, not the versions that succeeded', async () => {
    const dir = await copyOfReal({ '20250101000000_broken.sql': '-- migrate:up\ncreate table ok_first (id int);\n-- migrate:down\n', '20250102000000_broken.sql': '-- migrate:up\ncreate tabel nope (id int);\n-- migrate:down\n' });
    const result = await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`shared: FAILED at ${join(dir, '20250102000000_broken.sql')} (version 20250102000000); applied before it: 20250101000000`);
    await runCli(['migrate', 'down', '--migrations-dir', dir, '--to', '20200227231541', '--yes'], { url: db.url });
    await db.sql`drop table if exists ok_first`;
  });
});

describe('taking over a database dbmate (or another tool) built', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => db.drop());

  it('migrate adopt --from dbmate imports the ledger; up then runs only what dbmate did not', async () => {
    await migrateAsDbmateDid(db);
    const dir = await copyOfReal({ '20240101000000_add_email.sql': '-- migrate:up\nalter table users add column email text;\n-- migrate:down\nalter table users drop column email;\n' });
    const before = JSON.parse((await runCli(['migrate', 'status', '--migrations-dir', dir, '--json'], { url: db.url })).stdout);
    expect(before.shared.version).toBeNull();
    // Not adopted yet: up refuses before running anything, instead of failing on dbmate's first table.
    const refused = await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('dbmate already applied 2 of the pending shared migrations (20151129054053, 20200227231541; ledger public.schema_migrations)');
    expect(refused.stderr).toContain('tenantctl migrate adopt --from dbmate');
    const adopt = await runCli(['migrate', 'adopt', '--from', 'dbmate', '--migrations-dir', dir], { url: db.url });
    expect(adopt.code, adopt.stderr).toBe(0);
    expect(adopt.stdout).toContain('adopted 2 version(s) from the dbmate ledger public.schema_migrations: 20151129054053, 20200227231541');
    expect(adopt.stdout).toContain('pending (migrate up will run them): 20240101000000');
    const again = JSON.parse((await runCli(['migrate', 'adopt', '--from', 'dbmate', '--migrations-dir', dir, '--json'], { url: db.url })).stdout);
    expect(again).toMatchObject({ adopted: [], alreadyRecorded: ['20151129054053', '20200227231541'] });
    const up = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    expect(JSON.parse(up.stdout).shared.versions).toEqual(['20240101000000']);
    // dbmate's data is untouched; its ledger too.
    expect(await db.sql`select id, name, email from users`).toEqual([{ id: 1, name: 'alice', email: null }]);
    expect((await db.sql`select version from public.schema_migrations order by 1`).map((r) => r.version)).toEqual(['20151129054053', '20200227231541']);
  });

  it('a ledger that names files the folder lacks records nothing', async () => {
    await migrateAsDbmateDid(db, ['20151129054053', '20200227231541', '20991231000000']);
    const adopt = await runCli(['migrate', 'adopt', '--from', 'dbmate', '--migrations-dir', REAL], { url: db.url });
    expect(adopt.code).toBe(1);
    expect(adopt.stderr).toContain('lists 1 version(s) with no file in the shared migrations folder: 20991231000000. Nothing was recorded.');
    expect(await db.sql`select to_regclass('tenantctl.schema_migrations') as ledger`).toEqual([{ ledger: null }]);
  });

  it('migrate baseline records the baseline only when the live schema matches it, and prints the differences otherwise', async () => {
    // Built by hand, with a wrong type, a missing column and a missing index compared to the baseline.
    const baselineDir = await mkdtemp(join(tmpdir(), 'tenantctl-baseline-'));
    await writeFile(join(baselineDir, '0001_baseline.sql'), '-- migrate:up\ncreate table parts (id bigint primary key, sku varchar(40) not null, qty integer);\ncreate index parts_sku on parts (sku);\n-- migrate:down\ndrop table parts;\n');
    await writeFile(join(baselineDir, '0002_more.sql'), '-- migrate:up\nalter table parts add column note text;\n-- migrate:down\nalter table parts drop column note;\n');
    await db.sql`create table parts (id bigint primary key, sku text not null); create table alembic_version (version_num varchar(32))`.simple();
    const refused = await runCli(['migrate', 'baseline', '--migrations-dir', baselineDir], { url: db.url });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('baseline 0001 NOT recorded');
    expect(refused.stdout).toContain('column parts.sku: baseline has character varying(40) not null, live has text not null');
    expect(refused.stdout).toContain('missing column parts.qty: integer');
    expect(refused.stdout).toContain('missing index parts.parts_sku: CREATE INDEX ON parts USING btree (sku)');
    expect(await db.sql`select count(*)::int as n from tenantctl.schema_migrations`).toEqual([{ n: 0 }]);

    await db.sql`alter table parts alter column sku type varchar(40); alter table parts add column qty integer; create index parts_by_sku on parts (sku)`.simple();
    const ok = await runCli(['migrate', 'baseline', '--migrations-dir', baselineDir, '--json'], { url: db.url });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, version: '0001', checked: { tables: 1, columns: 3, indexes: 2 }, differences: [] });
    const up = await runCli(['migrate', 'up', '--migrations-dir', baselineDir, '--json'], { url: db.url });
    expect(JSON.parse(up.stdout).shared.versions).toEqual(['0002']);
    // No scratch database of this database is left behind (other files' backup checks make their own, concurrently).
    expect(await db.sql`select datname from pg_database where starts_with(datname, ${scratchPrefixOf(db.name)})`).toEqual([]);
  });
});

describe('separate shared and tenant folders', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('--shared-dir takes a dbmate folder as the shared scope; without --tenant-dir there are no tenant migrations', async () => {
    const result = await runCli(['migrate', 'up', '--shared-dir', REAL, '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).shared.versions).toEqual(['20151129054053', '20200227231541']);
  });
});
