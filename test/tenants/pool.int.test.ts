import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/connect.js';
import { createTenant } from '../../src/tenants/create.js';
import { schemaPerTenant } from '../../src/tenancy/strategy.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';

/** Everything a schema is, with its own name taken out: tables, columns, indexes, constraints, sequences, privileges. */
async function catalogOf(sql: Sql, schema: string): Promise<string[]> {
  const rows = await sql`
    select 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') as fact
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
    where n.nspname = ${schema}
    union all
    select 'relation ' || c.relkind::text || ' ' || c.relname || ' ' || coalesce(array_to_string(c.relacl, ','), '') from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema}
    union all
    select 'index ' || pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema}
    union all
    select 'constraint ' || con.conname || ' ' || pg_get_constraintdef(con.oid) from pg_constraint con join pg_namespace n on n.oid = con.connamespace where n.nspname = ${schema}
    union all
    select 'sequence ' || s.sequencename || ' ' || coalesce(s.last_value, 0) from pg_sequences s where s.schemaname = ${schema}`;
  return rows.map((r) => (r.fact as string).replaceAll(schema, '<schema>')).sort();
}

/** Every row of every table of the schema, without the values that differ between any two creates (uuids, timestamps). */
async function rowsOf(sql: Sql, schema: string, slug: string): Promise<Record<string, string[]>> {
  const tables = await sql`select tablename from pg_tables where schemaname = ${schema} order by 1`;
  const out: Record<string, string[]> = {};
  for (const { tablename } of tables) {
    const rows = await sql`
      select (select coalesce(jsonb_object_agg(k, v), '{}') from jsonb_each(to_jsonb(t)) e(k, v)
              where not (v #>> '{}' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-' or v #>> '{}' ~ '^\\d{4}-\\d\\d-\\d\\dT'))::text as r
      from ${sql(schema)}.${sql(tablename as string)} t`;
    out[tablename as string] = rows.map((r) => (r.r as string).replaceAll(slug, '<slug>')).sort();
  }
  return out;
}

describe('the warm pool of spare tenant schemas', () => {
  let db: TestDatabase;
  const cli = async (...args: string[]) => {
    const r = await runCli([...args, '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  beforeAll(async () => {
    db = await createTestDatabase('pool');
    await migrateAll(db.sql);
  });
  afterAll(async () => db?.drop());

  it('fills to the size asked, and no spare is ever visible as a tenant', async () => {
    expect(await cli('tenant', 'pool', 'fill', '--size', '3')).toMatchObject({ size: 3, created: ['tenantctl_pool_1', 'tenantctl_pool_2', 'tenantctl_pool_3'] });
    expect(await cli('tenant', 'pool', 'fill', '--size', '3')).toMatchObject({ created: [] });
    expect(await cli('tenant', 'pool', 'status')).toMatchObject({ target: 3, ready: 3 });

    expect(await cli('tenant', 'list')).toEqual([]);
    expect((await cli('migrate', 'status')).tenants).toMatchObject({ total: 0 });
    expect(JSON.stringify(await cli('monitor', 'tenant-sizes'))).not.toMatch(/tenantctl_pool/);
    // Nor in the reports by schema: a spare's never-used indexes are no tenant's unused indexes.
    const all = ['--limit', '100000'];
    for (const report of [['table-sizes', ...all], ['table-sizes', '--exact', ...all], ['indexes', ...all], ['vacuum', ...all], ['sequences', ...all], ['bloat', '--min-size', '0', ...all], ['check']]) {
      const r = await runCli(['monitor', ...report, '--json'], { url: db.url });
      expect(r.stderr, report.join(' ')).not.toMatch(/INTERNAL/);
      expect(r.stdout, report.join(' ')).not.toMatch(/tenantctl_pool/);
    }
    // Asked for by name, a spare is shown: the DBA sees what the pool costs.
    const spare = await cli('monitor', 'table-sizes', '--schema', 'tenantctl_pool_1');
    expect(spare.rows.length).toBeGreaterThan(0);
    expect(await db.sql`select slug from public.tenants`).toHaveLength(0);
    const show = await runCli(['tenant', 'show', 'tenantctl_pool_1'], { url: db.url });
    expect(show.code).not.toBe(0);
  });

  it('hands out a spare under the real name in one transaction, identical to a create without the pool', async () => {
    // A copy of the shipped files: the same versions and checksums, so the spares match.
    const dir = await migrationsWith({});
    await cli('tenant', 'pool', 'fill', '--size', '2', '--migrations-dir', dir);
    const before = await cli('tenant', 'pool', 'status', '--migrations-dir', dir);
    const input = (slug: string) => ({ slug, name: 'Same Co', plan: 'starter', ownerEmail: `owner@${slug}.test`, ownerName: 'Owner' });

    const pooled = await createTenant(db.sql, input('viapool'), { strategy: schemaPerTenant, migrationsDir: dir });
    const built = await createTenant(db.sql, input('without'), { strategy: schemaPerTenant, migrationsDir: dir, usePool: false });
    expect(pooled.fromPool).toBe(true);
    expect(built.fromPool).toBe(false);
    expect(pooled.migrationsApplied).toEqual(built.migrationsApplied);

    expect(await catalogOf(db.sql, 'tenant_viapool')).toEqual(await catalogOf(db.sql, 'tenant_without'));
    expect(await rowsOf(db.sql, 'tenant_viapool', 'viapool')).toEqual(await rowsOf(db.sql, 'tenant_without', 'without'));
    const bookkeeping = async (schema: string) => ({
      migrations: await db.sql`select scope, version, name, checksum from tenantctl.schema_migrations where schema_name = ${schema} order by version`,
      state: await db.sql`select scope, status, version, error from tenantctl.schema_state where schema_name = ${schema}`,
    });
    expect(await bookkeeping('tenant_viapool')).toEqual(await bookkeeping('tenant_without'));

    // The spare is gone from the pool under its old name, and nothing of it is left behind.
    const after = await cli('tenant', 'pool', 'status', '--migrations-dir', dir);
    expect(after.ready).toBe(before.ready - 1);
    const taken = before.schemas.find((s: { schema: string }) => !after.schemas.some((a: { schema: string }) => a.schema === s.schema)).schema;
    expect(await db.sql`select 1 from pg_namespace where nspname = ${taken}`).toHaveLength(0);
    expect(await db.sql`select 1 from tenantctl.schema_migrations where schema_name = ${taken}`).toHaveLength(0);
  });

  it('a failed create gives the spare back', async () => {
    const before = await cli('tenant', 'pool', 'status');
    const failed = await runCli(['tenant', 'create', 'viapool', '--name', 'Again', '--plan', 'starter', '--owner-email', 'x@x.test'], { url: db.url });
    expect(failed.code).not.toBe(0);
    expect(await cli('tenant', 'pool', 'status')).toEqual(before);
  });

  it('is refilled by maintain to the size last asked for', async () => {
    await createTenant(db.sql, { slug: 'another', name: 'Another', plan: 'starter', ownerEmail: 'o@another.test' }, { strategy: schemaPerTenant });
    const before = await cli('tenant', 'pool', 'status');
    expect(before.target).toBe(2);
    expect(before.ready).toBe(0);
    const r = await runCli(['maintain', '--only', 'pool', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/"built"/);
    expect(await cli('tenant', 'pool', 'status')).toMatchObject({ target: 2, ready: 2 });
  });

  it('a spare whose schema was dropped by hand is not counted ready, and fill and maintain build it again', async () => {
    const status = await cli('tenant', 'pool', 'status');
    expect(status.ready).toBe(2);
    const [gone] = status.schemas as { schema: string }[];
    await db.sql`drop schema ${db.sql(gone!.schema)} cascade`;
    expect(await cli('tenant', 'pool', 'status')).toMatchObject({ ready: 1, schemas: expect.arrayContaining([expect.objectContaining({ schema: gone!.schema, ready: false, missing: true })]) });
    const filled = await cli('tenant', 'pool', 'fill', '--size', '2');
    expect(filled.dropped).toContain(gone!.schema);
    expect(filled.created).toHaveLength(1);
    const after = await cli('tenant', 'pool', 'status');
    expect(after).toMatchObject({ ready: 2 });
    expect((after.schemas as { schema: string }[]).map((s) => s.schema)).not.toContain(gone!.schema);
    // maintain does the same.
    const [again] = after.schemas as { schema: string }[];
    await db.sql`drop schema ${db.sql(again!.schema)} cascade`;
    const r = await runCli(['maintain', '--only', 'pool', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(await cli('tenant', 'pool', 'status')).toMatchObject({ target: 2, ready: 2 });
  });

  it('a spare schema whose pool row was deleted by hand is listed, and dropped by fill and maintain; a tenant with a spare-like schema is kept', async () => {
    const [orphan, kept] = ((await cli('tenant', 'pool', 'status')).schemas as { schema: string }[]).map((s) => s.schema);
    await db.sql`delete from tenantctl.tenant_pool where schema_name = ${orphan!}`;
    // A registry row naming a spare-like schema is a tenant, whatever the name: never an orphan.
    await db.sql`create schema tenantctl_pool_900`;
    await db.sql`create table tenantctl_pool_900.keepme (id int)`;
    await db.sql`insert into public.tenants (name, slug, schema_name) values ('Odd', 'odd', 'tenantctl_pool_900')`;
    const status = await cli('tenant', 'pool', 'status');
    expect(status).toMatchObject({ ready: 1, orphans: [orphan] });
    const human = await runCli(['tenant', 'pool', 'status'], { url: db.url });
    expect(human.stdout).toContain(`1 spare schema(s) without a pool row (deleted by hand): ${orphan}`);
    const dry = JSON.parse((await runCli(['maintain', '--only', 'pool', '--dry-run', '--json'], { url: db.url })).stdout);
    expect(dry.tasks[0].items).toEqual([{ wouldDrop: orphan, why: 'no pool row' }]);
    expect(await db.sql`select count(*)::int as n from pg_namespace where nspname = ${orphan!}`).toEqual([{ n: 1 }]);
    const filled = await cli('tenant', 'pool', 'fill', '--size', '2');
    expect(filled.dropped).toEqual([orphan]);
    expect(await db.sql`select nspname::text from pg_namespace where nspname = ${orphan!}`).toEqual([]);
    expect(await db.sql`select count(*)::int as n from tenantctl.schema_migrations where schema_name = ${orphan!}`).toEqual([{ n: 0 }]);
    const after = await cli('tenant', 'pool', 'status');
    expect(after).toMatchObject({ ready: 2, orphans: [] });
    expect((after.schemas as { schema: string }[]).map((s) => s.schema)).toContain(kept);
    // maintain does the same.
    const [next] = after.schemas as { schema: string }[];
    await db.sql`delete from tenantctl.tenant_pool where schema_name = ${next!.schema}`;
    const r = JSON.parse((await runCli(['maintain', '--only', 'pool', '--json'], { url: db.url })).stdout);
    expect(r.tasks[0].items).toContainEqual({ dropped: next!.schema });
    expect(await cli('tenant', 'pool', 'status')).toMatchObject({ ready: 2, orphans: [] });
    expect(await db.sql`select count(*)::int as n from tenantctl_pool_900.keepme`).toEqual([{ n: 0 }]);
    await db.sql`delete from public.tenants where slug = 'odd'`;
    await db.sql`drop schema tenantctl_pool_900 cascade`;
  });

  it('is migrated with the fleet by migrate up', async () => {
    const spares = (await cli('tenant', 'pool', 'status')).schemas.map((s: { schema: string }) => s.schema);
    expect(spares).toHaveLength(2);
    const dir = await migrationsWith({ 'tenant/0900_pool_flag.sql': '-- migrate:up\nalter table products add column pool_flag boolean;\n\n-- migrate:down\nalter table products drop column pool_flag;\n' });
    const report = await cli('migrate', 'up', '--migrations-dir', dir);
    expect(report.pool).toEqual({ migrated: spares, dropped: [] });
    expect(await cli('tenant', 'pool', 'status', '--migrations-dir', dir)).toMatchObject({ ready: 2 });
    const columns = await db.sql`select table_schema from information_schema.columns where column_name = 'pool_flag' and table_schema like 'tenantctl_pool_%' order by 1`;
    expect(columns.map((c) => c.table_schema)).toEqual(spares);

    // A create at these migrations takes a spare and its tenant has the column.
    const created = await cli('tenant', 'create', 'flagged', '--name', 'Flagged', '--plan', 'starter', '--owner-email', 'o@flagged.test', '--migrations-dir', dir);
    expect(created).toMatchObject({ fromPool: true, migrationsApplied: ['0001', '0900'] });
    expect(await db.sql`select 1 from information_schema.columns where table_schema = 'tenant_flagged' and column_name = 'pool_flag'`).toHaveLength(1);
  });

  it('follows the fleet down: a spare holding the reverted migration is dropped, and creates work again', async () => {
    const dir = await migrationsWith({ 'tenant/0900_pool_flag.sql': '-- migrate:up\nalter table products add column pool_flag boolean;\n\n-- migrate:down\nalter table products drop column pool_flag;\n' });
    const spares = (await cli('tenant', 'pool', 'status', '--migrations-dir', dir)).schemas.map((s: { schema: string }) => s.schema);
    expect(spares.length).toBeGreaterThan(0);
    const down = await runCli(['migrate', 'down', '--tenants-only', '--yes', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(down.code, down.stderr).toBe(0);
    expect(JSON.parse(down.stdout).pool).toEqual({ migrated: [], dropped: spares });
    expect(await db.sql`select 1 from tenantctl.schema_migrations where version = '0900'`).toHaveLength(0);
    // With the file gone, as after a rollback of the release: the fleet is not ahead of the checkout.
    const created = await cli('tenant', 'create', 'after_down', '--name', 'After down', '--plan', 'starter', '--owner-email', 'o@after-down.test');
    expect(created).toMatchObject({ migrationsApplied: ['0001'] });
  });

  it('gives the same registry, subscription and audit rows from the pool as without it, on a trial too', async () => {
    const dir = await migrationsWith({});
    await cli('tenant', 'pool', 'fill', '--size', '1', '--migrations-dir', dir);
    const input = (slug: string) => ({ slug, name: 'Trial Co', plan: 'professional', ownerEmail: `owner@${slug}.test`, ownerName: 'Owner', trialDays: 14, domain: `${slug}.example`, timezone: 'Asia/Kolkata', currency: 'EUR' });
    const pooled = await createTenant(db.sql, input('trialpool'), { strategy: schemaPerTenant, migrationsDir: dir });
    const built = await createTenant(db.sql, input('trialbuilt'), { strategy: schemaPerTenant, migrationsDir: dir, usePool: false });
    expect([pooled.fromPool, built.fromPool]).toEqual([true, false]);
    expect(pooled.subscription).toMatchObject({ status: 'trial', trialEndsAt: expect.any(Date) });
    // Registry row, subscription and audit entry of each, with what must differ (ids, slug, times) taken out.
    const registryOf = async (slug: string) => {
      const [row] = await db.sql`
        select t.name, t.status, t.domain, t.settings, t.schema_name = 'tenant_' || t.slug as own_schema,
               s.status as subscription, p.code as plan, s.payment_provider,
               s.trial_ends_at - s.current_period_start as trial, s.current_period_end - s.current_period_start as period,
               (select array_agg(a.action || ' ' || (a.new_values - 'slug')::text) from public.audit_logs a where a.tenant_id = t.id) as audit
        from public.tenants t join public.subscriptions s on s.tenant_id = t.id join public.plans p on p.id = s.plan_id
        where t.slug = ${slug}`;
      return { ...row, domain: String(row!.domain).replace(slug, '<slug>') };
    };
    expect(await registryOf('trialpool')).toEqual(await registryOf('trialbuilt'));
    // Both go through the same statement: what it wrote, checked on its own.
    expect(await registryOf('trialpool')).toEqual({
      name: 'Trial Co', status: 'active', domain: '<slug>.example', settings: { timezone: 'Asia/Kolkata', currency: 'EUR' }, own_schema: true,
      subscription: 'trial', plan: 'professional', payment_provider: 'manual', trial: '14 days', period: '14 days',
      audit: ['tenant.created {"plan": "professional", "subscription": "trial"}'],
    });
  });

  it('a failure in the middle of the handout leaves the spare in the pool and no half tenant', async () => {
    await cli('tenant', 'pool', 'fill', '--size', '2');
    const before = await cli('tenant', 'pool', 'status');
    const history = async () => db.sql`select schema_name, version, checksum from tenantctl.schema_migrations where schema_name like 'tenantctl_pool_%' order by 1, 2`;
    const historyBefore = await history();
    // After the spare is claimed and renamed, before the owner and the audit entry.
    const failed = await runCli(['tenant', 'create', 'halfpool', '--name', 'Half', '--plan', 'starter', '--owner-email', 'h@half.test'], { url: db.url, env: { TENANTCTL_FAILPOINT: 'tenant-create:after-schema' } });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('Failpoint tenant-create:after-schema');
    expect(await cli('tenant', 'pool', 'status')).toEqual(before);
    expect(await history()).toEqual(historyBefore);
    expect(await db.sql`select 1 from public.tenants where slug = 'halfpool'`).toHaveLength(0);
    expect(await db.sql`select 1 from public.subscriptions s where not exists (select 1 from public.tenants t where t.id = s.tenant_id)`).toHaveLength(0);
    expect(await db.sql`select 1 from pg_namespace where nspname = 'tenant_halfpool'`).toHaveLength(0);
    expect(await db.sql`select 1 from tenantctl.schema_migrations where schema_name = 'tenant_halfpool'`).toHaveLength(0);
    // The same spare is handed out to the next create.
    const next = await cli('tenant', 'create', 'halfpool', '--name', 'Half', '--plan', 'starter', '--owner-email', 'h@half.test');
    expect(next.fromPool).toBe(true);
    expect((await cli('tenant', 'pool', 'status')).ready).toBe(before.ready - 1);
  });

  it('shrinks to a smaller --size: the newest spares dropped with their bookkeeping, a busy one kept, tenants untouched', async () => {
    await cli('tenant', 'pool', 'fill', '--size', '3');
    const before = await cli('tenant', 'pool', 'status');
    expect(before.ready).toBe(3);
    const spares: string[] = before.schemas.map((s: { schema: string }) => s.schema);
    const tenantsBefore = await db.sql`select slug, schema_name from public.tenants order by slug`;
    const tenantSchemas = await db.sql`select nspname from pg_namespace where left(nspname, 7) = 'tenant_' order by 1`;

    // One spare is being migrated by another session (its migrate lock is held): it must stay.
    const busy = spares[spares.length - 1]!;
    const holder = await db.sql.reserve();
    await holder`select pg_advisory_lock(hashtextextended(${'tenantctl.migrate:' + busy}, 0))`;
    let shrunk;
    try {
      shrunk = await cli('tenant', 'pool', 'fill', '--size', '0');
    } finally {
      await holder`select pg_advisory_unlock_all()`;
      holder.release();
    }
    expect(shrunk).toMatchObject({ size: 0, created: [], ready: 1 });
    expect([...shrunk.dropped].sort()).toEqual(spares.filter((s) => s !== busy).sort());
    for (const gone of shrunk.dropped) {
      expect(await db.sql`select 1 from pg_namespace where nspname = ${gone}`).toHaveLength(0);
      expect(await db.sql`select 1 from tenantctl.schema_migrations where schema_name = ${gone}`).toHaveLength(0);
      expect(await db.sql`select 1 from tenantctl.schema_state where schema_name = ${gone}`).toHaveLength(0);
    }
    const human = await runCli(['tenant', 'pool', 'fill', '--size', '0'], { url: db.url });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('pool: 0 spare schema(s) ready (0 built now, 1 dropped)');
    expect(await cli('tenant', 'pool', 'status')).toMatchObject({ target: 0, ready: 0, schemas: [] });
    // maintain keeps the new size: nothing rebuilt.
    expect(JSON.parse((await runCli(['maintain', '--only', 'pool', '--json'], { url: db.url })).stdout)).toMatchObject({ tasks: [{ summary: { target: 0, built: 0, dropped: 0 } }] });

    // What a shrink must keep: every tenant, its schema and its row.
    expect(await db.sql`select slug, schema_name from public.tenants order by slug`).toEqual(tenantsBefore);
    expect(await db.sql`select nspname from pg_namespace where left(nspname, 7) = 'tenant_' order by 1`).toEqual(tenantSchemas);
  });

  it('two fills at once build the spares once: the second waits, then finds them ready', async () => {
    const [one, two] = await Promise.all([1, 2].map(() => runCli(['tenant', 'pool', 'fill', '--size', '3', '--json'], { url: db.url })));
    for (const r of [one!, two!]) expect(r.code, r.stderr).toBe(0);
    const built = [one!, two!].map((r) => JSON.parse(r.stdout).created.length).sort();
    expect(built).toEqual([0, 3]);
    expect(await cli('tenant', 'pool', 'status')).toMatchObject({ target: 3, ready: 3 });
    expect(await db.sql`select schema_name from tenantctl.tenant_pool`).toHaveLength(3);
  });

  it('stamps the rows its migrations seeded with the create\'s time, as a create without the pool does, even from a spare built days before', async () => {
    // A seed row with a past and a far-future literal date, which keep their values, beside
    // now() defaults (roles.created_at …), which the create stamps.
    const dir = await migrationsWith({ 'tenant/0905_seeded_dates.sql': "-- migrate:up\ncreate table seeded_dates (code text primary key, since date not null default current_date, valid_until timestamptz, noted timestamp not null default localtimestamp, at timestamptz not null default now());\ninsert into seeded_dates (code, valid_until) values ('stamped', null);\ninsert into seeded_dates (code, since, valid_until, noted, at) values ('literal', '2020-01-01', '2999-12-31', '2020-01-01 00:00', '2020-01-01 00:00+00');\n\n-- migrate:down\ndrop table seeded_dates;\n" });
    // The pool as an older tenantctl made it, without the columns that note the stamps and the
    // default privileges, nor the view of those: the fill adds them.
    await db.sql.unsafe('drop view tenantctl.default_privileges_now; alter table tenantctl.tenant_pool drop column stamped, drop column built_under');
    const filled = await cli('tenant', 'pool', 'fill', '--size', '3', '--migrations-dir', dir);
    expect(filled.created.length).toBeGreaterThan(0);
    // As if the spares had waited in the pool for three days: their build time, and every value
    // their build stamped, moved back.
    for (const schema of filled.created as string[]) {
      await db.sql`update tenantctl.tenant_pool set created_at = created_at - interval '3 days' where schema_name = ${schema}`;
      await db.sql`update ${db.sql(schema)}.roles set created_at = created_at - interval '3 days', updated_at = updated_at - interval '3 days'`;
      await db.sql`update ${db.sql(schema)}.permissions set created_at = created_at - interval '3 days'`;
      await db.sql`update ${db.sql(schema)}.seeded_dates set since = since - 3, noted = noted - interval '3 days', at = at - interval '3 days' where code = 'stamped'`;
    }
    // A note naming a column that is no longer there (dropped since by a tenantctl that did not
    // note again) is passed over, never a failed handout.
    await db.sql`update tenantctl.tenant_pool set stamped = stamped || '[{"table": "gone", "column": "created_at", "type": "timestamp with time zone"}, {"table": "roles", "column": "gone_at", "type": "date"}]'::jsonb`;
    const input = (slug: string) => ({ slug, name: 'Stamp Co', plan: 'starter', ownerEmail: `owner@${slug}.test`, ownerName: 'Owner' });
    const pooled = await createTenant(db.sql, input('stamppool'), { strategy: schemaPerTenant, migrationsDir: dir });
    const built = await createTenant(db.sql, input('stampbuilt'), { strategy: schemaPerTenant, migrationsDir: dir, usePool: false });
    expect([pooled.fromPool, built.fromPool]).toEqual([true, false]);
    /** Every date and time value of the schema's rows: "now" when within the hour before the check (or today), else the value. */
    const stamps = async (schema: string) => {
      const columns = await db.sql`select table_name, column_name, data_type from information_schema.columns
        where table_schema = ${schema} and data_type in ('date', 'timestamp with time zone', 'timestamp without time zone') order by 1, 2`;
      const out: string[] = [];
      for (const c of columns) {
        const recent = c.data_type === 'date' ? db.sql`v = current_date` : c.data_type === 'timestamp without time zone' ? db.sql`v between localtimestamp - interval '1 hour' and localtimestamp` : db.sql`v between now() - interval '1 hour' and now()`;
        const rows = await db.sql`select case when ${recent} then 'now' else v::text end as v from (select ${db.sql(c.column_name as string)} as v from ${db.sql(schema)}.${db.sql(c.table_name as string)}) x where v is not null`;
        for (const r of rows) out.push(`${c.table_name}.${c.column_name} ${r.v}`);
      }
      return out.sort();
    };
    const fromPool = await stamps('tenant_stamppool');
    expect(fromPool).toEqual(await stamps('tenant_stampbuilt'));
    expect(fromPool).toContain('roles.created_at now');
    expect(fromPool).toEqual(expect.arrayContaining(['seeded_dates.since now', 'seeded_dates.since 2020-01-01', 'seeded_dates.valid_until 2999-12-31 00:00:00+00', 'seeded_dates.at now', 'seeded_dates.noted now']));
  });
});

describe('the pool with migrations of the project\'s own (TENANTCTL_MIGRATIONS_DIR)', () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const cli = async (...args: string[]) => {
    const r = await runCli([...args, '--json'], { url: db.url, env });
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    db = await createTestDatabase('poolown');
    env = { TENANTCTL_MIGRATIONS_DIR: await migrationsWith({ 'tenant/0002_own.sql': '-- migrate:up\nalter table products add column own_flag boolean;\n-- migrate:down\nalter table products drop column own_flag;\n' }) };
    await cli('migrate', 'up');
  });
  afterAll(async () => db.drop());

  it('maintain refills the pool at the same files as tenant create and pool fill, and a create takes the refilled spare', async () => {
    expect(await cli('tenant', 'pool', 'fill', '--size', '1')).toMatchObject({ ready: 1 });
    await cli('tenant', 'create', 'own1', '--name', 'Own 1', '--plan', 'starter', '--owner-email', 'o@own1.test');
    expect(await cli('tenant', 'pool', 'status')).toMatchObject({ target: 1, ready: 0 });
    expect(await cli('maintain', '--only', 'pool')).toMatchObject({ tasks: [{ summary: { target: 1, built: 1, dropped: 0 } }] });
    const status = await cli('tenant', 'pool', 'status');
    expect(status).toMatchObject({ target: 1, ready: 1 });
    const spare = status.schemas[0].schema as string;
    await cli('tenant', 'create', 'own2', '--name', 'Own 2', '--plan', 'starter', '--owner-email', 'o@own2.test');
    // The spare was handed out (renamed), with the project's own column.
    expect(await db.sql`select 1 from pg_namespace where nspname = ${spare}`).toHaveLength(0);
    expect(await db.sql`select 1 from information_schema.columns where table_schema = 'tenant_own2' and column_name = 'own_flag'`).toHaveLength(1);
  });
});

describe('migrations that record their schema\'s own name, and the pool', () => {
  let db: TestDatabase;
  const run = (args: string[], env?: NodeJS.ProcessEnv) => runCli([...args, '--json'], { url: db.url, env });
  const cli = async (args: string[], env?: NodeJS.ProcessEnv) => {
    const r = await run(args, env);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  const input = (slug: string) => ({ slug, name: 'Same Co', plan: 'starter', ownerEmail: `owner@${slug.replaceAll('_', '-')}.test`, ownerName: 'Owner' });
  const spareSchemas = async () => (await db.sql`select nspname from pg_namespace where nspname like 'tenantctl_pool_%' order by 1`).map((r) => r.nspname as string);
  // A SECURITY DEFINER function pinned to its own schema, the way PostgreSQL's documentation advises (a quoted and a bare entry).
  const definer = "-- migrate:up\ncreate function whoami() returns text language sql security definer set search_path from current as $$ select current_setting('search_path') $$;\ncreate function pinned_too() returns int language sql set search_path = pg_catalog, public as $$ select 1 $$;\n\n-- migrate:down\ndrop function whoami();\ndrop function pinned_too();\n";

  beforeAll(async () => {
    db = await createTestDatabase('poolnames');
    await migrateAll(db.sql);
  });
  afterAll(async () => db?.drop());

  it('a function whose search_path was set FROM CURRENT names the tenant\'s schema from the pool, as without it', async () => {
    const dir = await migrationsWith({ 'tenant/0002_definer.sql': definer });
    await cli(['migrate', 'up', '--migrations-dir', dir]);
    await cli(['tenant', 'pool', 'fill', '--size', '1', '--migrations-dir', dir]);
    const pooled = await createTenant(db.sql, input('definer_pool'), { strategy: schemaPerTenant, migrationsDir: dir });
    const built = await createTenant(db.sql, input('definer_built'), { strategy: schemaPerTenant, migrationsDir: dir, usePool: false });
    expect([pooled.fromPool, built.fromPool]).toEqual([true, false]);
    const settings = async (schema: string) => (await db.sql`
      select p.proname, p.proconfig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = ${schema} order by 1`).map((r) => `${r.proname}: ${(r.proconfig as string[]).join(' ').replaceAll(schema, '<schema>')}`);
    expect(await settings('tenant_definer_pool')).toEqual(await settings('tenant_definer_built'));
    expect(await settings('tenant_definer_pool')).toEqual(['pinned_too: search_path=pg_catalog, public', 'whoami: search_path=<schema>, public']);
    expect(await db.sql`select tenant_definer_pool.whoami() as path`).toEqual([{ path: 'tenant_definer_pool, public' }]);
  });

  it('a migration that writes its schema\'s name into a function body, a row, an index, a name or an enum label keeps no spare, and a create builds the schema', async () => {
    const body = "-- migrate:up\ndo $$ begin execute format('create function home() returns text language sql as %L', format('select %L::text', current_schema())); end $$;\n\n-- migrate:down\ndrop function home();\n";
    const row = "-- migrate:up\ncreate table settings (key text primary key, value text);\ninsert into settings values ('home', current_schema());\n\n-- migrate:down\ndrop table settings;\n";
    // An index is found through its table (it depends on the table, not on the schema).
    const index = "-- migrate:up\ndo $$ begin execute format('create index roles_home on roles (code) where code <> %L', current_schema()); end $$;\n\n-- migrate:down\ndrop index roles_home;\n";
    const named = "-- migrate:up\ndo $$ begin execute format('create table %I (id int)', current_schema() || '_log'); end $$;\n\n-- migrate:down\ndo $$ begin execute format('drop table %I', current_schema() || '_log'); end $$;\n";
    const label = "-- migrate:up\ndo $$ begin execute format('create type home as enum (%L)', current_schema()); end $$;\n\n-- migrate:down\ndrop type home;\n";
    const cases = [
      ['0003_body.sql', body, /the body of function home\(\)/],
      ['0003_row.sql', row, /the rows of settings/],
      ['0003_index.sql', index, /index roles_home/],
      ['0003_named.sql', named, /the name of tenantctl_pool_\d+_log/],
      ['0003_label.sql', label, /a label of enum home/],
    ] as const;
    for (const [file, text, place] of cases) {
      const dir = await migrationsWith({ 'tenant/0002_definer.sql': definer, [`tenant/${file}`]: text });
      const before = await spareSchemas();
      const fill = await run(['tenant', 'pool', 'fill', '--size', '2', '--migrations-dir', dir]);
      expect(fill.code, fill.stderr).toBe(1);
      const error = JSON.parse(fill.stdout).error;
      expect(error.code).toBe('POOL_MIGRATIONS_NAME_SCHEMA');
      expect(error.message).toMatch(place);
      expect(error.message).toMatch(/No spare was kept/);
      // Nothing of the refused spare is left: no schema, no pool row, no history.
      expect(await spareSchemas()).toEqual(before);
      expect((await cli(['tenant', 'pool', 'status', '--migrations-dir', dir])).ready).toBe(0);
      const slug = `named_${file.slice(5, -4)}`;
      const created = await createTenant(db.sql, input(slug), { strategy: schemaPerTenant, migrationsDir: dir });
      expect(created.fromPool).toBe(false);
      const schema = `tenant_${slug}`;
      if (file === '0003_body.sql') expect(await db.sql`select ${db.sql(schema)}.home() as home`).toEqual([{ home: schema }]);
      if (file === '0003_row.sql') expect(await db.sql`select value as home from ${db.sql(schema)}.settings`).toEqual([{ home: schema }]);
      if (file === '0003_named.sql') expect(await db.sql`select to_regclass(${`${schema}.${schema}_log`}) is not null as made`).toEqual([{ made: true }]);
      // The tenant goes back to where the next file starts from.
      await cli(['migrate', 'down', '--tenant', slug, '--yes', '--drop-data', '--migrations-dir', dir]);
    }
  });

  it('a spare that migrate up gives such a migration is dropped, not handed out', async () => {
    const base = await migrationsWith({ 'tenant/0002_definer.sql': definer });
    await cli(['tenant', 'pool', 'fill', '--size', '1', '--migrations-dir', base]);
    const [spare] = (await cli(['tenant', 'pool', 'status', '--migrations-dir', base])).schemas.filter((s: { ready: boolean }) => s.ready).map((s: { schema: string }) => s.schema);
    expect(spare).toMatch(/^tenantctl_pool_/);
    const comment = "-- migrate:up\ndo $$ begin execute format('comment on table roles is %L', 'the roles of ' || current_schema()); end $$;\n\n-- migrate:down\ncomment on table roles is null;\n";
    const dir = await migrationsWith({ 'tenant/0002_definer.sql': definer, 'tenant/0004_comment.sql': comment });
    const report = await cli(['migrate', 'up', '--migrations-dir', dir]);
    expect(report.pool).toEqual({ migrated: [], dropped: [spare] });
    expect(await spareSchemas()).not.toContain(spare);
    const created = await createTenant(db.sql, input('after_comment'), { strategy: schemaPerTenant, migrationsDir: dir });
    expect(created.fromPool).toBe(false);
  });
});

describe('the pool and who a tenant\'s tables are granted to', () => {
  let db: TestDatabase;
  const reader = `pool_reader_${process.pid}`;
  const other = `pool_owner_${process.pid}`;
  const cli = async (...args: string[]) => {
    const r = await runCli([...args, '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  const input = (slug: string) => ({ slug, name: 'Granted Co', plan: 'starter', ownerEmail: `owner@${slug.replaceAll('_', '-')}.test`, ownerName: 'Owner' });
  const readable = async (schema: string) => (await db.sql`select has_table_privilege(${reader}, ${`${schema}.users`}, 'select') as ok`)[0]!.ok as boolean;

  beforeAll(async () => {
    db = await createTestDatabase('poolgrants');
    await migrateAll(db.sql);
    await db.sql.unsafe(`create role ${reader}; create role ${other}`);
  });
  afterAll(async () => {
    await db?.sql.unsafe(`alter default privileges revoke select on tables from ${reader}; drop owned by ${reader}, ${other} cascade; drop role ${reader}; drop role ${other}`);
    await db?.drop();
  });

  it('a spare built before ALTER DEFAULT PRIVILEGES is not handed out, and fill and maintain drop it: the tenant gets the grants in force, from the pool too once it is refilled', async () => {
    await cli('tenant', 'pool', 'fill', '--size', '1');
    const [stale] = (await cli('tenant', 'pool', 'status')).schemas.map((s: { schema: string }) => s.schema);
    await db.sql.unsafe(`alter default privileges grant select on tables to ${reader}`);
    expect(await cli('tenant', 'pool', 'status')).toMatchObject({ ready: 0, schemas: [{ schema: stale, ready: false, passedOver: 'built under other default privileges', owner: null }] });
    const text = await runCli(['tenant', 'pool', 'status'], { url: db.url });
    expect(text.stdout).toContain('1 spare schema(s) built under other default privileges than those in force now: never handed out; `tenant pool fill` or `maintain` drops them');
    // maintain --dry-run says it would drop it, and drops nothing.
    const dry = JSON.parse((await runCli(['maintain', '--only', 'pool', '--dry-run', '--json'], { url: db.url })).stdout);
    expect(dry.tasks[0].items).toEqual([{ wouldDrop: stale, why: 'built under other default privileges' }]);
    expect(await db.sql`select 1 from pg_namespace where nspname = ${stale}`).toHaveLength(1);

    const built = await createTenant(db.sql, input('granted_built'), { strategy: schemaPerTenant });
    expect(built.fromPool).toBe(false);
    expect(await readable('tenant_granted_built')).toBe(true);

    // Refilled under the new defaults, the pool serves creates again, with the same grants; the
    // stale spare, never handed out, is gone with its bookkeeping rather than kept for good.
    const filled = await cli('tenant', 'pool', 'fill', '--size', '1');
    expect(filled).toMatchObject({ ready: 1, dropped: [stale], otherRoles: {} });
    expect(await db.sql`select 1 from pg_namespace where nspname = ${stale}`).toHaveLength(0);
    expect(await db.sql`select 1 from tenantctl.schema_migrations where schema_name = ${stale} union all select 1 from tenantctl.tenant_pool where schema_name = ${stale}`).toHaveLength(0);
    const pooled = await createTenant(db.sql, input('granted_pool'), { strategy: schemaPerTenant });
    expect(pooled.fromPool).toBe(true);
    expect(await readable('tenant_granted_pool')).toBe(true);
    expect(built.id).not.toBe(pooled.id);
    expect(await db.sql`select slug from public.tenants where slug like 'granted%' order by 1`).toEqual([{ slug: 'granted_built' }, { slug: 'granted_pool' }]);
  });

  it('a spare owned by another role is not handed out, not counted ready, and left alone by fill and maintain: the tenant is the creating role\'s, as without the pool', async () => {
    await cli('tenant', 'pool', 'fill', '--size', '1');
    const ready = (await cli('tenant', 'pool', 'status')).schemas.filter((s: { ready: boolean }) => s.ready).map((s: { schema: string }) => s.schema);
    expect(ready).toHaveLength(1);
    const theirs = ready[0] as string;
    await db.sql.unsafe(`alter schema ${theirs} owner to ${other}`);
    expect(await cli('tenant', 'pool', 'status')).toMatchObject({ ready: 0, schemas: [{ schema: theirs, ready: false, passedOver: 'owned by another role', owner: other }] });
    expect((await runCli(['tenant', 'pool', 'status'], { url: db.url })).stdout).toContain(`1 spare schema(s) owned by ${other} (1), not counted: a tenant create run as this role passes them over. Fill the pool (and run maintain) as the role that creates tenants.`);

    const created = await createTenant(db.sql, input('own_role'), { strategy: schemaPerTenant });
    expect(created.fromPool).toBe(false);
    expect(await db.sql`select pg_get_userbyid(nspowner) = current_user as mine from pg_namespace where nspname = 'tenant_own_role'`).toEqual([{ mine: true }]);

    // This role's fill builds its own spare beside it, and a smaller size drops only its own.
    const filled = await cli('tenant', 'pool', 'fill', '--size', '1');
    expect(filled).toMatchObject({ ready: 1, dropped: [], otherRoles: { [other]: 1 } });
    expect(filled.created).toHaveLength(1);
    const emptied = await cli('tenant', 'pool', 'fill', '--size', '0');
    expect(emptied).toMatchObject({ ready: 0, dropped: filled.created, otherRoles: { [other]: 1 } });
    expect(JSON.parse((await runCli(['maintain', '--only', 'pool', '--json'], { url: db.url })).stdout)).toMatchObject({ tasks: [{ summary: { target: 0, built: 0, dropped: 0, otherRolesSpares: 1 }, items: [{ leftAlone: 1, owner: other }] }] });
    expect(await db.sql`select pg_get_userbyid(n.nspowner) as owner from tenantctl.tenant_pool p join pg_namespace n on n.nspname = p.schema_name`).toEqual([{ owner: other }]);
    // The fleet's migrate up leaves another role's ready spare as it is, too.
    const up = await cli('migrate', 'up');
    expect(up.pool).toEqual({ migrated: [], dropped: [] });
    expect(await db.sql`select 1 from pg_namespace where nspname = ${theirs}`).toHaveLength(1);
  });
});
