import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readManifest } from '../../src/backup/manifest.js';
import { backupClientStatus } from '../support/pg-client.js';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { background, buildPlatform, exists, toolsWorkingOn, until } from './helpers.js';

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const execFileAsync = promisify(execFile);
const client = await backupClientStatus();

describe.skipIf(!client.ok)(client.ok ? 'backup create is consistent or fails' : `backup create is consistent or fails (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-consistency-'));
    db = await createTestDatabase('bc');
    await buildPlatform(db, ['acme', 'globex', 'initech']);
  });
  afterAll(async () => {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  /**
   * A backup with `change` committed between the run's snapshot and its pg_dump of the tenants:
   * the snapshot is taken and the sequences read, the tenants' pg_dump has not started.
   */
  const backupAround = async (name: string, change: string) => {
    const go = join(work, `${name}-go`);
    const run = background(['backup', 'create', '--out', join(work, name), '--json'], db.url, { TENANTCTL_FAILPOINT: `backup-create:chunk-checked:wait=${go}` });
    await until(() => exists(`${go}.reached`));
    await db.sql.unsafe(change);
    await writeFile(go, '');
    return run.done;
  };

  it('fails, naming the table, when a table is rewritten after the snapshot and before its chunk is dumped', async () => {
    const out = join(work, 'rewritten');
    const blocker = await db.sql.reserve();
    // The migration of the issue: a column with a volatile default rewrites the table. It
    // is under way (uncommitted) when the backup takes its snapshot, and commits while the
    // backup's pg_dump waits for the table.
    await blocker`begin`;
    await blocker`alter table tenant_globex.products add column line_uid uuid not null default gen_random_uuid()`;
    const run = background(['backup', 'create', '--out', out, '--json'], db.url);
    await until(async () => (await db.sql`select 1 from pg_locks where relation = 'tenant_globex.products'::regclass and not granted and database = (select oid from pg_database where datname = current_database())`).length > 0);
    await blocker`commit`;
    blocker.release();
    const result = await run.done;
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain("tenant_globex.products was rewritten after the backup's snapshot");
    expect(await exists(out)).toBe(false);
    const [{ n }] = await db.sql`select count(*)::int as n from tenant_globex.products`;
    expect(n).toBe(8);
  });

  it('with a failpoint between chunks: a TRUNCATE + reload in the gap fails the backup, never a manifest that disagrees with the data', async () => {
    const out = join(work, 'between');
    // Directory archives: chunk-000/toc.dat appears when that chunk's pg_dump has finished.
    const run = background(['backup', 'create', '--format', 'directory', '--out', out, '--json'], db.url, { TENANTCTL_FAILPOINT: 'backup-create:between-chunks:sleep=5000' });
    await until(() => exists(join(out, 'chunks', 'chunk-000', 'toc.dat')));
    await db.sql.begin(async (tx) => {
      await tx`create temporary table keep on commit drop as select * from tenant_acme.expenses`;
      await tx`truncate tenant_acme.expenses`;
      await tx`insert into tenant_acme.expenses select * from keep`;
    });
    const result = await run.done;
    const [{ n }] = await db.sql`select count(*)::int as n from tenant_acme.expenses`;
    if (result.code === 0) {
      // Only if the backup finished before the TRUNCATE: then its figures must be the data's.
      const { manifest } = await readManifest(out);
      expect(manifest.tables.find((t) => t.schema === 'tenant_acme' && t.table === 'expenses')!.rows).toBe(n);
    } else {
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain('tenant_acme.expenses was rewritten');
      expect(await exists(out)).toBe(false);
    }
  });

  it('records a tenant erased and one created while it runs (between chunks), and the backup still verifies', async () => {
    const out = join(work, 'erased');
    const [{ id }] = await db.sql`select id::text as id from public.tenants where slug = 'initech'`;
    // Directory archives: chunk-000/toc.dat appears when that chunk's pg_dump has finished.
    const run = background(['backup', 'create', '--format', 'directory', '--out', out, '--json'], db.url, { TENANTCTL_FAILPOINT: 'backup-create:between-chunks:sleep=5000' });
    await until(() => exists(join(out, 'chunks', 'chunk-000', 'toc.dat')));
    const erased = await runCli(['tenant', 'erase', 'initech', '--yes', '--confirm', 'initech', '--reason', 'test'], { url: db.url });
    expect(erased.code, erased.stderr).toBe(0);
    await addTenantRow(db.sql, 'hooli');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.duringRun.createdTenants).toEqual([expect.objectContaining({ slug: 'hooli' })]);
    expect(summary.duringRun.erasedTenants).toEqual([{ id, slug: 'initech', schema: 'tenant_initech' }]);
    const { manifest } = await readManifest(out);
    // Dropped before its chunk was dumped: recorded as not in the backup, and no figures for it.
    // (Had the erasure waited for pg_dump's locks instead, its data would be in, with figures.)
    const dumped = !summary.duringRun.schemasNotDumped.includes('tenant_initech');
    expect(manifest.tables.some((t) => t.schema === 'tenant_initech')).toBe(dumped);
    const verify = await runCli(['backup', 'verify', out], { url: db.url });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    await db.sql`delete from public.tenants where slug = 'hooli'`;
    await db.sql`drop schema tenant_hooli`;
  });

  it('a tenant erased after its chunk was checked and before pg_dump locked it: the chunk is dumped again without it, the run succeeds and records it', async () => {
    await addTenantRow(db.sql, 'wayne');
    await migrateAll(db.sql);
    await db.sql`insert into tenant_wayne.products (sku, name, selling_price) values ('w-1', 'Cape', 9.5)`;
    const [{ id }] = await db.sql`select id::text as id from public.tenants where slug = 'wayne'`;
    const out = join(work, 'vanished');
    const go = join(work, 'vanished-go');
    const run = background(['backup', 'create', '--out', out, '--json'], db.url, { TENANTCTL_FAILPOINT: `backup-create:chunk-checked:wait=${go}` });
    // The run stands between its look at which schemas exist and its pg_dump of them.
    await until(() => exists(`${go}.reached`));
    const erased = await runCli(['tenant', 'erase', 'wayne', '--yes', '--confirm', 'wayne', '--reason', 'test'], { url: db.url });
    expect(erased.code, erased.stderr).toBe(0);
    await addTenantRow(db.sql, 'stark');
    await writeFile(go, '');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.duringRun.erasedTenants).toEqual([{ id, slug: 'wayne', schema: 'tenant_wayne' }]);
    expect(summary.duringRun.createdTenants).toEqual([expect.objectContaining({ slug: 'stark' })]);
    expect(summary.duringRun.schemasNotDumped).toEqual(['tenant_wayne']);
    const { manifest } = await readManifest(out);
    expect(manifest.tables.filter((t) => t.schema === 'tenant_wayne')).toEqual([]);
    expect(manifest.chunks.flatMap((c) => c.schemas)).not.toContain('tenant_wayne');
    expect(manifest.tenants.find((t) => t.slug === 'wayne')).toMatchObject({ chunk: '' });
    // No half schema in the archives: not one object of it.
    for (const chunk of manifest.chunks) {
      const { stdout } = await execFileAsync('pg_restore', ['--list', join(out, chunk.path)]);
      expect(stdout).not.toContain('tenant_wayne');
      expect(stdout).not.toContain('tenant_stark');
    }
    const verify = await runCli(['backup', 'verify', out], { url: db.url });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    // Restoring it says why it is not there: erased during the run, not "had no schema".
    const restore = await runCli(['backup', 'restore-tenant', out, '--tenant', 'wayne', '--force'], { url: db.url });
    expect(restore.code).not.toBe(0);
    expect(restore.stderr).toContain('Tenant "wayne" was erased while the backup was being taken: its schema (tenant_wayne) was dropped before it was dumped');
    await db.sql`delete from public.tenants where slug = 'stark'`;
    await db.sql`drop schema tenant_stark`;
  });

  it('fails, naming the table and what changed, when a column is added or dropped after the snapshot (same relfilenode, other row type)', async () => {
    const added = await backupAround('column-added', 'alter table tenant_globex.products add column note text');
    expect(added.code, added.stderr).toBe(1);
    expect(added.stderr).toContain("tenant_globex.products had its columns changed after the backup's snapshot");
    expect(added.stderr).toMatch(/BACKUP_TABLE_REWRITTEN|run `tenantctl backup create` again/i);
    expect(await exists(join(work, 'column-added'))).toBe(false);
    // A dropped column: pg_dump, which copies the columns its snapshot saw, fails on it here;
    // had it dumped the table before the drop, the columns check would. Either way, no backup.
    const dropped = await backupAround('column-dropped', 'alter table tenant_globex.products drop column note');
    expect(dropped.code, dropped.stderr).toBe(1);
    expect(dropped.stderr).toMatch(/tenant_globex.products had its columns changed after the backup's snapshot|column "note" of relation "products" does not exist/);
    expect(await exists(join(work, 'column-dropped'))).toBe(false);
    // Once the migration is done, the next run is a backup that verifies.
    const again = await runCli(['backup', 'create', '--out', join(work, 'column-after'), '--json'], { url: db.url });
    expect(again.code, again.stderr).toBe(0);
    const verify = await runCli(['backup', 'verify', join(work, 'column-after')], { url: db.url });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('checks every relation whose contents it dumps: a partition truncated and a sequence reset after the snapshot fail the run; a matview refresh does not', async () => {
    await db.sql.unsafe(`
      create table tenant_acme.readings (at date not null, value int) partition by range (at);
      create table tenant_acme.readings_2024 partition of tenant_acme.readings for values from ('2024-01-01') to ('2025-01-01');
      insert into tenant_acme.readings select date '2024-01-01' + g, g from generate_series(0, 99) g;
      create sequence tenant_acme.invoice_no;
      select setval('tenant_acme.invoice_no', 500);
      create materialized view tenant_acme.reading_totals as select count(*) as n from tenant_acme.readings;`);
    const partition = await backupAround('partition', 'truncate tenant_acme.readings_2024');
    expect(partition.code, partition.stderr).toBe(1);
    expect(partition.stderr).toContain("tenant_acme.readings_2024 was rewritten after the backup's snapshot");
    expect(await exists(join(work, 'partition'))).toBe(false);
    const sequence = await backupAround('sequence', 'alter sequence tenant_acme.invoice_no restart with 1');
    expect(sequence.code, sequence.stderr).toBe(1);
    expect(sequence.stderr).toContain("tenant_acme.invoice_no was rewritten after the backup's snapshot");
    const refreshed = await backupAround('matview', `insert into tenant_acme.readings values ('2024-06-01', 1); refresh materialized view tenant_acme.reading_totals`);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    // What the snapshot held: 0 rows in the partition (it was truncated), the view rebuilt from them on restore.
    const { manifest } = await readManifest(join(work, 'matview'));
    expect(manifest.tables.find((t) => t.table === 'readings_2024')).toMatchObject({ schema: 'tenant_acme', rows: 0 });
    const verify = await runCli(['backup', 'verify', join(work, 'matview')], { url: db.url });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    await db.sql.unsafe('drop materialized view tenant_acme.reading_totals; drop table tenant_acme.readings; drop sequence tenant_acme.invoice_no');
  });
  it('a sequence set back (setval to a lower value) after the snapshot fails the run, naming it; one moved forward does not', async () => {
    await db.sql.unsafe(`
      create table tenant_acme.tickets (id serial primary key, title text not null);
      insert into tenant_acme.tickets (title) select 'ticket ' || g from generate_series(1, 5) g;`);
    // The reload of the issue: rows gone and the sequence reset, both after the snapshot. The
    // snapshot still holds ids 1–5; a dump of the sequence at 1 would hand them out again.
    const reset = await backupAround('setval-back', `delete from tenant_acme.tickets; select setval('tenant_acme.tickets_id_seq', 1, false)`);
    expect(reset.code, reset.stderr).toBe(1);
    expect(reset.stderr).toContain("tenant_acme.tickets_id_seq was set back (setval() to a lower value) after the backup's snapshot");
    expect(await exists(join(work, 'setval-back'))).toBe(false);
    // Nothing of the live database is touched by the failed run.
    const [seq] = await db.sql`select last_value::int as last, is_called from tenant_acme.tickets_id_seq`;
    expect(seq).toEqual({ last: 1, is_called: false });

    await db.sql.unsafe(`insert into tenant_acme.tickets (title) select 'again ' || g from generate_series(1, 3) g`);
    const forward = await backupAround('setval-forward', `select nextval('tenant_acme.tickets_id_seq'); select setval('tenant_acme.tickets_id_seq', 40)`);
    expect(forward.code, forward.stderr).toBe(0);
    const { manifest } = await readManifest(join(work, 'setval-forward'));
    expect(manifest.tables.find((t) => t.schema === 'tenant_acme' && t.table === 'tickets')).toMatchObject({ rows: 3 });
    // Every sequence of the database (tenantctl's own too) was compared, tickets_id_seq among them.
    const [{ sequences }] = await db.sql`select count(*)::int as sequences from pg_sequences where schemaname !~ '^pg_'`;
    expect(sequences).toBeGreaterThanOrEqual(1);
    expect(manifest.consistency).toEqual({ method: 'relfilenode-recheck', tables: manifest.tables.length, sequences });
    const verify = await runCli(['backup', 'verify', join(work, 'setval-forward')], { url: db.url });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`${sequences} sequence value(s) compared with the snapshot's`);
    await db.sql.unsafe('drop table tenant_acme.tickets');
  });
});

describe.skipIf(!client.ok)(client.ok ? 'backup files and folders' : `backup files and folders (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-backup-files-'));
    db = await createTestDatabase('bf');
    await migrateAll(db.sql);
    await addTenantRow(db.sql, 'acme');
    await migrateAll(db.sql);
  });
  afterAll(async () => {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  /** Every file and folder under `root` with its permission bits. */
  async function modes(root: string): Promise<{ path: string; dir: boolean; mode: number }[]> {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    const found = [{ path: root, dir: true, mode: (await stat(root)).mode & 0o777 }];
    for (const e of entries) {
      const path = join(e.parentPath, e.name);
      found.push({ path, dir: e.isDirectory(), mode: (await stat(path)).mode & 0o777 });
    }
    return found;
  }

  it('writes custom-format dumps and the manifest 0600 in 0700 folders', async () => {
    const out = join(work, 'custom');
    const result = await runCli(['backup', 'create', '--format', 'custom', '--out', out], { url: db.url, env: { UMASK_HINT: 'ignored' } });
    expect(result.code, result.stderr).toBe(0);
    const all = await modes(out);
    expect(all.filter((e) => !e.dir).map((e) => e.path.slice(out.length))).toEqual(expect.arrayContaining(['/manifest.json', '/chunks/chunk-000.dump', '/chunks/chunk-001.dump']));
    expect(all.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600))).toEqual([]);
  });

  it('--out of a folder that holds a backup makes a new dated backup inside it, night after night; both verify', async () => {
    const nightly = join(work, 'nightly');
    const first = await runCli(['backup', 'create', '--out', nightly, '--json'], { url: db.url });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).path).toBe(nightly);
    const second = await runCli(['backup', 'create', '--out', nightly, '--json'], { url: db.url });
    expect(second.code, second.stderr).toBe(0);
    const inside = JSON.parse(second.stdout).path as string;
    expect(inside).toMatch(new RegExp(`^${nightly}/${db.name}-\\d{8}T\\d{6}Z$`));
    expect((await stat(inside)).mode & 0o777).toBe(0o700);
    for (const path of [nightly, inside]) {
      const verify = await runCli(['backup', 'verify', path], { url: db.url });
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    }
  });

  it('a file in the way, or a folder of other things, is a clear error that loses nothing', async () => {
    const file = join(work, 'a-file');
    await writeFile(file, 'keep me');
    const onFile = await runCli(['backup', 'create', '--out', file], { url: db.url });
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain(`--out ${file} is a file (or a link), not a folder`);
    expect(onFile.stderr).not.toMatch(/^\s+at /m);
    const other = join(work, 'photos');
    await mkdir(other);
    await writeFile(join(other, 'cat.jpg'), 'meow');
    const onOther = await runCli(['backup', 'create', '--out', other], { url: db.url });
    expect(onOther.code).toBe(2);
    expect(onOther.stderr).toContain('already holds files that are not tenantctl backups');
    expect(await readdir(other)).toEqual(['cat.jpg']);
  });

});
