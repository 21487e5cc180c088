import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, open, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifest, type Manifest } from '../../src/backup/manifest.js';
import { runCli, spawnCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { buildPlatform, copyBackup, editManifestByHand, redumpChunk, resealFiles, scratchDatabases } from './helpers.js';
import { backupClientStatus } from '../support/pg-client.js';

/** The scratch database a verify report names. */
const scratchOf = (report: { target: string }): string => /tenantctl_verify_[0-9a-f]+/.exec(report.target)?.[0] ?? '';

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

describe.skipIf(!client.ok)(client.ok ? 'backup create and verify' : `backup create and verify (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  let backup: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-backup-test-'));
    db = await createTestDatabase('bk');
    await buildPlatform(db, ['acme', 'globex', 'initech']);
    backup = join(work, 'nightly');
  });
  afterAll(async () => {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('create writes archives and a manifest with every table, row count, checksum, tenant version and file sha256', async () => {
    // Directory archives: the tests below damage one table's file of a chunk.
    const result = await runCli(['backup', 'create', '--out', backup, '--jobs', '2', '--format', 'directory', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ path: backup, tenants: 3 });
    const { manifest, sealed } = await readManifest(backup);
    expect(sealed).toBe(true);
    expect(manifest.server.version).toMatch(/^15\./);
    expect(manifest.tool.major).toBeGreaterThanOrEqual(15);
    expect(manifest.tenants.map((t) => [t.slug, t.version])).toEqual([['acme', '0001'], ['globex', '0001'], ['initech', '0001']]);
    const products = manifest.tables.find((t) => t.schema === 'tenant_globex' && t.table === 'products')!;
    expect(products.rows).toBe(8);
    expect(manifest.checksumFormula).toBe('hashtext');
    expect(products.checksum).toMatch(/^-?\d+\/-?\d+$/);
    expect(manifest.tables.find((t) => t.schema === 'public' && t.table === 'tenants')!.rows).toBe(3);
    expect(manifest.files.length).toBeGreaterThan(10);
    for (const f of manifest.files.slice(0, 3)) expect((await stat(join(backup, f.path))).size).toBe(f.bytes);
  });

  it('verify restores into a scratch database, finds everything equal, logs it and drops the scratch database', async () => {
    const result = await runCli(['backup', 'verify', backup, '--jobs', '2', '--json'], { url: db.url });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(true);
    expect(report.faults).toEqual([]);
    expect(report.checks.map((c: { check: string; status: string }) => `${c.check}:${c.status}`)).toEqual(['manifest:ok', 'consistency:ok', 'files:ok', 'archive:ok', 'restore:ok', 'tables:ok', 'amcheck:ok', 'tenants:ok']);
    expect(report.checks.find((c: { check: string }) => c.check === 'amcheck').detail).toMatch(/\d+ B-tree indexes pass/);
    const scratch = scratchOf(report);
    expect(scratch).not.toBe('');
    expect(await scratchDatabases(db.sql)).not.toContain(scratch);

    const log = await runCli(['backup', 'log', '--json'], { url: db.url });
    expect(log.code, log.stderr).toBe(0);
    const entries = JSON.parse(log.stdout);
    expect(entries.map((e: { action: string; ok: boolean }) => `${e.action}:${e.ok}`)).toEqual(['verify:true', 'create:true']);

    const human = await runCli(['backup', 'verify', backup], { url: db.url });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/│ tables\s+│ ok\s+│ \d+ tables, \d+ rows: counts and checksums match/);
    expect(human.stdout).toMatch(/^OK: backup verified/m);
  });

  it('names a truncated archive file and fails, leaving no scratch database', async () => {
    const copy = await copyBackup(backup, join(work, 'truncated'));
    const { manifest } = await readManifest(copy);
    const victim = manifest.files.filter((f) => f.path.startsWith('chunks/chunk-001/') && f.path.endsWith('.dat.gz')).sort((a, b) => b.bytes - a.bytes)[0]!;
    await truncate(join(copy, victim.path), Math.floor(victim.bytes / 2));
    const result = await runCli(['backup', 'verify', copy, '--json'], { url: db.url });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.faults).toContainEqual(expect.objectContaining({ check: 'files', object: victim.path, message: expect.stringMatching(/truncated or altered/) }));
    expect(report.faults.some((f: { check: string }) => f.check === 'restore' || f.check === 'tables')).toBe(true);
    expect(await scratchDatabases(db.sql)).not.toContain(scratchOf(report));
    const human = await runCli(['backup', 'verify', copy], { url: db.url });
    expect(human.stdout).toContain(`FAULT files: ${victim.path} is ${Math.floor(victim.bytes / 2)} bytes, the manifest says ${victim.bytes}`);
    expect(human.stdout).toMatch(/^FAILED: \d+ fault\(s\)/m);
  });

  it('names a file with one flipped byte', async () => {
    const copy = await copyBackup(backup, join(work, 'flipped'));
    const path = join(copy, 'chunks/chunk-000/toc.dat');
    const handle = await open(path, 'r+');
    const buffer = Buffer.alloc(1);
    await handle.read(buffer, 0, 1, 100);
    buffer[0] = buffer[0]! ^ 0x01;
    await handle.write(buffer, 0, 1, 100);
    await handle.close();
    const result = await runCli(['backup', 'verify', copy, '--json'], { url: db.url });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.faults).toContainEqual({ check: 'files', object: 'chunks/chunk-000/toc.dat', message: 'chunks/chunk-000/toc.dat sha256 differs from the manifest (the file was altered or damaged)' });
    expect(await scratchDatabases(db.sql)).not.toContain(scratchOf(report));
  });

  it('names a table dropped from the archive even when the file list was re-sealed', async () => {
    const copy = await copyBackup(backup, join(work, 'dropped'));
    await redumpChunk(db, copy, 'chunk-001', ['-T', 'tenant_acme.expenses']);
    const result = await runCli(['backup', 'verify', copy, '--json'], { url: db.url });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.faults).toContainEqual(expect.objectContaining({ check: 'archive', object: 'tenant_acme.expenses', message: expect.stringMatching(/missing from the archive chunk-001/) }));
    expect(report.faults).toContainEqual({ check: 'tables', object: 'tenant_acme.expenses', message: 'tenant_acme.expenses is missing from the restored copy' });
    // The swapped archive no longer matches the manifest that was logged at creation.
    expect(report.faults).toContainEqual(expect.objectContaining({ check: 'manifest', message: expect.stringMatching(/differs from the one recorded/) }));
  });

  it('names a table whose row count no longer matches', async () => {
    const copy = await copyBackup(backup, join(work, 'rows'));
    await db.sql`insert into tenant_globex.products (sku, name) values ('late', 'Added after the backup')`;
    try {
      await redumpChunk(db, copy, 'chunk-001');
    } finally {
      await db.sql`delete from tenant_globex.products where sku = 'late'`;
    }
    const result = await runCli(['backup', 'verify', copy], { url: db.url });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAULT tables: tenant_globex.products has 9 rows in the restored copy, the manifest says 8');
    expect(result.stdout).not.toMatch(/FAULT tables: tenant_acme/);
  });

  it('flags a backup made by a version without the rewrite check, whose figures could lie', async () => {
    const copy = await copyBackup(backup, join(work, 'old-version'));
    const { manifest } = await readManifest(copy);
    const { consistency: _proof, source: _source, duringRun: _changes, ...older } = manifest;
    await resealFiles(copy, older as Manifest);
    const result = await runCli(['backup', 'verify', copy, '--json'], { url: db.url });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.checks.find((c: { check: string }) => c.check === 'consistency').status).toBe('failed');
    expect(report.faults).toContainEqual(expect.objectContaining({ check: 'consistency', message: expect.stringMatching(/did not check for tables rewritten during the backup .* Take a new backup\.$/) }));
  });

  it('names a manifest edited by hand', async () => {
    const copy = await copyBackup(backup, join(work, 'edited'));
    await editManifestByHand(copy, (m) => {
      m.tables.find((t) => t.schema === 'tenant_acme' && t.table === 'products')!.rows = 4;
    });
    const result = await runCli(['backup', 'verify', copy, '--json'], { url: db.url });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.faults).toContainEqual(expect.objectContaining({ check: 'manifest', message: 'manifest.json was edited after the backup was created (its checksum does not match its content)' }));
    expect(report.faults).toContainEqual({ check: 'tables', object: 'tenant_acme.products', message: 'tenant_acme.products has 5 rows in the restored copy, the manifest says 4' });
  });

  it('names tenants erased after the backup was taken, and still passes', async () => {
    await db.sql`delete from public.subscriptions where tenant_id = (select id from public.tenants where slug = 'initech')`;
    await db.sql`delete from public.audit_logs where tenant_id = (select id from public.tenants where slug = 'initech')`;
    await db.sql`delete from public.tenants where slug = 'initech'`;
    const result = await runCli(['backup', 'verify', backup], { url: db.url });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('tenant initech (tenant_initech) is no longer in the live database (erased or deleted since): its data is still inside this backup');
  });

  it('an interrupted create removes its folder and is in the backup log as failed, interrupted', async () => {
    // The application holds a tenant table: pg_dump waits for it, and is interrupted there.
    const app = await db.sql.reserve();
    await app`begin`;
    await app`lock table tenant_globex.products in access exclusive mode`;
    const out = join(work, 'interrupted-create');
    const child = spawnCli(['backup', 'create', '--out', out], { url: db.url });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      for (let i = 0; i < 1200 && !(await db.sql`select 1 from pg_stat_activity where application_name = 'pg_dump' and wait_event_type = 'Lock'`).length; i++) await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGINT');
      expect(await exited).toBe(130);
    } finally {
      await app`rollback`;
      app.release();
    }
    expect(stderr).toContain('interrupted by SIGINT');
    expect(await readdir(work)).not.toContain('interrupted-create');
    const log = JSON.parse((await runCli(['backup', 'log', '--json', '--limit', '5'], { url: db.url })).stdout) as { action: string; ok: boolean; backupPath: string; faults: { message: string }[] }[];
    expect(log).toContainEqual(expect.objectContaining({ action: 'create', ok: false, backupPath: out, faults: [{ check: 'create', message: 'interrupted before it finished (the partial backup was removed)' }] }));
  });

  it('drops the scratch database when interrupted with SIGINT, and cleans one left by SIGKILL on the next run', async () => {
    const waitForScratch = async (before: string[]): Promise<string> => {
      for (let i = 0; i < 600; i++) {
        const fresh = (await scratchDatabases(db.sql)).filter((n) => !before.includes(n));
        if (fresh.length) return fresh[0]!;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('verify never created its scratch database');
    };
    const before = await scratchDatabases(db.sql);
    const child = spawnCli(['backup', 'verify', backup], { url: db.url });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const scratch = await waitForScratch(before);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('interrupted by SIGINT');
    expect(await scratchDatabases(db.sql)).not.toContain(scratch);

    const killed = spawnCli(['backup', 'verify', backup], { url: db.url });
    const gone = new Promise((resolve) => killed.on('close', resolve));
    const orphan = await waitForScratch(before);
    killed.kill('SIGKILL');
    await gone;
    expect(await scratchDatabases(db.sql)).toContain(orphan);
    // The killed run's sessions end when the server sees their sockets close, which a loaded
    // machine may delay: until then its guard session still says the scratch database is in use.
    for (let i = 0; i < 600 && (await db.sql`select 1 from pg_stat_activity where application_name = ${`tenantctl-verify:${orphan}`}`).length; i++) await new Promise((r) => setTimeout(r, 50));
    const next = await runCli(['backup', 'verify', backup, '--json'], { url: db.url });
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout).staleScratchDropped).toContain(orphan);
    expect(await scratchDatabases(db.sql)).not.toContain(orphan);
    const log = JSON.parse((await runCli(['backup', 'log', '--json', '--limit', '5'], { url: db.url })).stdout);
    expect(log).toContainEqual(expect.objectContaining({ action: 'verify', ok: false, faults: [{ check: 'verify', message: 'interrupted before it finished' }] }));
  });

  it('a missing client tool is a clear error naming the tool and the version needed', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'no-pg-bin-'));
    const result = await runCli(['backup', 'create', '--out', join(work, 'never'), '--pg-bin', empty], { url: db.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`pg_dump was not found (looked in --pg-bin ${empty})`);
    expect(result.stderr).toMatch(/PostgreSQL client 15 or newer/);
    expect(await readdir(work)).not.toContain('never');
    await rm(empty, { recursive: true });
  });
});
