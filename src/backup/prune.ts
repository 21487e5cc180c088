import type { Pool } from '../db/connect.js';
import { TenantctlError } from '../errors.js';
import { recordLog, verifiedBackups } from './log.js';
import { readManifest, type Manifest } from './manifest.js';
import { candidateFolders, removeBackup } from './prune-folders.js';
import { isOurs, whoAsks, whose } from './ours.js';

/** Options of `backup prune`. */
export interface PruneOptions {
  /**
   * The backups root: every sub-folder with a manifest.json is a backup, and so is one nested
   * in a backup. A root that is a backup itself (the nightly --out folder) is one, holding the
   * backups inside it.
   */
  dir: string;
  /** Keep backups younger than this many days (seed 000's retention). @default 30 */
  keepDays: number;
  /** Also keep the newest N backups of this database whatever their age. @default 1 */
  keepLast?: number;
  dryRun?: boolean;
  now: () => Date;
}

/** One folder under the backups root and what prune does with it. */
export interface PruneEntry {
  path: string;
  id?: string;
  createdAt?: string;
  verified: boolean;
  bytes: number;
  /** The database the manifest says it is of. */
  database?: string;
  action: 'keep' | 'delete' | 'skip' | 'not ours';
  reason: string;
  /** The newer backups inside this one's folder (the nightly `--out` layout): a delete leaves them. */
  holds?: string[];
}

/** What `backup prune` did (or would do, with --dry-run). */
export interface PruneReport {
  dir: string;
  dryRun: boolean;
  backups: PruneEntry[];
  deleted: string[];
  freedBytes: number;
}

const DAY_MS = 86_400_000;

/**
 * Decide, for every backup of the connected database under `dir`, whether it goes: older
 * than keepDays and not among the newest keepLast. The newest backup whose latest
 * verification passed (tenantctl.backup_log) is never deleted, however old. Backups of
 * other databases (a shared folder) are listed as "not ours" and never deleted; folders
 * without a readable manifest (an unfinished backup, something else) are left alone.
 */
export async function pruneBackups(sql: Pool, options: PruneOptions): Promise<PruneReport> {
  const started = options.now();
  const t0 = performance.now();
  let folders: Awaited<ReturnType<typeof candidateFolders>>;
  try {
    folders = await candidateFolders(options.dir);
  } catch (error) {
    throw new TenantctlError('BACKUP_NO_DIR', `The backups folder ${options.dir} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, { hint: 'Pass --dir <folder> (or set TENANTCTL_BACKUP_DIR) to where `backup create` writes.', exitCode: 2 });
  }
  const us = await whoAsks(sql);
  const entries: PruneEntry[] = [];
  const manifests = new Map<PruneEntry, Manifest>();
  // The folder --dir names, when it is a backup itself: deleting that backup keeps the folder.
  const root = folders.find((f) => f.root)?.path;
  for (const { path, nested } of folders) {
    try {
      const { manifest } = await readManifest(path);
      const entry: PruneEntry = { path, id: manifest.id, createdAt: manifest.createdAt, database: manifest.database, verified: false, bytes: manifest.files.reduce((n, f) => n + f.bytes, 0), action: 'keep', reason: '' };
      if (!isOurs(manifest, us)) Object.assign(entry, { action: 'not ours', reason: `a backup of ${whose(manifest)}, not of the connected database: kept (prune it while connected to that database)` });
      if (nested.length) entry.holds = nested;
      manifests.set(entry, manifest);
      entries.push(entry);
    } catch {
      entries.push({ path, verified: false, bytes: 0, action: 'skip', reason: 'no readable manifest.json (unfinished, or not a tenantctl backup): left alone' });
    }
  }
  const verified = new Set((await verifiedBackups(sql)).map((v) => v.backupId));
  const backups = entries.filter((e) => e.action === 'keep').sort((a, b) => Date.parse(b.createdAt!) - Date.parse(a.createdAt!));
  const newestVerified = backups.find((b) => verified.has(b.id!));
  const cutoff = options.now().getTime() - options.keepDays * DAY_MS;
  backups.forEach((b, index) => {
    b.verified = verified.has(b.id!);
    if (b === newestVerified) b.reason = 'newest verified backup: always kept';
    else if (index < (options.keepLast ?? 1)) b.reason = `one of the newest ${options.keepLast}`;
    else if (Date.parse(b.createdAt!) >= cutoff) b.reason = `younger than ${options.keepDays} days`;
    else {
      b.action = 'delete';
      b.reason = `older than ${options.keepDays} days`;
    }
  });
  const doomed = backups.filter((b) => b.action === 'delete');
  if (!options.dryRun) for (const b of doomed) await removeBackup(b.path, manifests.get(b)!, b.holds ?? [], b.path === root);
  const report: PruneReport = { dir: options.dir, dryRun: Boolean(options.dryRun), backups: entries, deleted: doomed.map((b) => b.path), freedBytes: doomed.reduce((n, b) => n + b.bytes, 0) };
  if (!options.dryRun) {
    await recordLog(sql, { action: 'prune', backupPath: options.dir, startedAt: started, durationMs: performance.now() - t0, ok: true, summary: { deleted: report.deleted, freedBytes: report.freedBytes, kept: entries.length - doomed.length }, faults: [] });
  }
  return report;
}
