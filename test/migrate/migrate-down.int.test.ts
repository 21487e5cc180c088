import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';
import { schemaChecksum, seedTenant } from '../tenants/helpers.js';

const NOTE = '-- migrate:up\nalter table products add column note text;\n-- migrate:down\nalter table products drop column note;\n';

/** issue 12, item 2: migrate down shows what it destroys, and destroys rows only when told so twice. */
describe('migrate down safety', () => {
  let db: TestDatabase;
  const tablesIn = async (schema: string) => ((await db.sql`select count(*)::int as n from pg_tables where schemaname = ${schema}`)[0] as { n: number }).n;
  const fleet = async () => ({ d1: await schemaChecksum(db.sql, 'tenant_d1'), d2: await schemaChecksum(db.sql, 'tenant_d2') });
  /** Runs recorded by the commands of this file (the setup's own migrate up is the first). */
  const runs = async () => (await db.sql`select action, actor, ok, plan, destroyed_rows::int as destroyed_rows, counts from tenantctl.migration_runs order by id`).slice(1);

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    await seedTenant(db.sql, 'd1', 3);
    await seedTenant(db.sql, 'd2', 5);
  });
  afterAll(async () => db.drop());

  it("the README's old example, with only the baseline applied, refuses and keeps all 33 tables and their rows", async () => {
    const before = await fleet();
    expect(Object.keys(before.d1)).toHaveLength(33);
    const r = await runCli(['migrate', 'down', '--tenants-only', '--yes'], { url: db.url });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('Refusing to revert the tenant baseline 0001_platform.sql');
    expect(r.stderr).toContain('--to 0');
    expect(await fleet()).toEqual(before);
  });

  it('--to 0 --yes without --drop-data lists the rows it would destroy and refuses', async () => {
    const before = await fleet();
    const r = await runCli(['migrate', 'down', '--tenants-only', '--to', '0', '--yes'], { url: db.url });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/migrate down would destroy \d+ rows in 2 schema\(s\); it needs --yes and --drop-data/);
    expect(r.stderr).toMatch(/drop table\s*│\s*<tenant schema>\.products\s*│\s*2\s*│\s*8\s*│/);
    expect(await fleet()).toEqual(before);
  });

  it('--dry-run shows the plan and the rows per table, and changes nothing', async () => {
    const before = await fleet();
    const r = await runCli(['migrate', 'down', '--tenants-only', '--to', '0', '--dry-run', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    const { destroys } = JSON.parse(r.stdout);
    const products = destroys.byTable.find((t: { table: string }) => t.table === 'tenant.products');
    expect(products).toEqual({ action: 'drop table', table: 'tenant.products', schemas: 2, rows: 8 });
    expect(destroys.losses.filter((l: { table: string }) => l.table === 'products').map((l: { schema: string; rows: number }) => [l.schema, l.rows]).sort()).toEqual([['tenant_d1', 3], ['tenant_d2', 5]]);
    const [{ n }] = await db.sql`select (select count(*) from tenant_d1.users) + (select count(*) from tenant_d1.products) + (select count(*) from tenant_d1.roles) as n`;
    expect(destroys.rows).toBeGreaterThan(Number(n));
    expect(await fleet()).toEqual(before);
    expect(await runs()).toHaveLength(0);
  });

  it('--to 0 --yes --drop-data reverts the baseline, and the run is in the audit trail', async () => {
    const r = await runCli(['migrate', 'down', '--tenants-only', '--to', '0', '--yes', '--drop-data', '--actor', 'dba@example'], { url: db.url });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('2 reverted');
    expect(await tablesIn('tenant_d1')).toBe(0);
    expect(await tablesIn('tenant_d2')).toBe(0);
    const [run] = await runs();
    expect(run).toMatchObject({ action: 'migrate.down', actor: 'dba@example', ok: true, plan: { tenant: ['0001'], shared: [], tenantSchemas: 2 }, counts: { reverted: 2, failed: 0 } });
    expect(run!.destroyed_rows).toBeGreaterThan(8);
  });

  it('migrate up is recorded too; a non-destructive down runs with --yes alone; a column with values needs --drop-data', async () => {
    const dir = await migrationsWith({ 'tenant/0002_note.sql': NOTE });
    const up = await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url });
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(await tablesIn('tenant_d1')).toBe(33);
    const upRun = (await runs()).at(-1)!;
    expect(upRun).toMatchObject({ action: 'migrate.up', ok: true, plan: { tenant: ['0001', '0002'] }, destroyed_rows: 0 });
    expect(upRun.actor).toBeTruthy();

    // products holds rows; the column it drops holds no value: nothing is lost, and the dry run says it that way.
    const dry = await runCli(['migrate', 'down', '--tenants-only', '--dry-run', '--migrations-dir', dir], { url: db.url });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('-- destroys no data: every table it drops or empties has no rows, every column it drops has no values');
    const empty = await runCli(['migrate', 'down', '--tenants-only', '--yes', '--migrations-dir', dir], { url: db.url });
    expect(empty.code, empty.stdout + empty.stderr).toBe(0);
    expect(empty.stdout).toContain('2 reverted');

    await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url });
    await db.sql`insert into tenant_d2.products (sku, name, selling_price, note) values ('n-1', 'Noted', 1, 'keep me')`;
    const refused = await runCli(['migrate', 'down', '--tenants-only', '--yes', '--migrations-dir', dir], { url: db.url });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/drop column\s*│\s*<tenant schema>\.products\.note\s*│\s*1\s*│\s*1\s*│/);
    const [{ note }] = await db.sql`select note from tenant_d2.products where sku = 'n-1'`;
    expect(note).toBe('keep me');
    const downRuns = (await runs()).filter((r) => r.action === 'migrate.down');
    expect(downRuns).toHaveLength(2);
  });

  it('a down section that deletes rows (DELETE FROM … WHERE) counts them as destroyed: refused without --drop-data', async () => {
    const dir = await migrationsWith({ 'tenant/0002_note.sql': NOTE, 'tenant/0003_purge.sql': "-- migrate:up\nselect 1;\n-- migrate:down\ndelete from products where sku like 'n-%';\n" });
    const up = await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url });
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const products = ((await db.sql`select count(*)::int as n from tenant_d2.products`)[0] as { n: number }).n;
    const refused = await runCli(['migrate', 'down', '--tenant', 'd2', '--yes', '--migrations-dir', dir], { url: db.url });
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`destroys up to ${products} rows`);
    expect(refused.stderr).toMatch(/delete\s*│\s*<tenant schema>\.products\s*│\s*1\s*│/);
    expect((await db.sql`select sku from tenant_d2.products where sku = 'n-1'`).length).toBe(1);
    const told = await runCli(['migrate', 'down', '--tenant', 'd2', '--yes', '--drop-data', '--migrations-dir', dir], { url: db.url });
    expect(told.code, told.stdout + told.stderr).toBe(0);
    expect((await db.sql`select sku from tenant_d2.products where sku = 'n-1'`).length).toBe(0);
  });

  it('a down section whose effect is not read (a data-modifying WITH, an UPDATE) is never called harmless: refused without --drop-data', async () => {
    const down = "with gone as (delete from products returning 1) select count(*) from gone;\nupdate users set email = email;\n";
    const dir = await migrationsWith({ 'tenant/0002_note.sql': NOTE, 'tenant/0003_cte.sql': `-- migrate:up\nselect 1;\n-- migrate:down\n${down}` });
    const up = await runCli(['migrate', 'up', '--tenant', 'd2', '--migrations-dir', dir], { url: db.url });
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const before = await schemaChecksum(db.sql, 'tenant_d2');
    const dry = await runCli(['migrate', 'down', '--tenant', 'd2', '--dry-run', '--migrations-dir', dir], { url: db.url });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).not.toContain('destroys no data');
    expect(dry.stdout).toContain('these statements may change or destroy rows');
    expect(dry.stdout).toContain('0003_cte.sql: with gone as (delete from products returning 1) select count(*) from gone (a WITH query may delete or change rows)');
    expect(dry.stdout).toContain('0003_cte.sql: update users set email = email (UPDATE changes rows)');
    const json = JSON.parse((await runCli(['migrate', 'down', '--tenant', 'd2', '--dry-run', '--json', '--migrations-dir', dir], { url: db.url })).stdout);
    expect(json.destroys.unmeasured).toHaveLength(2);
    const refused = await runCli(['migrate', 'down', '--tenant', 'd2', '--yes', '--migrations-dir', dir], { url: db.url });
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toContain('runs 2 statement(s) that may change or destroy rows; it needs --yes and --drop-data');
    expect(await schemaChecksum(db.sql, 'tenant_d2')).toEqual(before);
    const told = await runCli(['migrate', 'down', '--tenant', 'd2', '--yes', '--drop-data', '--migrations-dir', dir], { url: db.url });
    expect(told.code, told.stdout + told.stderr).toBe(0);
    expect(((await db.sql`select count(*)::int as n from tenant_d2.products`)[0] as { n: number }).n).toBe(0);
  });
});

/** A down section's names are read as PostgreSQL reads them, so the rows they hold are counted. */
describe('migrate down counts the rows of the tables its down section names', () => {
  let db: TestDatabase;
  const count = async (table: string) => ((await db.sql`select count(*)::int as n from ${db.sql('tenant_n1')}.${db.sql(table)}`)[0] as { n: number }).n;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    await seedTenant(db.sql, 'n1', 1);
  });
  afterAll(async () => db.drop());

  it('unquoted non-ASCII names (Ärger, İndex, ＦＵＬＬ) keep their letters: their rows are counted and need --drop-data', async () => {
    const up = 'create table Ärger (id int); insert into Ärger values (1), (2);\ncreate table İndex (id int); insert into İndex values (1), (2), (3);\ncreate table ＦＵＬＬ (id int); insert into ＦＵＬＬ values (1), (2), (3), (4);\n';
    const dir = await migrationsWith({ 'tenant/0002_u.sql': `-- migrate:up\n${up}-- migrate:down\ndrop table Ärger;\ndrop table İndex;\ndrop table ＦＵＬＬ;\n` });
    const applied = await runCli(['migrate', 'up', '--tenant', 'n1', '--migrations-dir', dir], { url: db.url });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const dry = await runCli(['migrate', 'down', '--tenant', 'n1', '--dry-run', '--migrations-dir', dir], { url: db.url });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).not.toContain('destroys no data');
    expect(dry.stdout).toContain('destroys 9 rows in 1 schema(s)');
    for (const [table, rows] of [['Ärger', 2], ['İndex', 3], ['ＦＵＬＬ', 4]] as const) expect(dry.stdout).toMatch(new RegExp(`drop table\\s*│\\s*<tenant schema>\\.${table}\\s*│\\s*1\\s*│\\s*${rows}\\s*│`));
    const refused = await runCli(['migrate', 'down', '--tenant', 'n1', '--yes', '--migrations-dir', dir], { url: db.url });
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toContain('it needs --yes and --drop-data');
    expect([await count('Ärger'), await count('İndex'), await count('ＦＵＬＬ')]).toEqual([2, 3, 4]);
    const told = await runCli(['migrate', 'down', '--tenant', 'n1', '--yes', '--drop-data', '--migrations-dir', dir], { url: db.url });
    expect(told.code, told.stdout + told.stderr).toBe(0);
  });

  it('a filtered copy before DROP TABLE does not hide the rows it leaves behind; a full copy is named as one, and runs with --yes alone', async () => {
    const table = (name: string, down: string) => `-- migrate:up\ncreate table ${name} (id int);\ninsert into ${name} values (1), (2), (3);\n-- migrate:down\n${down}`;
    const filtered = await migrationsWith({ 'tenant/0002_copy.sql': table('foo', 'create table foo_new (id int);\ninsert into foo_new select * from foo where id > 2;\ndrop table foo;\nalter table foo_new rename to foo;\n') });
    expect((await runCli(['migrate', 'up', '--tenant', 'n1', '--migrations-dir', filtered], { url: db.url })).code).toBe(0);
    const dry = await runCli(['migrate', 'down', '--tenant', 'n1', '--dry-run', '--migrations-dir', filtered], { url: db.url });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).not.toContain('destroys no data');
    expect(dry.stdout).toMatch(/drop table\s*│\s*<tenant schema>\.foo\s*│\s*1\s*│\s*3\s*│/);
    const refused = await runCli(['migrate', 'down', '--tenant', 'n1', '--yes', '--migrations-dir', filtered], { url: db.url });
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(await count('foo')).toBe(3);
    expect((await runCli(['migrate', 'down', '--tenant', 'n1', '--yes', '--drop-data', '--migrations-dir', filtered], { url: db.url })).code).toBe(0);

    const full = await migrationsWith({ 'tenant/0002_copy.sql': table('bar', 'create table bar_new (like bar including all);\ninsert into bar_new select * from bar;\ndrop table bar;\nalter table bar_new rename to bar;\n') });
    expect((await runCli(['migrate', 'up', '--tenant', 'n1', '--migrations-dir', full], { url: db.url })).code).toBe(0);
    const fine = await runCli(['migrate', 'down', '--tenant', 'n1', '--dry-run', '--migrations-dir', full], { url: db.url });
    expect(fine.stdout).toContain('-- destroys no data:\n-- copied in full before it drops or empties them, so they lose nothing: <tenant schema>.bar (into bar_new)\n-- every other table it drops or empties has no rows');
    expect(fine.stdout).not.toContain('every table it drops or empties has no rows');
    const json = JSON.parse((await runCli(['migrate', 'down', '--tenant', 'n1', '--dry-run', '--json', '--migrations-dir', full], { url: db.url })).stdout);
    expect(json.destroys).toMatchObject({ rows: 0, copied: [{ schema: 'tenant_n1', table: 'bar', into: 'bar_new' }] });
    const ran = await runCli(['migrate', 'down', '--tenant', 'n1', '--yes', '--migrations-dir', full], { url: db.url });
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    expect(await count('bar')).toBe(3);

    // The shipped shared 0002 rebuilds public.audit_logs from a copy of every column: no --drop-data.
    await db.sql`insert into public.audit_logs (action, entity_type) values ('x', 'y')`;
    const shared = await runCli(['migrate', 'down', '--shared-only', '--dry-run'], { url: db.url });
    expect(shared.stdout).toContain('so they lose nothing: public.audit_logs (into public.audit_logs_flat)');
  });

  it('a SELECT * copy into a table of its own declaration (a narrower type, another column order) loses values: counted, refused without --drop-data', async () => {
    const up = "-- migrate:up\ncreate table ts_src (id int, name text, ts timestamptz);\ninsert into ts_src values (1, 'a', '2024-01-01 10:30'), (2, 'b', '2024-01-02 11:45');\n";
    const dir = await migrationsWith({ 'tenant/0002_narrow.sql': `${up}-- migrate:down\ncreate table ts_new (id int, name text, ts date);\ninsert into ts_new select * from ts_src;\ndrop table ts_src;\nalter table ts_new rename to ts_src;\n` });
    expect((await runCli(['migrate', 'up', '--tenant', 'n1', '--migrations-dir', dir], { url: db.url })).code).toBe(0);
    const dry = await runCli(['migrate', 'down', '--tenant', 'n1', '--dry-run', '--migrations-dir', dir], { url: db.url });
    expect(dry.stdout).not.toContain('destroys no data');
    expect(dry.stdout).toMatch(/drop table\s*│\s*<tenant schema>\.ts_src\s*│\s*1\s*│\s*2\s*│/);
    const refused = await runCli(['migrate', 'down', '--tenant', 'n1', '--yes', '--migrations-dir', dir], { url: db.url });
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect((await db.sql`select ts::text as ts from tenant_n1.ts_src order by id`).map((r) => r.ts)).toEqual(['2024-01-01 10:30:00+00', '2024-01-02 11:45:00+00']);
    expect((await runCli(['migrate', 'down', '--tenant', 'n1', '--yes', '--drop-data', '--migrations-dir', dir], { url: db.url })).code).toBe(0);
  });
});

describe('migrate down follows the renames of its own statements', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    await seedTenant(db.sql, 'r1', 1);
  });
  afterAll(async () => db?.drop());

  it('a table renamed and then dropped, and a column renamed and then dropped, are counted under their names now', async () => {
    const up = "-- migrate:up\ncreate table rn_foo (id int); insert into rn_foo values (1), (2), (3);\ncreate table rn_baz (id int, a text); insert into rn_baz values (1, 'x'), (2, 'y');\n";
    const down = '-- migrate:down\nalter table rn_baz rename column a to b;\nalter table rn_baz drop column b;\nalter table rn_foo rename to rn_foo_old;\ndrop table rn_foo_old;\n';
    const dir = await migrationsWith({ 'tenant/0002_rn.sql': `${up}${down}` });
    expect((await runCli(['migrate', 'up', '--tenant', 'r1', '--migrations-dir', dir], { url: db.url })).code).toBe(0);
    const dry = await runCli(['migrate', 'down', '--tenant', 'r1', '--dry-run', '--json', '--migrations-dir', dir], { url: db.url });
    const losses = JSON.parse(dry.stdout).destroys.losses.map((l: { table: string; column?: string; rows: number }) => [l.table, l.column ?? null, l.rows]);
    expect(losses).toEqual(expect.arrayContaining([['rn_baz', 'a', 2], ['rn_foo', null, 3]]));
    const refused = await runCli(['migrate', 'down', '--tenant', 'r1', '--yes', '--migrations-dir', dir], { url: db.url });
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(await db.sql`select count(*)::int as n from tenant_r1.rn_foo`).toEqual([{ n: 3 }]);
  });
});

/** The server cuts a long name to 63 bytes in the database's encoding, not in UTF-8. */
describe('migrate down on a LATIN1 database: a long non-ASCII name is found as the server keeps it', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('down_latin1', { encoding: 'LATIN1', locale: 'C' });
    await migrateAll(db.sql);
    await seedTenant(db.sql, 'l1', 1);
  });
  afterAll(async () => db?.drop());

  it('40 ä (80 bytes in UTF-8, 40 in LATIN1) are no cut name: their 3 rows are counted and need --drop-data', async () => {
    const name = 'ä'.repeat(40);
    const dir = await migrationsWith({ 'tenant/0002_long.sql': `-- migrate:up\ncreate table ${name} (id int);\ninsert into ${name} values (1), (2), (3);\n-- migrate:down\ndrop table ${name};\n` });
    const applied = await runCli(['migrate', 'up', '--tenant', 'l1', '--migrations-dir', dir], { url: db.url });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const dry = await runCli(['migrate', 'down', '--tenant', 'l1', '--dry-run', '--migrations-dir', dir], { url: db.url });
    expect(dry.stdout).not.toContain('destroys no data');
    expect(dry.stdout).toContain('destroys 3 rows in 1 schema(s)');
    const refused = await runCli(['migrate', 'down', '--tenant', 'l1', '--yes', '--migrations-dir', dir], { url: db.url });
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(await db.sql`select count(*)::int as n from ${db.sql('tenant_l1')}.${db.sql(name)}`).toEqual([{ n: 3 }]);
  });
});
