import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';
import { registryQuery } from '../../src/db/queries.js';
import { BUILTIN_PROFILES } from '../../src/tenancy/profiles/index.js';

// `migrate up` runs several tenants in one transaction, a savepoint each (src/migrate/batch.ts).
// --concurrency 1 gives one worker the whole fleet, so --batch-size decides the batches.

const SLUGS = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8'];

/** A column and an index on products, plus `extra` (SQL run in every tenant, after them). */
const addSource = (extra = '') => `-- migrate:up
alter table products add column source text;
create index idx_products_source on products (source);
${extra}

-- migrate:down
drop index idx_products_source;
alter table products drop column source;
`;

interface Outcome {
  schema: string;
  outcome: string;
  error?: { code?: string; message: string; line: number };
}

async function fleet(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await migrateAll(db.sql);
  for (const slug of SLUGS) await addTenantRow(db.sql, slug);
  await migrateAll(db.sql);
  return db;
}

async function up(db: TestDatabase, dir: string, batchSize: number, extra: string[] = []) {
  const r = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json', '--concurrency', '1', '--batch-size', String(batchSize), ...extra], { url: db.url });
  const report = JSON.parse(r.stdout) as { tenants: Outcome[]; summary: Record<string, number> };
  return { r, report, of: (slug: string) => report.tenants.find((t) => t.schema === `tenant_${slug}`)! };
}

/** Tenant schemas that have products.source, and those whose 0002 is recorded. */
async function applied(db: TestDatabase): Promise<{ column: string[]; recorded: string[] }> {
  const column = await db.sql`select table_schema as s from information_schema.columns where table_name = 'products' and column_name = 'source' order by 1`;
  const recorded = await db.sql`select schema_name as s from tenantctl.schema_migrations where scope = 'tenant' and version = '0002' order by 1`;
  return { column: column.map((r) => r.s as string), recorded: recorded.map((r) => r.s as string) };
}

describe('migrate up in batches of tenants', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await fleet();
  });
  afterAll(async () => db.drop());

  /** Back to every tenant at 0001, as the next test expects (b3 never got 0002: no `migrate down` for all). */
  async function revert(): Promise<void> {
    for (const slug of SLUGS) await db.sql.unsafe(`alter table "tenant_${slug}".products drop column if exists source`);
    await db.sql`delete from tenantctl.schema_migrations where scope = 'tenant' and version = '0002'`;
    await db.sql`update tenantctl.schema_state set status = 'ok', error = null, version = '0001' where scope = 'tenant'`;
    expect(await applied(db)).toEqual({ column: [], recorded: [] });
  }

  it('a tenant whose migration fails in a batch is untouched and reported; the others of its batch are applied and recorded', async () => {
    // b3's products has no column `name`: its UPDATE fails (with a position) in the middle of the batch.
    await db.sql`alter table tenant_b3.products rename column name to title`;
    const dir = await migrationsWith({ 'tenant/0002_source.sql': addSource('update products set source = name where false;') });
    const { r, report, of } = await up(db, dir, 8, ['--continue-on-error']);
    expect(r.code).toBe(1);
    expect(report.summary).toMatchObject({ applied: 7, failed: 1 });
    expect(of('b3').outcome).toBe('failed');
    expect(of('b3').error).toMatchObject({ line: 4 });
    expect(of('b3').error!.message).toContain('column "name" does not exist');
    const others = SLUGS.filter((s) => s !== 'b3').map((s) => `tenant_${s}`);
    expect(await applied(db)).toEqual({ column: others, recorded: others });
    const [state] = await db.sql`select status, error->>'line' as line from tenantctl.schema_state where schema_name = 'tenant_b3'`;
    expect(state).toEqual({ status: 'failed', line: '4' });
    const b3Indexes = await db.sql`select 1 from pg_indexes where schemaname = 'tenant_b3' and indexname = 'idx_products_source'`;
    expect(b3Indexes).toHaveLength(0);
    await revert();
    await db.sql`alter table tenant_b3.products rename column title to name`;
  });

  it("a tenant that alters an earlier tenant's table of the same batch is rolled back with the reason; the earlier one keeps its own change only", async () => {
    const reach = "do $$ begin if current_schema() = 'tenant_b5' then alter table tenant_b4.products add column stolen int; end if; end $$;";
    const dir = await migrationsWith({ 'tenant/0002_source.sql': addSource(reach) });
    const { r, report, of } = await up(db, dir, 8, ['--continue-on-error']);
    expect(r.code).toBe(1);
    expect(report.summary).toMatchObject({ applied: 7, failed: 1 });
    expect(of('b5').error).toMatchObject({ code: 'MIGRATION_INTEGRITY' });
    expect(of('b5').error!.message).toContain('it altered or truncated tenant_b4.products, outside tenant_b5');
    expect(of('b4').outcome).toBe('applied');
    const stolen = await db.sql`select 1 from information_schema.columns where table_schema = 'tenant_b4' and column_name = 'stolen'`;
    expect(stolen).toHaveLength(0);
    const others = SLUGS.filter((s) => s !== 'b5').map((s) => `tenant_${s}`);
    expect(await applied(db)).toEqual({ column: others, recorded: others });
    await revert();
  });

  it("a tenant that creates an object in an earlier tenant's schema is rolled back with the reason", async () => {
    const reach = "do $$ begin if current_schema() = 'tenant_b2' then create table tenant_b1.planted (id int); end if; end $$;";
    const dir = await migrationsWith({ 'tenant/0002_source.sql': addSource(reach) });
    const { r, of } = await up(db, dir, 8, ['--continue-on-error']);
    expect(r.code).toBe(1);
    expect(of('b2').error!.message).toContain('it created objects outside tenant_b2: tenant_b1.planted');
    const planted = await db.sql`select to_regclass('tenant_b1.planted') as t`;
    expect(planted[0]!.t).toBeNull();
    await revert();
  });

  it("a tenant that alters a later tenant's table, or a shared table, in the middle of a batch is the one rolled back", async () => {
    // b2 reaches forward into b7 (before b7's own turn); b6 truncates a shared table. Each is
    // found once, at the end of the batch (batch-after.sql), by the transaction id it wrote under.
    const reach = "do $$ begin if current_schema() = 'tenant_b2' then alter table tenant_b7.products add column stolen int; end if; if current_schema() = 'tenant_b6' then truncate public.plans cascade; end if; end $$;";
    const [plans] = await db.sql`select count(*)::int as n from public.plans`;
    const dir = await migrationsWith({ 'tenant/0002_source.sql': addSource(reach) });
    const { r, report, of } = await up(db, dir, 8, ['--continue-on-error']);
    expect(r.code).toBe(1);
    expect(report.summary).toMatchObject({ applied: 6, failed: 2 });
    expect(of('b2').error).toMatchObject({ code: 'MIGRATION_INTEGRITY' });
    expect(of('b2').error!.message).toContain('it altered or truncated tenant_b7.products, outside tenant_b2');
    expect(of('b6').error!.message).toContain('public.plans');
    expect(of('b7').outcome).toBe('applied');
    const stolen = await db.sql`select 1 from information_schema.columns where table_schema = 'tenant_b7' and column_name = 'stolen'`;
    expect(stolen).toHaveLength(0);
    const [after] = await db.sql`select count(*)::int as n from public.plans`;
    expect(after!.n).toBe(plans!.n);
    const others = SLUGS.filter((s) => s !== 'b2' && s !== 'b6').map((s) => `tenant_${s}`);
    expect(await applied(db)).toEqual({ column: others, recorded: others });
    await revert();
  });

  it('a tenant that drops a table an earlier tenant of the batch has just created is refused; the earlier tenant keeps it', async () => {
    // The table exists only inside the batch's transaction when b5 drops it: no lock list
    // before the batch knows it.
    const reach = "create table own_notes (id int);\ndo $$ begin if current_schema() = 'tenant_b5' then drop table tenant_b4.own_notes; end if; end $$;";
    const dir = await migrationsWith({ 'tenant/0002_source.sql': addSource(reach).replace('drop index idx_products_source;', 'drop table own_notes;\ndrop index idx_products_source;') });
    const { r, report, of } = await up(db, dir, 8, ['--continue-on-error']);
    expect(r.code).toBe(1);
    expect(report.summary).toMatchObject({ applied: 7, failed: 1 });
    expect(of('b5').error).toMatchObject({ code: 'MIGRATION_INTEGRITY' });
    expect(of('b5').error!.message).toContain('outside tenant_b5');
    const notes = await db.sql`select table_schema as s from information_schema.tables where table_name = 'own_notes' order by 1`;
    const others = SLUGS.filter((s) => s !== 'b5').map((s) => `tenant_${s}`);
    expect(notes.map((n) => n.s)).toEqual(others);
    for (const slug of SLUGS) await db.sql.unsafe(`drop table if exists "tenant_${slug}".own_notes`);
    await revert();
  });

  it('a migration that rewrites its own table (a column changes type) is applied in every tenant of a batch', async () => {
    const dir = await migrationsWith({ 'tenant/0002_source.sql': addSource('alter table products alter column source type varchar(200);') });
    const { r, report } = await up(db, dir, 8);
    expect(r.code, r.stderr).toBe(0);
    expect(report.summary).toMatchObject({ applied: SLUGS.length });
    const typed = await db.sql`select count(*)::int as n from information_schema.columns where column_name = 'source' and data_type = 'character varying' and table_schema like 'tenant\_%'`;
    expect(typed[0]!.n).toBe(SLUGS.length);
    await revert();
  });

  it('--batch-size above 64 runs as asked, with a warning on stderr that says why it slows the whole server; 64 and under say nothing', async () => {
    const dir = await migrationsWith({ 'tenant/0002_source.sql': addSource() });
    const large = await up(db, dir, 65);
    expect(large.r.code, large.r.stderr).toBe(0);
    expect(large.report.summary).toMatchObject({ applied: SLUGS.length });
    expect(large.r.stderr).toContain('warning: --batch-size 65 puts 65 savepoints (subtransactions) in one transaction');
    expect(large.r.stderr).toContain('pg_subtrans');
    await revert();
    const usual = await up(db, dir, 64);
    expect(usual.r.code, usual.r.stderr).toBe(0);
    expect(usual.r.stderr).not.toContain('warning');
    await revert();
  });

  it("a batch's end names the tenants whose registry row is gone (one statement for the batch, for any kind of registry)", async () => {
    // What batch.ts sends before the commit; a row gone makes the whole batch run alone.
    const registry = BUILTIN_PROFILES.find((p) => p.name === 'commerce')!.registry;
    const schemas = SLUGS.map((s) => `tenant_${s}`);
    let missing: unknown;
    const rolledBack = new Error('roll back');
    await db.sql.begin(async (tx) => {
      await tx`delete from public.tenants where schema_name = 'tenant_b6'`;
      missing = await registryQuery<{ missing: string }>(tx as never, 'migrate/batch-registry-rows', registry, [schemas]);
      throw rolledBack;
    }).catch((error: unknown) => {
      if (error !== rolledBack) throw error;
    });
    expect(missing).toEqual([{ missing: 'tenant_b6' }]);
    expect(await registryQuery(db.sql, 'migrate/batch-registry-rows', registry, [schemas])).toEqual([]);
  });

  it('a process killed in the middle of a batch loses nothing recorded as applied; a rerun completes the rest', async () => {
    // b6's section waits on an advisory lock the test holds: the second batch (b5–b8) is open when the process dies.
    const wait = "do $$ begin if current_schema() = 'tenant_b6' then perform pg_advisory_xact_lock(4242); end if; end $$;";
    const dir = await migrationsWith({ 'tenant/0002_source.sql': addSource(wait) });
    const holder = await db.sql.reserve();
    await holder`select pg_advisory_lock(4242)`;
    const child = spawnCli(['migrate', 'up', '--migrations-dir', dir, '--json', '--concurrency', '1', '--batch-size', '4'], { url: db.url });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let waiter: number | undefined;
    try {
      while (waiter === undefined) {
        const [waiting] = await db.sql`select pid from pg_locks where locktype = 'advisory' and objid = 4242 and not granted
          and database = (select oid from pg_database where datname = current_database())`;
        waiter = waiting?.pid as number | undefined;
        if (waiter === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // In flight: b5 (done, uncommitted) and b6 (waiting). Nothing of that batch is visible yet.
      expect(await applied(db)).toEqual({ column: ['tenant_b1', 'tenant_b2', 'tenant_b3', 'tenant_b4'], recorded: ['tenant_b1', 'tenant_b2', 'tenant_b3', 'tenant_b4'] });
      child.kill('SIGKILL');
      await exited;
    } finally {
      await holder`select pg_advisory_unlock(4242)`;
      holder.release();
    }
    // The server notices the dead connection and rolls the batch's transaction back.
    for (;;) {
      const open = await db.sql`select 1 from pg_stat_activity where pid = ${waiter}`;
      if (!open.length) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const first = ['tenant_b1', 'tenant_b2', 'tenant_b3', 'tenant_b4'];
    expect(await applied(db)).toEqual({ column: first, recorded: first });
    const again = await up(db, dir, 4);
    expect(again.r.code, again.r.stderr).toBe(0);
    expect(again.report.summary).toMatchObject({ applied: 4, upToDate: 4 });
    const all = SLUGS.map((s) => `tenant_${s}`);
    expect(await applied(db)).toEqual({ column: all, recorded: all });
    await revert();
  });
});

describe('by default, batches follow how long a tenant takes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await fleet();
  });
  afterAll(async () => db.drop());

  /**
   * How many tenants committed in each transaction that recorded 0002, largest first: the
   * record stamps schema_state.updated_at with now(), the transaction's start (xmin would
   * not do: a batch writes each tenant's rows under its savepoint's own transaction id).
   */
  async function perTransaction(): Promise<number[]> {
    const rows = await db.sql`select count(*)::int as n from tenantctl.schema_state where scope = 'tenant' and version = '0002' group by updated_at order by 1 desc`;
    return rows.map((r) => r.n as number);
  }

  /** `migrate up` without --batch-size, one worker. */
  async function upByDefault(dir: string) {
    const r = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json', '--concurrency', '1'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { tenants: (Outcome & { durationMs: number })[]; summary: Record<string, number> };
  }

  it('a slow migration (its locks would wait for the others of a batch) runs one tenant per transaction', async () => {
    const report = await upByDefault(await migrationsWith({ 'tenant/0002_source.sql': addSource('select pg_sleep(0.3);') }));
    expect(report.summary).toMatchObject({ applied: SLUGS.length });
    expect(await perTransaction()).toEqual(SLUGS.map(() => 1));
  });

  it('a fast one starts with one tenant alone, then batches', async () => {
    await db.sql`delete from tenantctl.schema_migrations where scope = 'tenant' and version = '0002'`;
    for (const slug of SLUGS) await db.sql.unsafe(`alter table "tenant_${slug}".products drop column source`);
    await db.sql`update tenantctl.schema_state set version = '0001' where scope = 'tenant'`;
    const report = await upByDefault(await migrationsWith({ 'tenant/0002_source.sql': addSource() }));
    expect(report.summary).toMatchObject({ applied: SLUGS.length });
    const sizes = await perTransaction();
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(SLUGS.length);
    expect(sizes.at(-1)).toBe(1);
    // The first tenant's time sets the next batch (at most 250 ms a batch): on any machine where
    // it took under 125 ms, the next batch has two tenants or more.
    const first = report.tenants.find((t) => t.schema === 'tenant_b1')!;
    if (first.durationMs < 125) expect(sizes[0]).toBeGreaterThan(1);
  });
});

describe('batches and one tenant per transaction give the same result', () => {
  let one: TestDatabase;
  let many: TestDatabase;
  beforeAll(async () => {
    [one, many] = [await fleet(), await fleet()];
  });
  afterAll(async () => Promise.all([one.drop(), many.drop()]));

  /** Every tenant schema's columns, indexes and constraints, and the ledger without times. */
  async function shape(db: TestDatabase) {
    const columns = await db.sql`select table_schema, table_name, column_name, data_type, ordinal_position from information_schema.columns where table_schema like 'tenant\_%' order by 1, 2, 3`;
    const indexes = await db.sql`select schemaname, tablename, indexname, indexdef from pg_indexes where schemaname like 'tenant\_%' order by 1, 3`;
    const constraints = await db.sql`select n.nspname, c.conname, pg_get_constraintdef(c.oid) as def from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname like 'tenant\_%' order by 1, 2`;
    const ledger = await db.sql`select schema_name, scope, version, name, checksum from tenantctl.schema_migrations order by 1, 3`;
    const state = await db.sql`select schema_name, scope, status, version, error from tenantctl.schema_state order by 1`;
    return { columns, indexes, constraints, ledger, state };
  }

  it('two files in one run (a table with a foreign key, then a column and an index): the same schemas and the same ledger', async () => {
    const dir = await migrationsWith({
      'tenant/0002_notes.sql': '-- migrate:up\ncreate table product_notes (id bigserial primary key, product_id uuid not null references products (id), body text not null);\n\n-- migrate:down\ndrop table product_notes;\n',
      'tenant/0003_source.sql': addSource().replace(/idx_products_source/g, 'idx_products_source3'),
    });
    const single = await up(one, dir, 1);
    const batched = await up(many, dir, 8);
    expect(single.r.code, single.r.stderr).toBe(0);
    expect(batched.r.code, batched.r.stderr).toBe(0);
    expect(batched.report.summary).toEqual(single.report.summary);
    expect(batched.report.tenants.map((t) => [t.schema, t.outcome])).toEqual(single.report.tenants.map((t) => [t.schema, t.outcome]));
    const [a, b] = [await shape(one), await shape(many)];
    expect(a.ledger.filter((r) => r.version === '0003')).toHaveLength(SLUGS.length);
    expect(b).toEqual(a);
    // Durations are measured in a batch too (on the server).
    const [durations] = await many.sql`select count(*)::int as n from tenantctl.schema_migrations where scope = 'tenant' and version in ('0002', '0003') and duration_ms >= 0`;
    expect(durations!.n).toBe(2 * SLUGS.length);
  });
});
