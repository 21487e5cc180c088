import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listFiles, readManifest } from '../../src/backup/manifest.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { buildPlatform } from './helpers.js';

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

/** The checksum formula of table-checksums.sql (hashtext), table by table, written out apart from it. */
const FIGURES = (schema: string, table: string): string =>
  `select count(*)::int as rows, coalesce(sum(hashtextextended(t::text, 0)), 0)::text || '/' || coalesce(sum(hashtextextended(t::text, 1)), 0)::text as checksum
   from "${schema}"."${table}" as t`;

describe.skipIf(!client.ok)(client.ok ? 'backup create: figures, files and timings' : `backup create: figures, files and timings (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-create-figures-'));
    db = await createTestDatabase('bcf');
    // 4 tenants × 33 tables and the shared ones: the checksums run in several 50-table statements.
    await buildPlatform(db, ['acme', 'globex', 'initech', 'umbrella']);
  });
  afterAll(async () => {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('records each table under its own name with its own rows and checksum, across the 50-table statements', async () => {
    const out = join(work, 'figures');
    const result = await runCli(['backup', 'create', '--out', out, '--jobs', '2', '--lock-budget', '100', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    const { manifest } = await readManifest(out);
    expect(manifest.checksumFormula).toBe('hashtext');
    const tenantTables = manifest.tables.filter((t) => t.schema.startsWith('tenant_'));
    expect(tenantTables.length).toBeGreaterThan(100);
    for (const t of manifest.tables) {
      const [live] = await db.sql.unsafe<{ rows: number; checksum: string }[]>(FIGURES(t.schema, t.table));
      expect({ table: `${t.schema}.${t.table}`, rows: t.rows, checksum: t.checksum }).toEqual({ table: `${t.schema}.${t.table}`, rows: live!.rows, checksum: live!.checksum });
    }
    // Tables of different sizes got different figures: a shifted row would not go unnoticed above.
    expect(new Set(manifest.tables.filter((t) => t.table === 'products').map((t) => t.rows))).toEqual(new Set([5, 8, 11, 14]));
  });

  it('lists exactly the files of the folder, each 0600 in 0700 folders, with its own size and sha256; reports where the time went', async () => {
    const out = join(work, 'files');
    const result = await runCli(['backup', 'create', '--out', out, '--jobs', '2', '--lock-budget', '100', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    const { manifest } = await readManifest(out);
    expect(manifest.files.map((f) => f.path)).toEqual(await listFiles(out));
    for (const f of manifest.files) {
      const path = join(out, f.path);
      const content = await readFile(path);
      expect({ path: f.path, bytes: f.bytes, sha256: f.sha256 }).toEqual({ path: f.path, bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') });
      expect(((await stat(path)).mode & 0o777).toString(8)).toBe('600');
      expect(((await stat(dirname(path))).mode & 0o777).toString(8)).toBe('700');
    }
    const { timings, durationMs, chunks } = JSON.parse(result.stdout) as { timings: Record<string, number>; durationMs: number; chunks: number };
    expect(chunks).toBe(5);
    expect(Object.keys(timings).sort()).toEqual(['catalogMs', 'checksumsMs', 'chunksMs', 'dumpMs', 'manifestMs', 'pooledMs', 'prepareMs', 'recheckMs', 'sealMs', 'sequencesMs', 'syncMs', 'totalMs']);
    // Every chunk was dumped, checksummed, rechecked and sealed; the phases fit in the run.
    for (const phase of ['chunksMs', 'dumpMs', 'checksumsMs', 'recheckMs', 'sealMs', 'syncMs', 'manifestMs']) expect(timings[phase], phase).toBeGreaterThan(0);
    expect(timings.prepareMs! + timings.catalogMs! + timings.chunksMs! + timings.syncMs! + timings.manifestMs!).toBeLessThanOrEqual(timings.totalMs!);
    expect(timings.totalMs).toBeGreaterThanOrEqual(durationMs);
  });
});
