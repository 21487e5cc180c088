import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from '../../src/db/connect.js';
import { backupClientStatus } from '../support/pg-client.js';
import { runCli, spawnCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { buildPlatform } from './helpers.js';

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

/** Remove a tenant the way a hasty operator would: rows, schema, bookkeeping. */
async function dropTenant(sql: Sql, slug: string): Promise<void> {
  const [tenant] = await sql`select id, schema_name from public.tenants where slug = ${slug}`;
  await sql`delete from public.audit_logs where tenant_id = ${tenant!.id}`;
  await sql`delete from public.subscriptions where tenant_id = ${tenant!.id}`;
  await sql`delete from public.tenants where id = ${tenant!.id}`;
  await sql`drop schema ${sql(tenant!.schema_name as string)} cascade`;
  await sql`delete from tenantctl.schema_migrations where schema_name = ${tenant!.schema_name as string}`;
}

const stagingSchemas = async (sql: Sql): Promise<string[]> =>
  (await sql`select nspname from pg_namespace where starts_with(nspname, 'tenantctl_restore_') order by 1`).map((r) => r.nspname as string);

/** Poll until `probe` holds; the test's own timeout bounds it. */
async function until(probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe())) await new Promise((r) => setTimeout(r, 100));
}

describe.skipIf(!client.ok)(client.ok ? 'restore-tenant keeps grants and survives being killed' : `restore-tenant keeps grants and survives being killed (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  let backup: string;
  const suffix = randomBytes(3).toString('hex');
  const app = `app_rs_${suffix}`;
  const owner = `own_rs_${suffix}`;
  const gone = `gone_rs_${suffix}`;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-restore-safety-'));
    db = await createTestDatabase('rs');
    await buildPlatform(db, ['acme', 'globex']);
    const sql = db.sql;
    for (const role of [app, owner, gone]) await sql`create role ${sql(role)} nologin`;
    await sql`grant usage on schema tenant_acme to ${sql(app)}`;
    await sql`grant select on all tables in schema tenant_acme to ${sql(app)}`;
    await sql`alter default privileges in schema tenant_acme grant select on tables to ${sql(app)}`;
    await sql`comment on schema tenant_acme is 'Acme Corp: orders and catalogue'`;
    await sql`comment on table tenant_acme.products is 'the catalogue'`;
    await sql`alter table tenant_acme.products owner to ${sql(owner)}`;
    await sql`grant select on tenant_acme.expenses to ${sql(gone)}`;
    backup = join(work, 'b');
    const created = await runCli(['backup', 'create', '--out', backup], { url: db.url });
    if (created.code !== 0) throw new Error(created.stderr);
    // The role disappears from the server after the backup was taken.
    await sql`revoke select on tenant_acme.expenses from ${sql(gone)}`;
    await sql`drop role ${sql(gone)}`;
  });
  afterAll(async () => {
    // Roles belong to the whole server: take what they hold here, then the roles themselves.
    await db.sql`drop owned by ${db.sql(app)}, ${db.sql(owner)} cascade`;
    await db.sql`drop role ${db.sql(app)}`;
    await db.sql`drop role ${db.sql(owner)}`;
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('restores schema and table privileges, default privileges, owners and comments; the app role can read; a missing role is named', async () => {
    const sql = db.sql;
    await dropTenant(sql, 'acme');
    const result = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'acme', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`warning: role ${gone} does not exist on this server`);
    expect(JSON.parse(result.stdout).missingRoles).toEqual([gone]);

    const [facts] = await sql`select has_schema_privilege(${app}, 'tenant_acme', 'USAGE') as usage,
        has_table_privilege(${app}, 'tenant_acme.products', 'SELECT') as products,
        has_table_privilege(${app}, 'tenant_acme.expenses', 'SELECT') as expenses,
        obj_description('tenant_acme'::regnamespace, 'pg_namespace') as schema_comment,
        obj_description('tenant_acme.products'::regclass, 'pg_class') as table_comment,
        (select pg_get_userbyid(relowner) from pg_class where oid = 'tenant_acme.products'::regclass) as owner,
        (select count(*)::int from pg_default_acl d where d.defaclnamespace = 'tenant_acme'::regnamespace and array_to_string(d.defaclacl, ',') like ${'%' + app + '=r/%'}) as default_acl`;
    expect(facts).toEqual({ usage: true, products: true, expenses: true, schema_comment: 'Acme Corp: orders and catalogue', table_comment: 'the catalogue', owner, default_acl: 1 });

    // What the application sees: it can read the restored tenant, and tables made later too.
    await sql`create table tenant_acme.later (id int)`;
    const rows = await sql.begin(async (tx) => {
      await tx`set local role ${tx(app)}`;
      const [{ n }] = await tx`select count(*)::int as n from tenant_acme.products`;
      await tx`select * from tenant_acme.later`;
      return n as number;
    });
    expect(rows).toBe(5);
  });

  it('a restore killed before it registers the tenant leaves only a staging schema: reported by verify and migrate status, dropped by the next run', async () => {
    const sql = db.sql;
    const [before] = await sql`select id, name, slug, schema_name from public.tenants where slug = 'globex'`;
    const products = await sql`select sku, name from tenant_globex.products order by sku`;
    await dropTenant(sql, 'globex');
    const child = spawnCli(['backup', 'restore-tenant', backup, '--tenant', 'globex'], { url: db.url, env: { TENANTCTL_FAILPOINT: 'restore-tenant:before-register:sleep=600000' } });
    const closed = new Promise((resolve) => child.on('close', resolve));
    await until(async () => (await stagingSchemas(sql)).length > 0);
    const [staging] = await stagingSchemas(sql);
    child.kill('SIGKILL');
    await closed;
    // Its guard session ends with the process: the staging schema is now nobody's.
    await until(async () => (await sql`select 1 from pg_stat_activity where application_name = ${'tenantctl-restore:' + staging}`).length === 0);
    expect(await sql`select 1 from public.tenants where slug = 'globex'`).toHaveLength(0);
    expect(await sql`select 1 from pg_namespace where nspname = 'tenant_globex'`).toHaveLength(0);
    // No pg_restore or pg_dump of the killed run is left working.
    expect(await sql`select 1 from pg_stat_activity where application_name in ('pg_restore', 'pg_dump') and datname = current_database()`).toHaveLength(0);

    const status = await runCli(['migrate', 'status', '--json'], { url: db.url });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).restoreLeftovers).toEqual([staging]);
    const human = await runCli(['migrate', 'status'], { url: db.url });
    expect(human.stdout).toContain(`WARNING: schema ${staging} is left over from a killed \`backup restore-tenant\``);
    const verify = await runCli(['backup', 'verify', backup, '--json'], { url: db.url });
    expect(JSON.parse(verify.stdout).restoreLeftovers).toEqual([staging]);

    const again = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'globex', '--json'], { url: db.url });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).leftoversDropped).toEqual([staging]);
    expect(await stagingSchemas(sql)).toEqual([]);
    const [after] = await sql`select id, name, slug, schema_name from public.tenants where slug = 'globex'`;
    expect(after).toEqual(before);
    expect(await sql`select sku, name from tenant_globex.products order by sku`).toEqual(products);
  });

  it('a --as name another command takes while the restore gets ready is refused as taken (exit 2), leaving nothing', async () => {
    const sql = db.sql;
    const gate = join(work, 'as-taken-gate');
    const child = spawnCli(['backup', 'restore-tenant', backup, '--tenant', 'globex', '--as', 'taken_meanwhile'], { url: db.url, env: { TENANTCTL_FAILPOINT: `restore-tenant:before-register:wait=${gate}` } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await until(async () => existsSync(`${gate}.reached`));
    // Another command makes the schema meanwhile.
    await sql`create schema tenant_taken_meanwhile`;
    await writeFile(gate, '');
    expect(await closed).toBe(2);
    expect(stderr).toContain('Tenant taken_meanwhile (schema tenant_taken_meanwhile) was created by another command while this restore was getting ready. Nothing was changed.');
    expect(stderr).not.toContain('This was not expected');
    expect(await sql`select 1 from public.tenants where slug = 'taken_meanwhile'`).toHaveLength(0);
    expect(await stagingSchemas(sql)).toEqual([]);
    await sql`drop schema tenant_taken_meanwhile`;
  });

  it('SIGINT while the schema is staged, before it is registered: exit 130, not registered, the staged copy dropped', async () => {
    const sql = db.sql;
    const gate = join(work, 'sigint-gate');
    const child = spawnCli(['backup', 'restore-tenant', backup, '--tenant', 'globex', '--as', 'interrupted_copy'], { url: db.url, env: { TENANTCTL_FAILPOINT: `restore-tenant:before-register:wait=${gate}` } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await until(async () => existsSync(`${gate}.reached`));
    child.kill('SIGINT');
    await until(async () => stderr.includes('SIGINT received'));
    await writeFile(gate, '');
    expect(await closed).toBe(130);
    expect(stderr).toContain('was interrupted by SIGINT');
    expect(await sql`select 1 from public.tenants where slug = 'interrupted_copy'`).toHaveLength(0);
    expect(await sql`select 1 from pg_namespace where nspname = 'tenant_interrupted_copy'`).toHaveLength(0);
    expect(await stagingSchemas(sql)).toEqual([]);
  });

  it('a tenant whose backed-up registry row no longer fits the live table is refused by name, and nothing changes', async () => {
    const sql = db.sql;
    await dropTenant(sql, 'globex');
    // A shared migration since the backup: a required column the old row has no value for.
    await sql`alter table public.tenants add column region text not null default 'eu'`;
    await sql`alter table public.tenants alter column region drop default`;
    try {
      const r = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'globex', '--force', '--json'], { url: db.url });
      expect(r.code).toBe(1);
      const { error } = JSON.parse(r.stdout);
      expect(error.code).toBe('RESTORE_SHARED_SHAPE_CHANGED');
      expect(error.message).toContain('public.tenants');
      expect(error.message).toContain('"region"');
      expect(error.message).not.toContain('This was not expected');
      expect(await sql`select 1 from public.tenants where slug = 'globex'`).toHaveLength(0);
      expect(await sql`select 1 from pg_namespace where nspname = 'tenant_globex'`).toHaveLength(0);
      expect(await stagingSchemas(sql)).toEqual([]);
    } finally {
      await sql`alter table public.tenants drop column region`;
    }
    const again = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'globex', '--force'], { url: db.url });
    expect(again.code, again.stderr).toBe(0);
  });
});
