import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CitusCheckReport } from '../../src/citus/check.js';
import type { DistributeReport } from '../../src/citus/distribute.js';
import { runCli } from '../support/cli.js';
import { CITUS_URL, createCitusDatabase, localBytes, reportSkipped, type CitusDatabase } from './cluster.js';

const create = (url: string, slug: string) => runCli(['tenant', 'create', slug, '--name', slug, '--plan', 'starter', '--owner-email', `o@${slug}.test`], { url });

if (!CITUS_URL) reportSkipped();
else describe('citus check and citus distribute: a single-node database grows into a cluster', () => {
  let db: CitusDatabase;

  beforeAll(async () => {
    // Built as plain PostgreSQL: shared tables local, tenant schemas ordinary schemas.
    db = await createCitusDatabase({ plain: true });
    expect((await runCli(['migrate', 'up'], { url: db.url })).code).toBe(0);
    for (const slug of ['alpha', 'beta', 'gamma']) expect((await create(db.url, slug)).code).toBe(0);
    // beta gets what Citus cannot take: an int sequence; gamma a trigger (allowed with a caveat).
    await db.sql`create sequence tenant_beta.invoice_no as integer`;
    await db.sql`create function tenant_gamma.touch() returns trigger language plpgsql as $$ begin new.updated_at = now(); return new; end $$`;
    await db.sql`create trigger products_touch before update on tenant_gamma.products for each row execute function tenant_gamma.touch()`;
    await db.sql`insert into tenant_alpha.products (sku, name) select 'a' || g, 'p' || g from generate_series(1, 200) g`;
    // alpha points at a shared table of the user's own: distribute makes it a reference table first, so it does not block.
    await db.sql`create table public.regions (code text primary key)`;
    await db.sql`alter table tenant_alpha.products add column region text references public.regions (code)`;
    await db.becomeCoordinator();
  });
  afterAll(async () => db?.drop());

  test('check reports per schema what blocks it: foreign keys to not-yet-reference tables, int sequences, triggers', async () => {
    const run = await runCli(['citus', 'check', '--json'], { url: db.url });
    const report = JSON.parse(run.stdout) as CitusCheckReport;
    expect(report.mode).toBe('schema-per-tenant');
    expect(run.code).toBe(1);
    const beta = report.schemas.find((s) => s.slug === 'beta')!;
    expect(beta.blockers.map((b) => b.kind)).toContain('int_sequence');
    const gamma = report.schemas.find((s) => s.slug === 'gamma')!;
    expect(gamma.caveats.map((c) => `${c.kind}:${c.detail}`)).toContain('trigger:products_touch');
    expect(report.sharedTables.some((t) => t.table === 'public.tenants' && !t.reference)).toBe(true);
  });

  test('distribute converts what it can, reports what blocks the rest and keeps it as it was; a rerun resumes', async () => {
    const dry = JSON.parse((await runCli(['citus', 'distribute', '--dry-run', '--json'], { url: db.url })).stdout) as DistributeReport;
    // The forecast is the run's: alpha's key to public.regions does not block, audit_logs (partitioned) stays local.
    expect(Object.fromEntries(dry.schemas.map((s) => [s.slug, s.outcome]))).toEqual({ alpha: 'would-distribute', beta: 'blocked', gamma: 'would-distribute' });
    expect(dry.sharedTables.find((t) => t.table === 'regions')?.outcome).toBe('would-reference');
    expect(dry.sharedTables.find((t) => t.table === 'audit_logs')).toMatchObject({ outcome: 'kept-local', why: expect.stringContaining('partitioned') });
    expect((await db.sql`select count(*)::int as n from pg_dist_partition`)[0]!.n).toBe(0);
    const noYes = await runCli(['citus', 'distribute'], { url: db.url });
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('--yes');

    const run = await runCli(['citus', 'distribute', '--yes', '--json'], { url: db.url });
    const report = JSON.parse(run.stdout) as DistributeReport;
    expect(run.code).toBe(1);
    const outcome = Object.fromEntries(report.schemas.map((s) => [s.slug, s.outcome]));
    expect(outcome).toEqual({ alpha: 'distributed', beta: 'blocked', gamma: 'distributed' });
    expect(report.sharedTables.find((t) => t.table === 'tenants')?.outcome).toBe('reference');
    expect(report.sharedTables.find((t) => t.table === 'audit_logs')?.outcome).toBe('kept-local');
    const [{ n }] = (await db.sql`select count(*)::int as n from tenant_alpha.products`) as unknown as [{ n: number }];
    expect(n).toBe(200);
    // The rows went to a worker; the coordinator's local tables keep no copy of them.
    expect(await localBytes(db.sql, 'tenant_alpha')).toBe(0);
    const distributed = (await db.sql`select schemaid::regnamespace::text as s from pg_dist_schema order by 1`) as unknown as { s: string }[];
    expect(distributed.map((r) => r.s)).toEqual(['tenant_alpha', 'tenant_gamma']);

    // The blocker fixed, a rerun converts beta and leaves the others alone.
    await db.sql`alter sequence tenant_beta.invoice_no as bigint`;
    const again = JSON.parse((await runCli(['citus', 'distribute', '--yes', '--json'], { url: db.url })).stdout) as DistributeReport;
    expect(Object.fromEntries(again.schemas.map((s) => [s.slug, s.outcome]))).toEqual({ alpha: 'already-distributed', beta: 'distributed', gamma: 'already-distributed' });
  });
});
