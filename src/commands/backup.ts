import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import type { Io } from '../context.js';
import type { ArchiveFormat } from '../backup/chunks.js';
import { createBackup } from '../backup/create.js';
import { readLog } from '../backup/log.js';
import { backupFolderName } from '../backup/out-folder.js';
import { pruneBackups } from '../backup/prune.js';
import { restoreTenant } from '../backup/restore-tenant.js';
import { restorePooledTenant } from '../backup/pooled/restore.js';
import { verifyBackup } from '../backup/verify.js';
import { connectionFromFlag } from '../db/config.js';
import { TenantctlError } from '../errors.js';
import { emit, writeErr } from '../output/emit.js';
import { progress } from '../output/progress.js';
import { renderPooledRestore } from './backup-render-pooled.js';
import { aheadWarning, missingRoleWarning, renderCreate, renderLog, renderPrune, renderRestore, renderVerify } from './backup-render.js';
import { confirmOrRequireYes, nonNegativeInt, optionsOf, positiveInt, withDatabase, withProfile, NO_WAIT_HELP, waitNotice } from './shared.js';

interface ToolFlags {
  pgBin?: string;
  jobs: number;
}

/** Where backups live: --dir, else TENANTCTL_BACKUP_DIR, else ./backups. */
function backupsDir(io: Io, flag?: string): string {
  return resolve(io.cwd, flag ?? io.env.TENANTCTL_BACKUP_DIR ?? 'backups');
}

/**
 * Run `work` with an AbortSignal tied to SIGINT and SIGTERM, so that child processes are
 * stopped and scratch databases dropped before the process exits (130 / 143).
 */
async function interruptible<T>(io: Io, what: string, work: (signal: AbortSignal) => Promise<T>, afterwards = 'Run it again when it can finish.'): Promise<T> {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    received = signal;
    writeErr(io, `${signal} received: stopping ${what} and cleaning up…`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } catch (error) {
    if (!received) throw error;
    throw new TenantctlError('INTERRUPTED', `${what} was interrupted by ${received}; nothing half-done was left behind (scratch database dropped, partial files removed).`, {
      hint: afterwards,
      exitCode: received === 'SIGINT' ? 130 : 143,
      cause: error,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function addToolFlags(command: Command): Command {
  return command
    .option('--jobs <n>', 'parallel pg_dump/pg_restore workers and checksum sessions', positiveInt('--jobs'), 1)
    .option('--pg-bin <dir>', 'folder holding pg_dump, pg_restore and psql (else PG_BIN, else PATH)');
}

/** `tenantctl backup create|verify|log|restore-tenant|prune`. */
export function registerBackup(program: Command, io: Io): void {
  const backup = program.command('backup').description('backups proven restorable: create, verify, log, restore one tenant, prune');

  addToolFlags(backup.command('create').description('pg_dump of the whole database (in chunks of schemas sharing one snapshot) plus a manifest with row counts, checksums and sha256'))
    .option('--out <path>', 'backup folder to write; a folder that already holds backups gets a new <database>-<UTC time> one inside (default: <dir>/<database>-<UTC time>)')
    .option('--dir <dir>', 'backups root when --out is not given (else TENANTCTL_BACKUP_DIR, else ./backups)')
    .addOption(new Option('--format <format>', 'pg_dump archive format (auto: one custom file per chunk when chunks are dumped side by side, a directory when one pg_dump runs with --jobs workers)').choices(['auto', 'directory', 'custom']).default('auto'))
    .option('--lock-budget <n>', "most table locks the run's pg_dumps hold at once (default: 75% of the server's free lock table)", positiveInt('--lock-budget'))
    .addHelpText('after', '\nExamples:\n  tenantctl backup create\n  tenantctl backup create --out /var/backups/tenantctl/nightly --jobs 4 --json')
    .action(async (_o, command: Command) => {
      const options = optionsOf<ToolFlags & { out?: string; dir?: string; format: 'auto' | ArchiveFormat; lockBudget?: number }>(command);
      await withProfile(io, options, async (sql, profile, config) => {
        const out = options.out ? resolve(io.cwd, options.out) : resolve(backupsDir(io, options.dir), backupFolderName(config.database, io.now()));
        const bar = progress(io, 'backup create: chunks dumped');
        const result = await interruptible(io, 'backup create', (signal) =>
          createBackup(sql, config, { out, dated: !options.out, jobs: options.jobs, lockBudget: options.lockBudget, format: options.format, pgBin: options.pgBin, env: io.env, signal, now: io.now, pooled: profile.pooled && { name: profile.name, pooled: profile.pooled }, targets: profile.lifecycle.targets, onProgress: (step) => bar.measure(step) }),
        ).finally(() => bar.done());
        emit(io, options, result, renderCreate);
      });
    });

  addToolFlags(backup.command('verify <path>').description('prove a backup restorable: sha256, pg_restore --list, full restore into a scratch database, counts, checksums, amcheck, tenant versions'))
    .option('--target-url <url>', 'restore into this empty database instead of a scratch one (it is not dropped)')
    .addHelpText('after', '\nExit code 1 when any check fails; every fault is named on its own line.\n\nExamples:\n  tenantctl backup verify backups/tenantctl-20261122T043012Z\n  tenantctl backup verify /var/backups/tenantctl/nightly --jobs 2 --json')
    .action(async (path: string, _o, command: Command) => {
      const options = optionsOf<ToolFlags & { targetUrl?: string }>(command);
      const target = options.targetUrl ? connectionFromFlag(options.targetUrl, '--target-url', io.env) : undefined;
      await withProfile(io, options, async (sql, profile, config) => {
        const bar = progress(io, 'backup verify: chunks restored');
        const report = await interruptible(io, 'backup verify', (signal) =>
          verifyBackup(sql, config, { path: resolve(io.cwd, path), jobs: options.jobs, target, pgBin: options.pgBin, env: io.env, signal, now: io.now, registry: profile.registry, onProgress: (_s, step) => bar.measure(step) }),
        'Run it again when it can finish; an interrupted verify is logged as failed, never as verified.').finally(() => bar.done());
        emit(io, options, report, (r) => renderVerify(io, r));
        // A failed check is a finding, not a crash: the report names each fault; the exit code says it.
        if (!report.ok) process.exitCode = 1;
      });
    });

  backup
    .command('log')
    .description('past backup creations, verifications, restores and prunes: when, which backup, how long, outcome, what failed')
    .option('--limit <n>', 'how many entries', positiveInt('--limit'), 50)
    .option('--backup <id>', 'only this backup (its id, from the manifest)')
    .action(async (_o, command: Command) => {
      const options = optionsOf<{ limit: number; backup?: string }>(command);
      await withDatabase(io, options, async (sql) => {
        const rows = await readLog(sql, { limit: options.limit, backupId: options.backup });
        emit(io, options, rows, (r) => renderLog(io, r));
      });
    });

  addToolFlags(backup.command('restore-tenant <path>').description('restore one tenant (schema and shared rows; pooled: the organization\'s rows in every table) from a backup into the live database, without touching any other tenant'))
    .requiredOption('--tenant <slug>', 'the tenant to restore, as it is named in the backup (pooled profiles: the organization\'s name, BIN or id)')
    .option('--as <new-slug>', 'restore as a new tenant with this slug (schema tenant_<new-slug>; pooled: a new organization with this handle and new keys) next to the existing ones')
    .option('--force', 'restore even though the tenant has an erasure receipt (it was erased on request)')
    .option('--no-wait', NO_WAIT_HELP)
    .addHelpText('after', '\nExamples:\n  tenantctl backup restore-tenant backups/tenantctl-20261122T043012Z --tenant acme\n  tenantctl backup restore-tenant backups/tenantctl-20261122T043012Z --tenant acme --as acme_restored')
    .action(async (path: string, _o, command: Command) => {
      const options = optionsOf<ToolFlags & { tenant: string; as?: string; force?: boolean; wait: boolean }>(command);
      await withProfile(io, options, async (sql, profile, config) => {
        if (profile.pooled) {
          const pooled = await interruptible(io, 'backup restore-tenant', (signal) =>
            restorePooledTenant(sql, config, profile, { path: resolve(io.cwd, path), tenant: options.tenant, as: options.as, force: options.force, pgBin: options.pgBin, env: io.env, signal, now: io.now, noWait: !options.wait, onWait: waitNotice(io) }),
          );
          return emit(io, options, pooled, renderPooledRestore);
        }
        const result = await interruptible(io, 'backup restore-tenant', (signal) =>
          restoreTenant(sql, config, { path: resolve(io.cwd, path), slug: options.tenant, as: options.as, force: options.force, pgBin: options.pgBin, env: io.env, signal, now: io.now, noWait: !options.wait, onWait: waitNotice(io), targets: profile.lifecycle.targets, registry: profile.registry }),
        );
        for (const role of result.missingRoles) writeErr(io, missingRoleWarning(role));
        if (result.aheadOf) writeErr(io, aheadWarning(result));
        emit(io, options, result, renderRestore);
      });
    });

  backup
    .command('prune')
    .description('delete backups of the connected database older than --keep-days (never its newest verified one; backups of other databases are listed as not ours and kept)')
    .option('--dir <dir>', 'backups root (else TENANTCTL_BACKUP_DIR, else ./backups)')
    .option('--keep-days <n>', 'keep backups younger than this many days', nonNegativeInt('--keep-days'), 30)
    .option('--keep-last <n>', 'also keep the newest N backups of this database whatever their age', nonNegativeInt('--keep-last'), 1)
    .option('--dry-run', 'list what would be deleted and delete nothing')
    .option('--yes', 'do not ask for confirmation')
    .addHelpText('after', '\nExamples:\n  tenantctl backup prune --keep-days 30 --dry-run\n  tenantctl backup prune --keep-days 30 --keep-last 7 --yes')
    .action(async (_o, command: Command) => {
      const options = optionsOf<{ dir?: string; keepDays: number; keepLast: number; dryRun?: boolean; yes?: boolean }>(command);
      await withDatabase(io, options, async (sql) => {
        const dir = backupsDir(io, options.dir);
        const plan = { dir, keepDays: options.keepDays, keepLast: options.keepLast, now: io.now };
        if (!options.dryRun) {
          const preview = await pruneBackups(sql, { ...plan, dryRun: true });
          if (preview.deleted.length === 0) return emit(io, options, { ...preview, dryRun: false }, (r) => renderPrune(io, r));
          await confirmOrRequireYes(io, options, `Delete ${preview.deleted.length} backup(s) under ${dir}?`, 'backup prune');
        }
        const report = await pruneBackups(sql, { ...plan, dryRun: options.dryRun });
        emit(io, options, report, (r) => renderPrune(io, r));
      });
    });
}
