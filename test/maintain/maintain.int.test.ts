import { lstat, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAINTAIN_LOCK } from '../../src/maintain/lock.js';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { retentionMarkers, schemaChecksum, seedRetentionRows } from './support.js';

/** The tasks of one `--json` document (the whole stdout must parse as one). */
const jsonLines = (stdout: string) => JSON.parse(stdout).tasks;
const streamed = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line));
const SEEDED = {
  'shipment_tracking:old': 2, 'shipment_tracking:keep': 2,
  'notification_logs:old': 1, 'notification_logs:keep': 1,
  'security_violations:old': 1, 'security_violations:keep': 1,
  'refresh_tokens:old': 1, 'refresh_tokens:keep': 1,
  'user_sessions:old': 2, 'user_sessions:keep': 1,
};
const KEPT = Object.fromEntries(Object.entries(SEEDED).filter(([k]) => k.endsWith(':keep')));

describe('maintain', () => {
  let db: TestDatabase;
  let archive: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    await addTenantRow(db.sql, 'acme');
    await addTenantRow(db.sql, 'globex');
    await migrateAll(db.sql);
    await seedRetentionRows(db.sql, 'tenant_acme');
    await seedRetentionRows(db.sql, 'tenant_globex');
    archive = await mkdtemp(join(tmpdir(), 'tenantctl-archive-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (archive) await rm(archive, { recursive: true, force: true });
  });

  it('--dry-run reports what each task would do and changes nothing', async () => {
    const before = await schemaChecksum(db.sql, ['public', 'tenant_acme', 'tenant_globex']);
    const result = await runCli(['maintain', '--dry-run', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, dryRun: true });
    expect(lines.map((l: { task: string }) => l.task)).toEqual(['retention', 'partitions', 'matviews', 'analyze', 'pool']);
    expect(lines.every((l: { dryRun: boolean; ok: boolean }) => l.dryRun === true && l.ok === true)).toBe(true);
    // Streamed, the same tasks arrive one line each; for people, readable lines within 100 columns.
    expect(streamed((await runCli(['maintain', '--dry-run', '--jsonl'], { url: db.url })).stdout).map((l) => l.task)).toEqual(['retention', 'partitions', 'matviews', 'analyze', 'pool']);
    const human = await runCli(['maintain', '--dry-run'], { url: db.url });
    expect(human.stdout).not.toMatch(/^\s*\{/m);
    expect(Math.max(...human.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(lines[0].summary.wouldDelete).toBe(2 * 7);
    expect(await schemaChecksum(db.sql, ['public', 'tenant_acme', 'tenant_globex'])).toBe(before);
  });

  it('exits 75 at once, doing nothing, while another run holds the lock', async () => {
    const holder = await db.sql.reserve();
    try {
      await holder`select pg_advisory_lock(hashtextextended(${MAINTAIN_LOCK}, 0))`;
      const json = await runCli(['maintain', '--json'], { url: db.url });
      expect(json.code).toBe(75);
      expect(JSON.parse(json.stdout)).toEqual({ ok: false, error: expect.objectContaining({ code: 'MAINTAIN_LOCKED' }) });
      const lines = await runCli(['maintain', '--jsonl'], { url: db.url });
      expect(lines.code).toBe(75);
      expect(streamed(lines.stdout)).toEqual([expect.objectContaining({ task: 'lock', ok: false, error: expect.objectContaining({ code: 'MAINTAIN_LOCKED' }) })]);
      const human = await runCli(['maintain'], { url: db.url });
      expect(human.code).toBe(75);
      expect(human.stderr).toContain('Another tenantctl maintain run holds the maintenance lock');
      expect(await retentionMarkers(db.sql, 'tenant_acme')).toEqual(SEEDED);
    } finally {
      await holder`select pg_advisory_unlock(hashtextextended(${MAINTAIN_LOCK}, 0))`;
      holder.release();
    }
  });

  it('retention deletes exactly the rows past the policy, archiving them to CSV first, and is idempotent', async () => {
    const result = await runCli(['maintain', '--only', 'retention', '--json', '--archive-dir', archive], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    const [line] = jsonLines(result.stdout);
    expect(line).toMatchObject({ task: 'retention', ok: true, summary: { deleted: 14 } });
    expect(await retentionMarkers(db.sql, 'tenant_acme')).toEqual(KEPT);
    expect(await retentionMarkers(db.sql, 'tenant_globex')).toEqual(KEPT);

    const files = await readdir(join(archive, 'tenant_acme'));
    expect(files.map((f) => f.replace(/-\d{8}T\d{6}Z\.csv$/, '')).sort()).toEqual(['notification_logs', 'refresh_tokens', 'security_violations', 'shipment_tracking', 'user_sessions']);
    // Expired tokens and sessions are secrets: private files in a private folder.
    expect((await lstat(join(archive, 'tenant_acme'))).mode & 0o777).toBe(0o700);
    for (const file of files) expect((await lstat(join(archive, 'tenant_acme', file))).mode & 0o777, file).toBe(0o600);
    const tracking = await readFile(join(archive, 'tenant_acme', files.find((f) => f.startsWith('shipment_tracking'))!), 'utf8');
    const [header, ...rows] = tracking.trim().split('\n');
    expect(header).toContain('event_time');
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.includes(',old,'))).toBe(true);

    const again = await runCli(['maintain', '--only', 'retention', '--json'], { url: db.url });
    expect(jsonLines(again.stdout)[0].summary.deleted).toBe(0);
    expect(await retentionMarkers(db.sql, 'tenant_acme')).toEqual(KEPT);
  });

  it('a --config file replaces the rules; an unknown key is a usage error that names it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tenantctl-config-'));
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(dir, 'bad.json'), JSON.stringify({ retention: { rulez: [] } }));
      const bad = await runCli(['maintain', '--config', join(dir, 'bad.json')], { url: db.url });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('unknown key "rulez"');
      await db.sql`insert into tenant_acme.security_violations (violation_type, description, created_at) values
        ('copy_attempt', 'month-old', now() - interval '40 days'), ('copy_attempt', 'recent', now() - interval '10 days')`;
      await writeFile(join(dir, 'ok.json'), JSON.stringify({ retention: { rules: [{ scope: 'tenant', table: 'security_violations', column: 'created_at', olderThan: '30 days' }], batchSize: 1 } }));
      const ok = await runCli(['maintain', '--only', 'retention', '--config', join(dir, 'ok.json'), '--json'], { url: db.url });
      expect(ok.code, ok.stderr).toBe(0);
      // The 40-day-old row, and in each tenant the ~6-month-old row the default policy kept.
      expect(jsonLines(ok.stdout)[0].summary).toMatchObject({ rules: 1, deleted: 3 });
      const left = await db.sql`select description from tenant_acme.security_violations order by 1`;
      expect(left.map((r) => r.description)).toEqual(['recent']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refreshes materialized views, concurrently when a unique index allows', async () => {
    await db.sql`create materialized view tenant_acme.order_counts as select status, count(*) as n from tenant_acme.orders group by status`;
    await db.sql`create unique index on tenant_acme.order_counts (status)`;
    await db.sql`create materialized view tenant_acme.order_total as select count(*) as n from tenant_acme.orders`;
    await db.sql`insert into tenant_acme.orders (order_number, channel_id, external_order_id, customer_name, shipping_address, subtotal, total_amount, order_date)
                 select 'O-2', channel_id, 'X-2', 'Ravi', '{}', 5, 5, now() from tenant_acme.orders limit 1`;
    const result = await runCli(['maintain', '--only', 'matviews', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    const [line] = jsonLines(result.stdout);
    expect(line.items).toEqual(expect.arrayContaining([
      expect.objectContaining({ view: 'tenant_acme.order_counts', refreshed: 'concurrently' }),
      expect.objectContaining({ view: 'tenant_acme.order_total', refreshed: 'plain' }),
    ]));
    const [total] = await db.sql`select n::int from tenant_acme.order_total`;
    expect(total!.n).toBe(2);
  });

  it('analyzes tables whose statistics are stale, and only those', async () => {
    await db.sql`create table public.maintain_probe (id int) with (autovacuum_enabled = false)`;
    await db.sql`insert into public.maintain_probe select generate_series(1, 500)`;
    // Backends publish their table statistics asynchronously (PostgreSQL 15: about once a second).
    for (let tries = 0; tries < 50; tries++) {
      const [s] = await db.sql`select n_mod_since_analyze::int as n from pg_stat_user_tables where relname = 'maintain_probe'`;
      if (s && s.n >= 500) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const first = await runCli(['maintain', '--only', 'analyze', '--json'], { url: db.url });
    expect(first.code, first.stderr).toBe(0);
    expect(jsonLines(first.stdout)[0].items).toEqual(expect.arrayContaining([expect.objectContaining({ table: 'public.maintain_probe', reason: 'never analyzed' })]));
    const [stats] = await db.sql`select last_analyze is not null as analyzed from pg_stat_user_tables where relname = 'maintain_probe'`;
    expect(stats!.analyzed).toBe(true);
    const second = await runCli(['maintain', '--only', 'analyze', '--json'], { url: db.url });
    expect(jsonLines(second.stdout)[0].items.map((i: { table: string }) => i.table)).not.toContain('public.maintain_probe');
  });

  it('retention passes over a tenant erased while the run goes through the fleet: exit 0, no problem', async () => {
    await addTenantRow(db.sql, 'leaving');
    await migrateAll(db.sql);
    await seedRetentionRows(db.sql, 'tenant_leaving');
    const gate = join(archive, 'gate');
    const run = runCli(['maintain', '--only', 'retention', '--json'], { url: db.url, env: { TENANTCTL_FAILPOINT: `maintain-retention:before-purge:wait=${gate}` } });
    while (!(await stat(`${gate}.reached`).catch(() => undefined))) await new Promise((r) => setTimeout(r, 50));
    // As tenant erase does it: the schema and the registry row go.
    await db.sql`drop schema tenant_leaving cascade`;
    await db.sql`delete from public.tenants where slug = 'leaving'`;
    await writeFile(gate, '');
    const result = await run;
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).tasks[0]).toMatchObject({ task: 'retention', ok: true, problems: [] });
  });

  it('rejects an unknown --only task as a usage error', async () => {
    const result = await runCli(['maintain', '--only', 'vacuum'], { url: db.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--only vacuum');
  });
});
