import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tenantNodesForBackup } from '../citus/backup-nodes.js';
import type { TenantSource } from '../migrate/state.js';
import type { ConnectionConfig } from '../db/config.js';
import type { Pool, Sql } from '../db/connect.js';
import { letFinish } from '../db/in-flight.js';
import { PACKAGE_ROOT } from '../db/queries.js';
import { TenantctlError } from '../errors.js';
import { createPrivateDir } from '../files/private.js';
import { CURRENT_CHECKSUM_FORMULA } from './checksums.js';
import { archiveFormat, chunkedSchemas, lockBudget, scheduleChunks, type ArchiveFormat, type ChunkPlan } from './chunks.js';
import { dumpChunks } from './dump-all.js';
import type { ChunkContext } from './dump-chunk.js';
import { recordLog } from './log.js';
import { hashFiles, listFiles, tablesDigest, writeManifest, type ChunkEntry, type DuringRun, type FileEntry, type Manifest, type TableEntry, type TenantEntry } from './manifest.js';
import { discardBackupFolder, prepareBackupFolder } from './out-folder.js';
import { sequenceStates } from './sequences.js';
import { serverFacts, systemIdentifier, withExportedSnapshot, type ServerFacts, type SnapshotCatalog } from './snapshot.js';
import { syncFileSystem, syncPaths } from './sync-paths.js';
import { emptyTimings, timed, type CreateTimings } from './create-timings.js';
import { liveTenants, schemaTenantRegistry } from './tenant-registry.js';
import { findTool, serverMajor, type PgTool, type ToolSearch } from './tools.js';
import { pooledSection } from './pooled/section.js';
import type { PooledDeclarations } from '../pooled/index.js';

/** Where a backup or verify run stands: chunks, and bytes (of the tables, from the statistics or the archives). */
export interface BackupProgress {
  done: number;
  total: number;
  /** Absent when the sizes are unknown (tables never vacuumed or analyzed have no statistics). */
  bytes?: number;
  totalBytes?: number;
}

/** Options of `backup create`. */
export interface CreateOptions {
  /** The backup folder to write (created when missing); a folder of backups gets a new dated one inside. */
  out: string;
  /** `out` was made up from the time (--dir): when another run took that name first, the next free one (`-2`, …). */
  dated?: boolean;
  /** Parallel work: pg_dumps side by side (or -j workers of one) and checksum sessions. @default 1 */
  jobs?: number;
  /** Most relation locks the run's pg_dumps may hold at once. @default 75 % of the lock table's free entries */
  lockBudget?: number;
  /** pg_dump archive format; `auto` picks it from the chunk schedule (archiveFormat). @default 'auto' */
  format?: 'auto' | ArchiveFormat;
  pgBin?: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  now: () => Date;
  /** After each chunk: chunks done of all, and the bytes of their tables (from the statistics) of the whole. */
  onProgress?: (step: BackupProgress) => void;
  /** A pooled profile: the manifest then records every organization's rows per table (in the snapshot). */
  pooled?: { name: string; pooled: PooledDeclarations };
  /** The profile's tenant schemas ((Citus) which node holds each) and their registry; none for pooled. */
  targets: TenantSource;
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
  /** Pooled databases: organizations whose rows per table the manifest records. */
  organizations?: number;
  files: number;
  bytes: number;
  durationMs: number;
  /** Tenants created or erased while the backup ran. */
  duringRun: DuringRun;
  /** Chunks that found the server's lock table full beside another pg_dump and were dumped again on their own. */
  dumpedAlone: string[];
  /** Where the time went, by phase. */
  timings: CreateTimings;
}

async function tenantctlVersion(): Promise<string> {
  return (JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The folders holding `files` (and `root` itself), to flush their entries to disk. */
function folders(root: string, files: readonly { path: string }[]): string[] {
  return [...new Set(files.map((f) => dirname(join(root, f.path))))].concat(root);
}

/**
 * Every file of the backup folder with its sha256, in path order, then everything flushed to
 * disk before the manifest that vouches for it is written. The chunks hashed their own
 * archives as they finished (`sealed`); a file they did not report is hashed here, so the
 * manifest lists exactly what the folder holds.
 */
async function folderFiles(out: string, sealed: readonly FileEntry[], env: NodeJS.ProcessEnv): Promise<FileEntry[]> {
  const known = new Map(sealed.map((f) => [f.path, f]));
  const listed = await listFiles(out);
  const others = await hashFiles(out, listed.filter((p) => !known.has(p)), 16);
  const byPath = new Map([...known, ...others.map((f) => [f.path, f] as const)]);
  const files = listed.map((p) => byPath.get(p)!);
  if (!(await syncFileSystem(out, env))) await syncPaths([...files.map((f) => join(out, f.path)), ...folders(out, files)]);
  return files;
}

function changesDuringRun(before: SnapshotCatalog['tenants'], after: { id: string; slug: string; schema: string }[], notDumped: string[]): DuringRun {
  const then = new Set(before.map((t) => t.id));
  const now = new Set(after.map((t) => t.id));
  return {
    createdTenants: after.filter((t) => !then.has(t.id)).map((t) => ({ id: t.id, slug: t.slug })),
    erasedTenants: before.filter((t) => !now.has(t.id)).map((t) => ({ id: t.id, slug: t.slug, schema: t.schema })),
    schemasNotDumped: notDumped,
  };
}

/**
 * The client tools a backup of this server needs: pg_dump and pg_restore at least its major,
 * psql 10. Throws BACKUP_TOOL_MISSING or BACKUP_TOOL_TOO_OLD, with what to install.
 */
export async function createTools(facts: ServerFacts, search: ToolSearch): Promise<{ pgDump: PgTool; pgRestore: PgTool; psql: PgTool }> {
  const need = { major: serverMajor(facts.serverVersionNum), why: `the server (PostgreSQL ${facts.serverVersion})` };
  // One after the other: when both are missing, the error names pg_dump, every time.
  const pgDump = await findTool('pg_dump', search, need);
  const pgRestore = await findTool('pg_restore', search, need);
  const psql = await findTool('psql', search, { major: 10, why: 'psql 10 (\\if, \\gexec)' });
  return { pgDump, pgRestore, psql };
}

/** Why `backup create` cannot run from this machine against this server (a client tool missing or too old), or null when it can. */
export async function createToolsShortfall(sql: Sql, search: ToolSearch): Promise<{ message: string; hint?: string } | null> {
  try {
    await createTools(await serverFacts(sql), search);
    return null;
  } catch (error) {
    if (error instanceof TenantctlError && error.code.startsWith('BACKUP_TOOL_')) return { message: error.message, hint: error.hint };
    throw error;
  }
}

/**
 * Dump the database in chunks of schemas that all read one exported snapshot, checksum every
 * table in that same snapshot, prove that no dumped table was rewritten after the snapshot
 * (relfilenode before and after) and no sequence set back (its value before the snapshot
 * against the one in the archive), hash every file and seal a manifest beside the archives.
 * Works on servers with default lock settings however many tenant schemas there are.
 * Tenants created or erased while it runs are recorded in the manifest. On failure what this
 * run wrote is removed.
 */
export async function createBackup(sql: Pool, connection: ConnectionConfig, options: CreateOptions): Promise<CreateResult> {
  const started = options.now();
  const t0 = performance.now();
  const timings = emptyTimings();
  const jobs = options.jobs ?? 1;
  const facts = await serverFacts(sql);
  const { pgDump, pgRestore, psql } = await createTools(facts, { pgBin: options.pgBin, env: options.env });
  const folder = await prepareBackupFolder(options.out, facts.database, started, options.dated);
  const out = folder.path;
  try {
    const budget = lockBudget(facts, options.lockBudget);
    const identifier = await systemIdentifier(sql);
    // Before the snapshot: a sequence set back after this read shows as behind it in the dump.
    const sequences = await sequenceStates(sql);
    timings.prepareMs = performance.now() - t0;
    const { manifest, fileSha256, dumpedAlone } = await withExportedSnapshot(sql, options.targets.registry, async (catalog) => {
      timings.catalogMs = performance.now() - t0 - timings.prepareMs;
      const base = new Set(['public', 'tenantctl', ...catalog.extensionSchemas]);
      const { plan, limit, dumpsAtOnce, jobsPerDump } = scheduleChunks(catalog.schemas, base, budget, jobs);
      const format = archiveFormat(options.format ?? 'auto', jobsPerDump);
      const ctx: ChunkContext = { sql, connection, pgDump, pgRestore, psql, folder: out, snapshot: catalog.snapshot, filenodes: catalog.filenodes, sequences, format, jobs: jobsPerDump, excluded: chunkedSchemas(plan), env: options.env, signal: options.signal, timings };
      await createPrivateDir(join(out, 'chunks'));
      const bytesOf = new Map(catalog.schemas.map((s) => [s.schema, Number(s.bytes ?? 0)]));
      const chunkBytes = (chunk: ChunkPlan): number => chunk.schemas.reduce((sum, s) => sum + (bytesOf.get(s) ?? 0), 0);
      const totalBytes = plan.reduce((sum, chunk) => sum + chunkBytes(chunk), 0);
      let bytes = 0;
      const { outcomes, dumpedAlone } = await timed(timings, 'chunksMs', () =>
        dumpChunks(ctx, plan, dumpsAtOnce, (done, total, chunk) => {
          bytes += chunkBytes(chunk);
          options.onProgress?.(totalBytes > 0 ? { done, total, bytes, totalBytes } : { done, total });
        }),
      );
      const chunks: ChunkEntry[] = outcomes.flatMap((o) => (o.entry ? [o.entry] : []));
      const tables: TableEntry[] = outcomes.flatMap((o) => o.tables);
      const notDumped = outcomes.flatMap((o) => o.notDumped);
      const chunkOf = new Map(chunks.flatMap((c) => c.schemas.map((s) => [s, c.name] as const)));
      const nodes = await tenantNodesForBackup(sql, options.targets);
      const tenants: TenantEntry[] = catalog.tenants.map((t) => ({ ...t, version: t.applied.at(-1) ?? '', chunk: chunkOf.get(t.schema) ?? '', ...(nodes.size ? { node: nodes.get(t.schema) ?? null } : {}) }));
      const pooled = options.pooled ? await timed(timings, 'pooledMs', () => pooledSection(connection, catalog.snapshot, options.pooled!)) : undefined;
      const files = await timed(timings, 'syncMs', () => folderFiles(out, outcomes.flatMap((o) => o.files), options.env));
      const m0 = performance.now();
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
        checksumFormula: CURRENT_CHECKSUM_FORMULA,
        tables,
        tenants,
        ...(schemaTenantRegistry(options.targets.registry) ? { registry: options.targets.registry } : {}),
        ...(pooled ? { pooled } : {}),
        files,
        source: { database: facts.database, systemIdentifier: identifier, server: `${connection.socketPath ?? connection.host}:${connection.port}` },
        consistency: { method: 'relfilenode-recheck', tables: tables.length, sequences: outcomes.reduce((n, o) => n + o.sequencesCompared, 0) },
        duringRun: changesDuringRun(catalog.tenants, await liveTenants(sql, options.targets.registry), notDumped),
      };
      const written = await writeManifest(out, body);
      await syncPaths([join(out, 'manifest.json'), out]);
      timings.manifestMs = performance.now() - m0;
      return { ...written, dumpedAlone };
    });
    const result: CreateResult = {
      path: out,
      id: manifest.id,
      manifestSha256: fileSha256,
      chunks: manifest.chunks.length,
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((n, t) => n + t.rows, 0),
      tenants: manifest.tenants.length,
      ...(manifest.pooled ? { organizations: manifest.pooled.tenants.length } : {}),
      files: manifest.files.length,
      bytes: manifest.files.reduce((n, f) => n + f.bytes, 0),
      durationMs: performance.now() - t0,
      duringRun: manifest.duringRun!,
      dumpedAlone,
      timings,
    };
    const { path: _path, id: _id, manifestSha256: _sha, durationMs: _ms, duringRun: _changes, dumpedAlone: _alone, timings: _timings, ...summary } = result;
    // The figures' digest is this database's own record of what the backup holds: verify
    // compares the manifest with it, so a manifest re-sealed by hand still shows.
    const record = { ...summary, tablesSha256: tablesDigest(manifest.tables), consistency: manifest.consistency, source: manifest.source };
    await recordLog(sql, { action: 'create', backupId: manifest.id, backupPath: out, manifestSha256: fileSha256, startedAt: started, durationMs: result.durationMs, ok: true, summary: record, faults: [] });
    timings.totalMs = performance.now() - t0;
    return result;
  } catch (error) {
    // A half-written backup is worse than none: it looks like one. Remove what we wrote.
    await discardBackupFolder(folder);
    // In the log as verify does it, interrupted or not: a night with no backup shows as a failed one.
    const interrupted = Boolean(options.signal?.aborted);
    const message = interrupted ? 'interrupted before it finished (the partial backup was removed)' : error instanceof Error ? error.message : String(error);
    await letFinish(recordLog(sql, { action: 'create', backupPath: out, startedAt: started, durationMs: performance.now() - t0, ok: false, summary: interrupted ? { interrupted: true } : {}, faults: [{ check: 'create', message }] })).catch(() => undefined);
    throw error;
  }
}
