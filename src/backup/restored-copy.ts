import { join } from 'node:path';
import type { ConnectionConfig } from '../db/config.js';
import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { isPgError } from '../errors.js';
import type { Fault } from './log.js';
import type { ChunkEntry } from './manifest.js';
import { runTool } from './run-tool.js';
import type { PgTool } from './tools.js';

/** Indexes per amcheck statement: each statement locks its indexes and their tables, so keep it well under the lock table. */
const AMCHECK_BATCH = 200;

/** A libpq connection string naming one database, quoted for any name. */
export function dbnameConninfo(database: string): string {
  return `dbname='${database.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * Restore one chunk archive into `target` with `jobs` parallel workers. Owners and
 * privileges are left out: the copy is for checking data, and the roles of the source may
 * not exist where it is restored. `synchronousCommit: false` lets the restore's thousands of
 * small commits skip the wait for the WAL flush: right for a throwaway copy (a crash loses
 * only the copy), wrong for anything that must survive, so callers choose.
 */
export async function restoreChunk(
  pgRestore: PgTool,
  backupPath: string,
  chunk: ChunkEntry,
  target: ConnectionConfig,
  options: { jobs: number; env: NodeJS.ProcessEnv; signal?: AbortSignal; extraArgs?: string[]; synchronousCommit?: boolean; settings?: Record<string, string> },
): Promise<void> {
  const args = ['--no-password', '--exit-on-error', '--no-owner', '--no-privileges', '-j', String(options.jobs), ...(options.extraArgs ?? []), '-d', dbnameConninfo(target.database), join(backupPath, chunk.path)];
  const settings = { ...options.settings, ...(options.synchronousCommit === false ? { synchronous_commit: 'off' } : {}) };
  await runTool(pgRestore, args, { connection: target, env: options.env, signal: options.signal, what: `restore of ${chunk.name}`, settings });
}

/** Make amcheck available in the restored copy; false (with the reason) where the server lacks it. */
export async function enableAmcheck(sql: Sql): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await sql`create extension if not exists amcheck`;
    return { ok: true };
  } catch (error) {
    // amcheck is not a trusted extension: only a superuser creates it in a fresh database.
    const denied = isPgError(error) && error.code === '42501';
    return { ok: false, reason: denied ? `${(error as Error).message} (creating amcheck takes a superuser: to check the indexes too, verify into --target-url an empty database where a superuser has run CREATE EXTENSION amcheck)` : (error as Error).message };
  }
}

/** bt_index_check every B-tree index of `schemas`, in batches; returns how many were checked and the faults. */
export async function checkIndexes(sql: Sql, schemas: readonly string[]): Promise<{ checked: number; faults: Fault[] }> {
  const indexes = await query<{ oid: number; schema: string; index: string }>(sql, 'backup/btree-indexes', [schemas as string[]]);
  const faults: Fault[] = [];
  let checked = 0;
  for (let i = 0; i < indexes.length; i += AMCHECK_BATCH) {
    const batch = indexes.slice(i, i + AMCHECK_BATCH);
    try {
      await query(sql, 'backup/amcheck-batch', [batch.map((b) => b.oid)]);
      checked += batch.length;
    } catch {
      // The batch stopped at its first corrupt index: check one by one to name every culprit.
      for (const index of batch) {
        try {
          await query(sql, 'backup/amcheck-batch', [[index.oid]]);
          checked += 1;
        } catch (error) {
          faults.push({ check: 'amcheck', object: `${index.schema}.${index.index}`, message: `index ${index.schema}.${index.index} fails bt_index_check: ${(error as Error).message}` });
        }
      }
    }
  }
  return { checked, faults };
}
