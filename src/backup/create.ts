import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionConfig } from '../db/config.js';
import type { Sql } from '../db/connect.js';
import { PACKAGE_ROOT } from '../db/queries.js';
import { TenantctlError } from '../errors.js';
import { chunkedSchemas, planChunks, relationsPerChunk, type ChunkPlan } from './chunks.js';
import { tableChecksums, type TableFigures } from './checksums.js';
import { recordLog } from './log.js';
import { hashFiles, listFiles, writeManifest, type ChunkEntry, type Manifest, type TableEntry, type TenantEntry } from './manifest.js';
import { runTool } from './run-tool.js';
import { serverFacts, withExportedSnapshot } from './snapshot.js';
import { findTool, serverMajor } from './tools.js';

/** Options of `backup create`. */
export interface CreateOptions {
  /** The backup folder to write; must not exist yet, or be empty. */
  out: string;
  /** Parallel pg_dump workers per chunk (directory format) and checksum sessions. @default 1 */
  jobs?: number;
  /** pg_dump archive format. @default 'directory' */
  format?: 'directory' | 'custom';
  pgBin?: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  now: () => Date;
  onProgress?: (chunksDone: number, chunks: number) => void;
}

/** What `backup create` reports. */
export interface CreateResult {
  path: string;
  id: string;
  manifestSha256: string;
  chunks: number;
  tables: number;
  rows: number;
  tenants: number;
  files: number;
  bytes: number;
  durationMs: number;
}

async function tenantctlVersion(): Promise<string> {
  return (JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

async function prepareFolder(out: string): Promise<void> {
  await mkdir(out, { recursive: true });
  if ((await readdir(out)).length > 0) {
    throw new TenantctlError('BACKUP_OUT_NOT_EMPTY', `${out} already exists and is not empty.`, { hint: 'Pick a new --out folder; a backup never overwrites another.', exitCode: 2 });
  }
}

function dumpArgs(chunk: ChunkPlan, archive: string, snapshot: string, format: 'directory' | 'custom', jobs: number, excluded: string[]): string[] {
  const args = ['--no-password', `--snapshot=${snapshot}`, '-f', archive];
  args.push(...(format === 'directory' ? ['-Fd', '-j', String(jobs)] : ['-Fc']));
  // The base chunk excludes the chunked schemas rather than listing its own: with -n
  // pg_dump would leave out extensions, large objects and other database-wide objects.
  if (chunk.kind === 'base') for (const s of excluded) args.push('-N', s);
  else for (const s of chunk.schemas) args.push('-n', s);
  return args;
}

/**
 * Dump the database in chunks of schemas that all read one exported snapshot, checksum every
 * table in that same snapshot, hash every file and seal a manifest beside the archives.
 * Works on servers with default lock settings however many tenant schemas there are.
 * On failure the half-written folder is removed.
 */
export async function createBackup(sql: Sql, connection: ConnectionConfig, options: CreateOptions): Promise<CreateResult> {
  const started = options.now();
  const t0 = performance.now();
  const jobs = options.jobs ?? 1;
  const format = options.format ?? 'directory';
  const facts = await serverFacts(sql);
  const need = { major: serverMajor(facts.serverVersionNum), why: `the server (PostgreSQL ${facts.serverVersion})` };
  const [pgDump, psql] = await Promise.all([findTool('pg_dump', { pgBin: options.pgBin, env: options.env }, need), findTool('psql', { pgBin: options.pgBin, env: options.env }, { major: 10, why: 'psql 10 (\\if, \\gexec)' })]);
  await prepareFolder(options.out);
  try {
    const limit = relationsPerChunk(facts, jobs);
    const { manifest, fileSha256 } = await withExportedSnapshot(sql, async (catalog) => {
      const base = new Set(['public', 'tenantctl', ...catalog.extensionSchemas]);
      const plan = planChunks(catalog.schemas, base, limit);
      const excluded = chunkedSchemas(plan);
      const chunks: ChunkEntry[] = [];
      const tables: TableEntry[] = [];
      await mkdir(join(options.out, 'chunks'));
      for (const [index, chunk] of plan.entries()) {
        const path = `chunks/${chunk.name}${format === 'custom' ? '.dump' : ''}`;
        const what = `backup of ${chunk.name} (${chunk.schemas.length} schema(s))`;
        const [, figures] = await Promise.all([
          runTool(pgDump, dumpArgs(chunk, join(options.out, path), catalog.snapshot, format, jobs, excluded), { connection, env: options.env, signal: options.signal, what }),
          tableChecksums(psql, connection, chunk.schemas, { snapshot: catalog.snapshot, parallel: jobs, env: options.env, signal: options.signal, what: `checksums of ${chunk.name}` }),
        ]);
        chunks.push({ name: chunk.name, path, kind: chunk.kind, schemas: chunk.schemas, tables: figures.length });
        tables.push(...figures.map((f: TableFigures) => ({ schema: f.schema, table: f.table, chunk: chunk.name, rows: f.rows, checksum: f.checksum })));
        options.onProgress?.(index + 1, plan.length);
      }
      const chunkOf = new Map(plan.flatMap((c) => c.schemas.map((s) => [s, c.name] as const)));
      const tenants: TenantEntry[] = catalog.tenants.map((t) => ({ ...t, version: t.applied.at(-1) ?? '', chunk: chunkOf.get(t.schema) ?? '' }));
      const files = await hashFiles(options.out, await listFiles(options.out));
      const body: Omit<Manifest, 'checksum'> = {
        format: 'tenantctl-backup/1',
        id: randomUUID(),
        createdAt: catalog.at.toISOString(),
        finishedAt: options.now().toISOString(),
        database: facts.database,
        server: { version: facts.serverVersion, versionNum: facts.serverVersionNum },
        tool: { name: 'pg_dump', version: pgDump.version, major: pgDump.major },
        tenantctl: await tenantctlVersion(),
        dumpFormat: format,
        snapshot: catalog.snapshot,
        locks: { maxLocksPerTransaction: facts.maxLocksPerTransaction, maxConnections: facts.maxConnections, maxPreparedTransactions: facts.maxPreparedTransactions, tablesPerChunk: limit },
        chunks,
        tables,
        tenants,
        files,
      };
      return writeManifest(options.out, body);
    });
    const result: CreateResult = {
      path: options.out,
      id: manifest.id,
      manifestSha256: fileSha256,
      chunks: manifest.chunks.length,
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((n, t) => n + t.rows, 0),
      tenants: manifest.tenants.length,
      files: manifest.files.length,
      bytes: manifest.files.reduce((n, f) => n + f.bytes, 0),
      durationMs: performance.now() - t0,
    };
    const { path: _path, id: _id, manifestSha256: _sha, durationMs: _ms, ...summary } = result;
    await recordLog(sql, { action: 'create', backupId: manifest.id, backupPath: options.out, manifestSha256: fileSha256, startedAt: started, durationMs: result.durationMs, ok: true, summary, faults: [] });
    return result;
  } catch (error) {
    // A half-written backup is worse than none: it looks like one. Remove what we wrote.
    await rm(options.out, { recursive: true, force: true });
    if (!options.signal?.aborted) {
      const message = error instanceof Error ? error.message : String(error);
      await recordLog(sql, { action: 'create', backupPath: options.out, startedAt: started, durationMs: performance.now() - t0, ok: false, summary: {}, faults: [{ check: 'create', message }] }).catch(() => undefined);
    }
    throw error;
  }
}

