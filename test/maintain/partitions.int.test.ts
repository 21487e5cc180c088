import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';

/** The tasks of the one JSON document `maintain --json` prints. */
const jsonLines = (stdout: string) => JSON.parse(stdout).tasks;

/** The audit rows as a sorted fingerprint (id, tenant, action, instant). */
async function auditRows(db: TestDatabase): Promise<string[]> {
  const rows = await db.sql`select id::text || '|' || coalesce(tenant_id::text, '') || '|' || action || '|' || extract(epoch from created_at)::text as r from public.audit_logs order by 1`;
  return rows.map((x) => x.r as string);
}

const kind = async (db: TestDatabase) => ((await db.sql`select relkind from pg_class where oid = 'public.audit_logs'::regclass`)[0]!.relkind as string);

describe('audit_logs partitioning', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await runCli(['migrate', 'up', '--shared-only', '--to', '0001'], { url: db.url });
    await addTenantRow(db.sql, 'acme', false);
    await db.sql`insert into public.audit_logs (tenant_id, action, entity_type, created_at)
                 select id, 'tenant.created', 'tenant', now() - interval '14 months' from public.tenants`;
    await db.sql`insert into public.audit_logs (action, entity_type, created_at) values
                 ('login', 'user', now()), ('login', 'user', '2020-02-29 23:30:00-05'), ('login', 'user', now() - interval '40 days')`;
  });
  afterAll(async () => db?.drop());

  it('migration 0002 up, down and up again keeps every audit row', async () => {
    const before = await auditRows(db);
    expect(before).toHaveLength(4);
    const up = await runCli(['migrate', 'up', '--shared-only'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    expect(await kind(db)).toBe('p');
    expect(await auditRows(db)).toEqual(before);
    const [{ n }] = (await db.sql`select count(*)::int as n from public.audit_logs_default`) as unknown as [{ n: number }];
    expect(n).toBe(0);

    const down = await runCli(['migrate', 'down', '--shared-only', '--yes'], { url: db.url });
    expect(down.code, down.stderr).toBe(0);
    expect(await kind(db)).toBe('r');
    expect(await auditRows(db)).toEqual(before);

    const again = await runCli(['migrate', 'up', '--shared-only'], { url: db.url });
    expect(again.code, again.stderr).toBe(0);
    expect(await kind(db)).toBe('p');
    expect(await auditRows(db)).toEqual(before);
  });

  it('still takes inserts with the default created_at, and deletes by tenant', async () => {
    await migrateAll(db.sql);
    const [row] = await db.sql`insert into public.audit_logs (tenant_id, action, entity_type) select id, 'x', 'y' from public.tenants returning tableoid::regclass::text as part`;
    expect(row!.part).toMatch(/^audit_logs_p\d{4}_\d{2}$/);
    await db.sql`delete from public.audit_logs where tenant_id = (select id from public.tenants where slug = 'acme')`;
    const [left] = await db.sql`select count(*)::int as n from public.audit_logs where tenant_id is not null`;
    expect(left!.n).toBe(0);
  });

  it('maintain creates the months ahead, moves rows parked in DEFAULT into their own month, and reports it', async () => {
    const [m] = await db.sql`
      select to_char(date_trunc('month', now() at time zone 'UTC') + interval '3 months', 'YYYY_MM') as ahead3,
             to_char(date_trunc('month', now() at time zone 'UTC') + interval '3 years', 'YYYY_MM') as far`;
    await db.sql`drop table ${db.sql(`public.audit_logs_p${m!.ahead3}`)}`;
    await db.sql`insert into public.audit_logs (action, entity_type, created_at) values ('future', 'x', date_trunc('month', now()) + interval '3 years' + interval '2 days')`;
    const [parked] = await db.sql`select tableoid::regclass::text as part from public.audit_logs where action = 'future'`;
    expect(parked!.part).toBe('audit_logs_default');
    const before = await auditRows(db);

    const dry = await runCli(['maintain', '--only', 'partitions', '--dry-run', '--json'], { url: db.url });
    expect(dry.code, dry.stderr).toBe(0);
    const [plan] = jsonLines(dry.stdout);
    expect(plan.summary).toMatchObject({ wouldCreate: 2, wouldMove: 1, defaultRows: 1 });
    expect(plan.items[0].wouldCreate).toEqual([`audit_logs_p${m!.ahead3}`, `audit_logs_p${m!.far}`]);

    const run = await runCli(['maintain', '--only', 'partitions', '--json'], { url: db.url });
    expect(run.code, run.stderr).toBe(0);
    const [done] = jsonLines(run.stdout);
    expect(done).toMatchObject({ ok: true, summary: { created: 2, movedFromDefault: 1, defaultRows: 0 } });
    const [moved] = await db.sql`select tableoid::regclass::text as part from public.audit_logs where action = 'future'`;
    expect(moved!.part).toBe(`audit_logs_p${m!.far}`);
    expect(await auditRows(db)).toEqual(before);

    const again = await runCli(['maintain', '--only', 'partitions', '--json'], { url: db.url });
    expect(jsonLines(again.stdout)[0].summary).toMatchObject({ missing: 0, created: 0 });
  });
  it('a row parked in DEFAULT from long ago gets its month, and the next run makes no partition the dry run had not shown', async () => {
    await db.sql`insert into public.audit_logs (action, entity_type, created_at) values ('ancient', 'x', '2001-01-15T00:00:00Z')`;
    const dry = jsonLines((await runCli(['maintain', '--only', 'partitions', '--dry-run', '--json'], { url: db.url })).stdout)[0];
    expect(dry.summary).toMatchObject({ wouldCreate: 1, wouldMove: 1 });
    const run = jsonLines((await runCli(['maintain', '--only', 'partitions', '--json'], { url: db.url })).stdout)[0];
    expect(run.summary).toMatchObject({ created: 1, movedFromDefault: 1 });
    const [row] = await db.sql`select tableoid::regclass::text as part from public.audit_logs where action = 'ancient'`;
    expect(row!.part).toBe('audit_logs_p2001_01');
    // Before: the next run wanted every month from 2001-02 to now (309 empty partitions).
    const next = jsonLines((await runCli(['maintain', '--only', 'partitions', '--dry-run', '--json'], { url: db.url })).stdout)[0];
    expect(next.summary).toMatchObject({ missing: 0, wouldCreate: 0 });
  });
});
