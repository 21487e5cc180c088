import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifest } from '../../src/backup/manifest.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { background, buildPlatform, exists, toolsWorkingOn, until } from './helpers.js';

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

describe.skipIf(!client.ok)(client.ok ? 'backup create in many chunks, dumped side by side' : `backup create in many chunks (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-chunked-'));
    db = await createTestDatabase('bch');
    await buildPlatform(db, ['acme', 'globex', 'initech']);
  });
  afterAll(async () => {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('--lock-budget splits the fleet into a chunk per tenant, two pg_dumps at a time with --jobs 2, and the backup verifies', async () => {
    const out = join(work, 'small-budget');
    // 100 locks for two pg_dumps at once: 50 relations a chunk, so each 33-table tenant gets its own.
    const result = await runCli(['backup', 'create', '--out', out, '--jobs', '2', '--lock-budget', '100', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ chunks: 4, tenants: 3 });
    const { manifest } = await readManifest(out);
    expect(manifest.locks.tablesPerChunk).toBe(50);
    expect(manifest.chunks.map((c) => [c.name, c.schemas])).toEqual([
      ['chunk-000', ['public', 'tenantctl']],
      ['chunk-001', ['tenant_acme']],
      ['chunk-002', ['tenant_globex']],
      ['chunk-003', ['tenant_initech']],
    ]);
    expect(manifest.tenants.map((t) => [t.slug, t.chunk])).toEqual([['acme', 'chunk-001'], ['globex', 'chunk-002'], ['initech', 'chunk-003']]);
    // Every chunk read the one snapshot: each tenant's figures are its own data.
    const products = manifest.tables.filter((t) => t.table === 'products').map((t) => [t.schema, t.rows]);
    expect(products).toEqual([['tenant_acme', 5], ['tenant_globex', 8], ['tenant_initech', 11]]);
    const verify = await runCli(['backup', 'verify', out, '--jobs', '2'], { url: db.url });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('schemas whose names are not plain lower-case words go whole into their chunk, and the backup verifies', async () => {
    // pg_dump's -n/-N read patterns: upper case folds, and . * ? " are special.
    await db.sql.unsafe(`create schema "Reporting"; create table "Reporting".kpi (id int primary key); insert into "Reporting".kpi select generate_series(1, 100);
      create schema "we.i*r?d""s"; create table "we.i*r?d""s".t (id int primary key); insert into "we.i*r?d""s".t select generate_series(1, 7);`);
    try {
      const out = join(work, 'odd-names');
      const result = await runCli(['backup', 'create', '--out', out, '--jobs', '2', '--lock-budget', '100', '--json'], { url: db.url });
      expect(result.code, result.stderr).toBe(0);
      const { manifest } = await readManifest(out);
      expect(manifest.tables.filter((t) => t.schema === 'Reporting' || t.schema === 'we.i*r?d"s').map((t) => [t.schema, t.rows]).sort()).toEqual([['Reporting', 100], ['we.i*r?d"s', 7]]);
      const verify = await runCli(['backup', 'verify', out, '--jobs', '2'], { url: db.url });
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    } finally {
      await db.sql.unsafe(`drop schema "Reporting" cascade; drop schema "we.i*r?d""s" cascade`);
    }
  });

  it('a chunk that fails stops the one dumped beside it: no waiting for its locks, no pg_dump left, nothing written', async () => {
    const out = join(work, 'one-fails');
    const go = join(work, 'one-fails-go');
    // globex's pg_dump (chunk-002) waits on a lock held until the end of this test …
    const blocker = await db.sql.reserve();
    await blocker`begin`;
    await blocker`lock table tenant_globex.products in access exclusive mode`;
    try {
      const run = background(['backup', 'create', '--out', out, '--jobs', '2', '--lock-budget', '100', '--json'], db.url, { TENANTCTL_FAILPOINT: `backup-create:chunk-checked:chunk-001:wait=${go}` });
      let ended = false;
      void run.done.then(() => (ended = true));
      await until(async () => ended || ((await exists(`${go}.reached`)) && (await db.sql`select 1 from pg_locks where relation = 'tenant_globex.products'::regclass and not granted and database = (select oid from pg_database where datname = current_database())`).length > 0));
      // A run that ended before it was in place says why here, rather than leaving the test to time out.
      if (ended) expect.fail(`backup create ended before both chunks were in place: ${JSON.stringify(await run.done)}`);
      // … while acme's chunk (chunk-001), held at its failpoint, is made to fail its rewrite check.
      await db.sql`truncate tenant_acme.expenses`;
      await writeFile(go, '');
      const result = await run.done;
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain("tenant_acme.expenses was rewritten after the backup's snapshot");
      expect(await toolsWorkingOn(out)).toEqual([]);
      expect(await exists(out)).toBe(false);
    } finally {
      await blocker`rollback`;
      blocker.release();
    }
  });

  it('--lock-budget must be a positive whole number', async () => {
    const result = await runCli(['backup', 'create', '--out', join(work, 'bad'), '--lock-budget', '0'], { url: db.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--lock-budget');
  });
});
