import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import type { CreatedTenant } from '../../src/tenants/create.js';
import { schemaChecksum, schemaExists, seedTenant } from './helpers.js';

/**
 * DROP SCHEMA … CASCADE of a tenant's schema also drops whatever other schemas made depend on
 * it: found by an adversarial run, where erasing A silently removed B's table inheriting from
 * A's (with B's row), B's column of A's type, B's view, function, foreign key and default.
 * The erasure refuses instead, naming each one, and changes nothing.
 */
describe('tenant erase: objects of other schemas that depend on the tenant', () => {
  let db: TestDatabase;
  let a: CreatedTenant;
  let b: CreatedTenant;
  const catalogOf = async (schema: string) => db.sql`
    select c.relname::text as name, c.relkind::text as kind,
           (select string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), ''), ',' order by a.attnum)
            from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
           (select string_agg(conname, ',' order by conname) from pg_constraint where conrelid = c.oid) as constraints
    from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} order by 1`;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    a = await seedTenant(db.sql, 'alpha');
    b = await seedTenant(db.sql, 'bravo');
    await db.sql.unsafe(`
      create table ${a.schema}.tickets (id bigint primary key);
      create view ${b.schema}.alpha_catalog as select sku, name from ${a.schema}.products;
      create function ${b.schema}.alpha_product_count() returns bigint language sql begin atomic select count(*) from ${a.schema}.products; end;
      create table ${b.schema}.alpha_refs (id serial primary key, alpha_product_id uuid references ${a.schema}.products (id));
      create sequence ${a.schema}.shared_seq;
      create table ${b.schema}.tickets (id bigint primary key default nextval('${a.schema}.shared_seq'), title text);
      create table ${b.schema}.child_of_alpha (extra text) inherits (${a.schema}.tickets);
      insert into ${b.schema}.child_of_alpha (id, extra) values (1, 'bravo''s row');
      create type ${a.schema}.addr as (city text);
      create table ${b.schema}.uses_alpha_type (id int primary key, a ${a.schema}.addr);
      insert into ${b.schema}.uses_alpha_type values (1, row('Oslo'));
    `);
  });
  afterAll(async () => db?.drop());

  it('the dry run is REFUSED (exit 1), naming every object of the other schema and what it uses', async () => {
    const r = await runCli(['tenant', 'erase', 'alpha', '--dry-run', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(1);
    const { refused } = JSON.parse(r.stdout);
    expect(refused.code).toBe('ERASE_REFUSED');
    const objects = (refused.details.dependents as { object: string; uses: string }[]).map((d) => `${d.object} <- ${d.uses}`).sort();
    expect(objects).toEqual([
      `default value for ${b.schema}.tickets.id <- ${a.schema}.shared_seq`,
      `function ${b.schema}.alpha_product_count() <- ${a.schema}.products`,
      `table column ${b.schema}.uses_alpha_type.a <- ${a.schema}.addr`,
      `table constraint alpha_refs_alpha_product_id_fkey on ${b.schema}.alpha_refs <- ${a.schema}.products`,
      `table ${b.schema}.child_of_alpha <- ${a.schema}.tickets`,
      `view ${b.schema}.alpha_catalog <- ${a.schema}.products`,
    ]);
    const human = await runCli(['tenant', 'erase', 'alpha', '--dry-run'], { url: db.url });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('REFUSED');
    expect(human.stdout).toContain(`view ${b.schema}.alpha_catalog (uses ${a.schema}.products)`);
  });

  it('the erasure refuses and keeps both schemas exactly as they were', async () => {
    const before = { a: await schemaChecksum(db.sql, a.schema), b: await schemaChecksum(db.sql, b.schema), catalog: await catalogOf(b.schema) };
    const r = await runCli(['tenant', 'erase', 'alpha', '--yes', '--confirm', 'alpha', '--reason', 'test', '--json'], { url: db.url });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('ERASE_REFUSED');
    expect(await schemaExists(db.sql, a.schema)).toBe(true);
    expect({ a: await schemaChecksum(db.sql, a.schema), b: await schemaChecksum(db.sql, b.schema), catalog: await catalogOf(b.schema) }).toEqual(before);
    expect((await db.sql`select count(*)::int as n from public.tenants where id = ${a.id}`)[0]!.n).toBe(1);
  });

  it('an object made between the plan and the drop is caught inside the transaction, and nothing is erased', async () => {
    await db.sql.unsafe(`
      drop view ${b.schema}.alpha_catalog; drop function ${b.schema}.alpha_product_count(); drop table ${b.schema}.alpha_refs;
      drop table ${b.schema}.tickets; drop table ${b.schema}.child_of_alpha; drop table ${b.schema}.uses_alpha_type;`);
    const gate = `/tmp/tenantctl-dependents-${process.pid}`;
    const erase = spawnCli(['tenant', 'erase', 'alpha', '--yes', '--confirm', 'alpha', '--reason', 'test', '--json'], { url: db.url, env: { TENANTCTL_FAILPOINT: `tenant-erase:after-shared:wait=${gate}` } });
    let stdout = '';
    erase.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const closed = new Promise<number | null>((resolve) => erase.on('close', resolve));
    const { access, writeFile, rm } = await import('node:fs/promises');
    while (!(await access(`${gate}.reached`).then(() => true, () => false))) await new Promise((r) => setTimeout(r, 50));
    // The plan saw nothing; now B makes a view over A's products while the erasure waits.
    await db.sql.unsafe(`create view ${b.schema}.late_view as select sku from ${a.schema}.products`);
    await writeFile(gate, '');
    expect(await closed).toBe(1);
    await rm(gate, { force: true });
    await rm(`${gate}.reached`, { force: true });
    expect(JSON.parse(stdout).error).toMatchObject({ code: 'ERASE_REFUSED', details: { dependents: [{ object: `view ${b.schema}.late_view`, uses: `${a.schema}.products` }] } });
    expect(await schemaExists(db.sql, a.schema)).toBe(true);
    expect((await db.sql`select count(*)::int as n from public.subscriptions where tenant_id = ${a.id}`)[0]!.n).toBe(1);
    // Once nothing depends on it, the erasure runs, and B's schema keeps what is its own.
    await db.sql.unsafe(`drop view ${b.schema}.late_view`);
    const ok = await runCli(['tenant', 'erase', 'alpha', '--yes', '--confirm', 'alpha', '--reason', 'test', '--json'], { url: db.url });
    expect(ok.code, ok.stderr + ok.stdout).toBe(0);
    expect(await schemaExists(db.sql, a.schema)).toBe(false);
    expect(await schemaExists(db.sql, b.schema)).toBe(true);
  });
});
