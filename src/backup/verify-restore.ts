import type { ConnectionConfig } from '../db/config.js';
import type { Sql } from '../db/connect.js';
import { tableChecksums } from './checksums.js';
import type { ChunkSettings } from './citus-scratch.js';
import type { BackupProgress } from './create.js';
import type { Fault } from './log.js';
import type { Manifest } from './manifest.js';
import { checkIndexes, enableAmcheck, restoreChunk } from './restored-copy.js';
import { isAbort } from './run-tool.js';
import type { PgTool } from './tools.js';
import { compareTables } from './verify-checks.js';

type Chunk = Manifest['chunks'][number];

/** What restoring and checking every chunk found. */
export interface RestoredChunks {
  restoreFaults: Fault[];
  tableFaults: Fault[];
  indexFaults: Fault[];
  indexesChecked: number;
  /** Why amcheck did not run (the target server lacks it). */
  amcheckSkipped?: string;
  /** Wall time from the first restore to the last one's end. */
  restoreMs: number;
  /** Time spent in the checks (beside the restores). */
  checkMs: number;
}

/** How to restore and check the chunks of one backup. */
export interface RestoreOptions {
  pgRestore: PgTool;
  psql: PgTool;
  path: string;
  target: ConnectionConfig;
  /** A session on the target, for amcheck. */
  copy: Sql;
  jobs: number;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onProgress?: (progress: BackupProgress) => void;
  /** Server settings for pg_restore's sessions, per chunk (a Citus scratch copy: schema-based sharding for tenant chunks). */
  settings?: ChunkSettings;
}

/**
 * Restore every chunk of the backup into the target and check each one (row counts and
 * checksums against the manifest, bt_index_check on its B-tree indexes) while the next ones
 * restore. The base chunk goes first with -j `jobs`: the tenant schemas may use its types,
 * functions and tables. Then, when there are at least `jobs` tenant chunks, `jobs`
 * single-process pg_restores run side by side, as `backup create` runs its pg_dumps: a
 * `pg_restore -j` leader creates a chunk's thousands of tables alone while its workers wait,
 * so one core idles for most of a chunk of small tables. Checks run one at a time, in the
 * order the chunks finish, so their locks stay within one chunk's share of the lock table.
 */
export async function restoreAndCheck(manifest: Manifest, options: RestoreOptions): Promise<RestoredChunks> {
  const found: RestoredChunks = { restoreFaults: [], tableFaults: [], indexFaults: [], indexesChecked: 0, restoreMs: 0, checkMs: 0 };
  const { signal } = options;
  let amcheckReady: Promise<{ ok: true } | { ok: false; reason: string }> | undefined;
  const check = async (chunk: Chunk): Promise<void> => {
    const c0 = performance.now();
    try {
      const figures = await tableChecksums(options.psql, options.target, chunk.schemas, { formula: manifest.checksumFormula ?? 'md5', parallel: options.jobs, env: options.env, signal, what: `checksums of the restored ${chunk.name}` });
      found.tableFaults.push(...compareTables(manifest.tables.filter((t) => t.chunk === chunk.name), figures));
      amcheckReady ??= enableAmcheck(options.copy);
      const ready = await amcheckReady;
      if (!ready.ok) found.amcheckSkipped = `amcheck is not available on the target server: ${ready.reason}`;
      else {
        const result = await checkIndexes(options.copy, chunk.schemas);
        found.indexesChecked += result.checked;
        found.indexFaults.push(...result.faults);
      }
    } catch (error) {
      if (isAbort(error) || signal?.aborted) return;
      found.tableFaults.push({ check: 'tables', object: chunk.name, message: `checking the restored ${chunk.name} failed: ${(error as Error).message}` });
    } finally {
      found.checkMs += performance.now() - c0;
    }
  };
  // Progress by the archives' bytes on disk: what pg_restore reads.
  const archiveBytes = (path: string): number => manifest.files.filter((f) => f.path === path || f.path.startsWith(`${path}/`)).reduce((sum, f) => sum + f.bytes, 0);
  const totalBytes = manifest.chunks.reduce((sum, c) => sum + archiveBytes(c.path), 0);
  let restoredBytes = 0;
  let done = 0;
  let checks: Promise<void> = Promise.resolve();
  const restore = async (chunk: Chunk, jobs: number): Promise<void> => {
    signal?.throwIfAborted();
    try {
      await restoreChunk(options.pgRestore, options.path, chunk, options.target, { jobs, env: options.env, signal, synchronousCommit: false, settings: options.settings?.(chunk) });
    } catch (error) {
      if (isAbort(error)) throw error;
      found.restoreFaults.push({ check: 'restore', object: chunk.name, message: (error as Error).message });
    }
    checks = checks.then(() => check(chunk));
    restoredBytes += archiveBytes(chunk.path);
    options.onProgress?.({ done: ++done, total: manifest.chunks.length, bytes: restoredBytes, totalBytes });
  };

  const r0 = performance.now();
  const base = manifest.chunks.filter((c) => c.kind === 'base');
  const rest = manifest.chunks.filter((c) => c.kind !== 'base');
  try {
    for (const chunk of base) await restore(chunk, options.jobs);
    const sideBySide = options.jobs > 1 && rest.length >= options.jobs;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < rest.length) await restore(rest[next++]!, sideBySide ? 1 : options.jobs);
    };
    // Settled, not all: on an abort every worker's pg_restore is stopped before we go on.
    const workers = await Promise.allSettled(Array.from({ length: sideBySide ? options.jobs : 1 }, worker));
    const failed = workers.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    found.restoreMs = performance.now() - r0;
    // Never leave a check running into the scratch database's drop.
    await checks;
  }
  signal?.throwIfAborted();
  return found;
}
