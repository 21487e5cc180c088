import type { Pool } from '../db/connect.js';
import { ensureTables } from '../db/bootstrap.js';
import { query } from '../db/queries.js';

/** One finding of a check: which check, on what, and what is wrong. */
export interface Fault {
  check: string;
  object?: string;
  message: string;
}

/** An action on a backup, as kept in tenantctl.backup_log. */
export interface LogEntry {
  action: 'create' | 'verify' | 'restore-tenant' | 'prune';
  backupId?: string;
  backupPath: string;
  manifestSha256?: string;
  startedAt: Date;
  durationMs: number;
  ok: boolean;
  summary: Record<string, unknown>;
  faults: Fault[];
}

/** A row of `backup log`. */
export interface LogRow extends LogEntry {
  id: string;
}

/** Create tenantctl.backup_log when missing. */
export async function ensureBackupLog(sql: Pool): Promise<void> {
  await ensureTables(sql, 'tenantctl.backup_log', 'backup/bootstrap');
}

/** Append one entry to the backup log. */
export async function recordLog(sql: Pool, entry: LogEntry): Promise<void> {
  await ensureBackupLog(sql);
  await query(sql, 'backup/record-log', [
    entry.action,
    entry.backupId ?? null,
    entry.backupPath,
    entry.manifestSha256 ?? null,
    entry.startedAt,
    Math.round(entry.durationMs),
    entry.ok,
    JSON.stringify(entry.summary),
    JSON.stringify(entry.faults),
  ]);
}

/**
 * Past actions, newest first.
 * @param limit how many @default 50
 */
export async function readLog(sql: Pool, options: { limit?: number; backupId?: string } = {}): Promise<LogRow[]> {
  await ensureBackupLog(sql);
  const rows = await query<{
    id: string;
    action: LogEntry['action'];
    backup_id: string | null;
    backup_path: string;
    manifest_sha256: string | null;
    started_at: Date;
    duration_ms: number;
    ok: boolean;
    summary: string;
    faults: string;
  }>(sql, 'backup/list-log', [options.limit ?? 50, options.backupId ?? null]);
  return rows.map((r) => ({
    id: String(r.id),
    action: r.action,
    backupId: r.backup_id ?? undefined,
    backupPath: r.backup_path,
    manifestSha256: r.manifest_sha256 ?? undefined,
    startedAt: r.started_at,
    durationMs: r.duration_ms,
    ok: r.ok,
    summary: JSON.parse(r.summary) as Record<string, unknown>,
    faults: JSON.parse(r.faults) as Fault[],
  }));
}

/** What this database recorded when it created the backup, if it did. */
export async function creationRecord(sql: Pool, backupId: string): Promise<{ manifestSha256?: string; tablesSha256?: string } | undefined> {
  await ensureBackupLog(sql);
  const [row] = await query<{ manifest_sha256: string | null; tables_sha256: string | null }>(sql, 'backup/created-manifest', [backupId]);
  return row ? { manifestSha256: row.manifest_sha256 ?? undefined, tablesSha256: row.tables_sha256 ?? undefined } : undefined;
}

/** Ids of backups whose verification passed, newest verification first. */
export async function verifiedBackups(sql: Pool): Promise<{ backupId: string; verifiedAt: Date }[]> {
  await ensureBackupLog(sql);
  const rows = await query<{ backup_id: string; verified_at: Date }>(sql, 'backup/verified-backups');
  return rows.map((r) => ({ backupId: r.backup_id, verifiedAt: r.verified_at }));
}

/** Ids of the backups this database recorded as created. */
export async function createdBackups(sql: Pool): Promise<Set<string>> {
  await ensureBackupLog(sql);
  return new Set((await query<{ backup_id: string }>(sql, 'backup/created-backups')).map((r) => r.backup_id));
}
