import type { ConnectionConfig } from '../db/config.js';
import { connect, explainConnectError, type Pool } from '../db/connect.js';
import { letFinish } from '../db/in-flight.js';
import { query } from '../db/queries.js';
import { EXIT, TenantctlError } from '../errors.js';
import type { BackupProgress } from './create.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import { formatBytes } from '../output/format.js';
import { creationRecord, recordLog, type Fault } from './log.js';
import { hashFiles, listFiles, readManifest, tablesDigest, type Manifest, type TenantEntry } from './manifest.js';
import { isOurs, whoAsks, whose } from './ours.js';
import { restoreLeftovers } from './restore-staging.js';
import { liveTenantIds, tenantsWithVersions } from './tenant-registry.js';
import { isAbort, runTool } from './run-tool.js';
import { createScratch, dropStaleScratch, type ScratchDatabase } from './scratch.js';
import { citusScratchSettings } from './citus-scratch.js';
import { findTool } from './tools.js';
import { comparePooledRows, restoredRows } from './pooled/section.js';
import { compareArchiveList, compareFiles, compareTenants, goneTenants, tableDataEntries } from './verify-checks.js';
import { restoreAndCheck } from './verify-restore.js';
import { removedDuringCheck } from './still-there.js';
import { BACKUP_SESSION_SETTINGS } from './session-settings.js';
import { failpoint } from '../tenants/failpoint.js';

/** Options of `backup verify`. */
export interface VerifyOptions {
  path: string;
  /** pg_restore workers and checksum sessions. @default 1 */
  jobs?: number;
  /** Restore into this (empty) database instead of a scratch one. */
  target?: ConnectionConfig;
  pgBin?: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  now: () => Date;
  /** After each archive restored: archives done of all, and their bytes on disk of the whole backup's. */
  onProgress?: (step: string, progress: BackupProgress) => void;
  /** The profile's tenant registry: the restored copy's tenants (schema per tenant) are read from it. */
  registry: RegistrySpec;
}

/** One line of the verification table. */
export interface CheckResult {
  check: 'manifest' | 'consistency' | 'files' | 'archive' | 'restore' | 'tables' | 'amcheck' | 'tenants' | 'tenant-rows';
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
}

/** What `backup verify` reports (and records in tenantctl.backup_log). */
export interface VerifyReport {
  ok: boolean;
  backup: { path: string; id: string; createdAt: string; database: string };
  target: string;
  staleScratchDropped: string[];
  /** Staging schemas of killed restore-tenant runs in the live database (not a fault of this backup). */
  restoreLeftovers: string[];
  checks: CheckResult[];
  faults: Fault[];
  /**
   * Set when the backup is of another database than the connected one (isOurs): its archives,
   * restore and checksums are still proven, but no tenant is said to be gone from this one.
   */
  otherDatabase?: string;
  /** Tenants in the backup but no longer in the live database: their data is still inside this backup. */
  goneTenants: Pick<TenantEntry, 'id' | 'slug' | 'schema'>[];
  timings: { filesMs: number; listMs: number; restoreMs: number; checkMs: number; dropMs: number; totalMs: number };
}

const CHECK_ORDER: CheckResult['check'][] = ['manifest', 'consistency', 'files', 'archive', 'restore', 'tables', 'amcheck', 'tenants', 'tenant-rows'];

class Findings {
  readonly checks: CheckResult[] = [];
  readonly faults: Fault[] = [];
  add(check: CheckResult['check'], faults: Fault[], okDetail: string, skipped?: string): void {
    this.faults.push(...faults);
    if (skipped !== undefined) this.checks.push({ check, status: 'skipped', detail: skipped });
    else this.checks.push({ check, status: faults.length ? 'failed' : 'ok', detail: faults.length ? `${faults.length} fault(s): ${faults[0]!.message}` : okDetail });
  }
  /** A fault of `check` found after its line was written: the line fails after all. */
  late(check: CheckResult['check'], fault: Fault): void {
    this.faults.push(fault);
    const line = this.checks.find((c) => c.check === check);
    if (line) Object.assign(line, { status: 'failed', detail: fault.message });
    else this.checks.push({ check, status: 'failed', detail: fault.message });
  }
}

async function checkManifest(sql: Pool, manifest: Manifest, fileSha256: string, sealed: boolean, findings: Findings): Promise<void> {
  const record = await creationRecord(sql, manifest.id);
  const mf: Fault[] = [];
  if (!sealed) mf.push({ check: 'manifest', object: 'manifest.json', message: 'manifest.json was edited after the backup was created (its checksum does not match its content)' });
  if (record?.manifestSha256 && record.manifestSha256 !== fileSha256) mf.push({ check: 'manifest', object: 'manifest.json', message: 'manifest.json differs from the one recorded in tenantctl.backup_log when the backup was created' });
  findings.add('manifest', mf, record ? 'sealed, and matches the creation record' : 'sealed (no creation record in this database)');
  const proof = manifest.consistency;
  const sequences = proof?.sequences === undefined ? '; sequence values were not compared (made before tenantctl checked them)' : `; ${proof.sequences} sequence value(s) compared with the snapshot's`;
  const detail = `every table re-checked against the snapshot (relfilenode) when it was dumped${sequences}`;
  findings.add('consistency', consistencyFaults(manifest, record), record?.tablesSha256 ? `${detail}; figures match this database's record` : detail);
}

/**
 * Could the figures lie? A backup made without the rewrite check (earlier tenantctl versions) may
 * record a table rewritten during its run with missing rows, and its restored copy agrees
 * with it, so no other check can tell: it is flagged. A newer one is compared with this
 * database's own record of its table figures, taken when it was created.
 */
function consistencyFaults(manifest: Manifest, record: { tablesSha256?: string } | undefined): Fault[] {
  if (!manifest.consistency) {
    return [{ check: 'consistency', object: 'manifest.json', message: `made by tenantctl ${manifest.tenantctl}, which did not check for tables rewritten during the backup (ALTER … TYPE, a volatile default, VACUUM FULL, CLUSTER, TRUNCATE): such a table can be recorded with missing rows and the restore agrees. Take a new backup.` }];
  }
  if (record?.tablesSha256 && record.tablesSha256 !== tablesDigest(manifest.tables)) {
    return [{ check: 'consistency', object: 'manifest.json', message: "the manifest's table figures differ from the ones this database recorded in tenantctl.backup_log when the backup was created" }];
  }
  return [];
}

/** sha256 of every file against the manifest. Never rejects: an unreadable folder is a fault. */
async function checkFiles(path: string, manifest: Manifest, parallel: number): Promise<{ faults: Fault[]; detail: string; ms: number }> {
  const t0 = performance.now();
  const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
  try {
    const present = new Set(await listFiles(path));
    const hashed = await hashFiles(path, manifest.files.map((f) => f.path).filter((p) => present.has(p)), parallel);
    const faults = compareFiles(manifest.files, present, new Map(hashed.map((f) => [f.path, f])));
    return { faults, detail: `${manifest.files.length} files, ${formatBytes(bytes)}, sha256 match`, ms: performance.now() - t0 };
  } catch (error) {
    return { faults: [{ check: 'files', message: `the backup's files cannot be read: ${(error as Error).message}` }], detail: '', ms: performance.now() - t0 };
  }
}

/**
 * Prove a backup restorable: files against the manifest's sha256, every archive readable by
 * `pg_restore --list` with every table present, a full restore (chunk by chunk, so default
 * lock settings suffice) into a scratch database or `target`, then every table's row count
 * and checksum, amcheck on every B-tree index and every tenant's version. The scratch
 * database is dropped whatever happens, including an abort. The outcome is recorded in
 * tenantctl.backup_log; an unreadable manifest is recorded too, then thrown.
 */
export async function verifyBackup(sql: Pool, live: ConnectionConfig, options: VerifyOptions): Promise<VerifyReport> {
  const started = options.now();
  const t0 = performance.now();
  const jobs = options.jobs ?? 1;
  const signal = options.signal;
  let read: Awaited<ReturnType<typeof readManifest>>;
  try {
    read = await readManifest(options.path);
  } catch (error) {
    await recordLog(sql, { action: 'verify', backupPath: options.path, startedAt: started, durationMs: performance.now() - t0, ok: false, summary: {}, faults: [{ check: 'manifest', message: (error as Error).message }] });
    throw error;
  }
  const { manifest } = read;
  const findings = new Findings();
  const timings = { filesMs: 0, listMs: 0, restoreMs: 0, checkMs: 0, dropMs: 0, totalMs: 0 };
  let staleScratchDropped: string[] = [];
  let target = options.target?.display ?? '';
  let gone: TenantEntry[] = [];
  let leftovers: string[] = [];
  let otherDatabase: string | undefined;
  // An interrupted run is logged the moment the signal comes, before the clean-up (dropping the
  // scratch database takes seconds): a second signal then stops the process at once, and a log
  // written after the clean-up would never be written; letFinish keeps that stop from cancelling
  // the write itself.
  let loggedInterruption: Promise<unknown> | undefined;
  const logInterruption = (): Promise<unknown> => (loggedInterruption ??= letFinish(recordLog(sql, { action: 'verify', backupId: manifest.id, backupPath: options.path, manifestSha256: read.fileSha256, startedAt: started, durationMs: performance.now() - t0, ok: false, summary: { interrupted: true }, faults: [{ check: 'verify', message: 'interrupted before it finished' }] })).catch(() => undefined));
  signal?.addEventListener('abort', () => void logInterruption(), { once: true });
  try {
    otherDatabase = isOurs(manifest, await whoAsks(sql)) ? undefined : whose(manifest);
    await checkManifest(sql, manifest, read.fileSha256, read.sealed, findings);
    // Hashing reads every file once; it runs beside the restore, which reads them again.
    const files = checkFiles(options.path, manifest, Math.max(2, jobs));
    const pgRestore = await findTool('pg_restore', { pgBin: options.pgBin, env: options.env }, { major: manifest.tool.major, why: `the archive (written by pg_dump ${manifest.tool.version})` });
    const psql = await findTool('psql', { pgBin: options.pgBin, env: options.env }, { major: 10, why: 'psql 10 (\\if, \\gexec)' });

    const listFaults: Fault[] = [];
    for (const chunk of manifest.chunks) {
      signal?.throwIfAborted();
      try {
        const { stdout } = await runTool(pgRestore, ['--list', `${options.path}/${chunk.path}`], { env: options.env, signal, what: `pg_restore --list of ${chunk.name}` });
        const tables = manifest.tables.filter((t) => t.chunk === chunk.name);
        listFaults.push(...compareArchiveList(chunk.name, tables, tableDataEntries(stdout, tables)));
      } catch (error) {
        if (isAbort(error)) throw error;
        listFaults.push({ check: 'archive', object: chunk.name, message: `${chunk.name} cannot be read by pg_restore --list: ${(error as Error).message}` });
      }
    }
    timings.listMs = performance.now() - t0;
    findings.add('archive', listFaults, `${manifest.chunks.length} archive(s) readable, ${manifest.tables.length} tables listed`);

    let scratch: ScratchDatabase | undefined;
    if (!options.target) {
      staleScratchDropped = await dropStaleScratch(sql);
      scratch = await createScratch(sql, live, { purpose: 'the check', instead: 'restore into an empty database of your own with --target-url postgresql://…/empty_db' });
      target = `scratch database ${scratch.name} (dropped afterwards)`;
    }
    const targetConnection = options.target ?? scratch!.connection;
    const copy = connect(targetConnection, { max: 2, settings: BACKUP_SESSION_SETTINGS });
    try {
      if (options.target) {
        // Checked before anything is restored: a restore into a database that holds objects of
        // its own would fail on them, leave the backup's schemas beside them, and log a good backup as failed.
        // The target's first statement: a failure to connect names the target, not the live database.
        const [held] = await query<{ total: number; first: string[] }>(copy, 'backup/target-objects').catch((error: unknown) => {
          throw explainConnectError(error, options.target!);
        });
        if (held!.total > 0) {
          throw new TenantctlError('BACKUP_TARGET_NOT_EMPTY', `--target-url ${options.target.display} is not empty: it holds ${held!.total} object(s), ${held!.first.join(', ')}${held!.total > held!.first.length ? ', …' : ''}.`, {
            hint: 'Point --target-url at an empty database (createdb verify_target), or leave it out to use a scratch database. Nothing was restored.',
            details: { objects: held!.total, first: held!.first },
            exitCode: 2,
          });
        }
      }
      const settings = scratch ? await citusScratchSettings(sql, copy, new Set(manifest.tenants.map((t) => t.schema))) : undefined;
      if (settings) target = `scratch database ${scratch!.name}, a single-node Citus copy with schema-based sharding (dropped afterwards)`;
      const restored = await restoreAndCheck(manifest, { pgRestore, psql, path: options.path, target: targetConnection, copy, jobs, env: options.env, signal, settings, onProgress: (progress) => options.onProgress?.('restore', progress) });
      timings.restoreMs = restored.restoreMs;
      timings.checkMs = restored.checkMs;
      const { restoreFaults, tableFaults, indexFaults, indexesChecked, amcheckSkipped } = restored;
      findings.add('restore', restoreFaults, `${manifest.chunks.length} archive(s) restored into ${scratch ? 'a scratch database' : options.target!.display}`);
      const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
      findings.add('tables', tableFaults, `${manifest.tables.length} tables, ${rows} rows: counts and checksums match`);
      findings.add('amcheck', indexFaults, `${indexesChecked} B-tree indexes pass bt_index_check`, indexFaults.length ? undefined : amcheckSkipped);
      // The backup's own registry: a commerce backup verified while connected to a pooled database reads its tenants as it recorded them.
      const backupRegistry = manifest.registry ?? options.registry;
      const tenants = await tenantsWithVersions(copy, backupRegistry);
      const registry = `${backupRegistry.schema}.${backupRegistry.table}`;
      const tenantFaults = tenants ? compareTenants(manifest.tenants, tenants, registry) : manifest.tenants.length ? [{ check: 'tenants', message: `the tenant registry ${registry} is missing from the restored copy` }] : [];
      findings.add('tenants', tenantFaults, `${manifest.tenants.length} tenant(s) at their recorded versions`);
      if (manifest.pooled) {
        // Pooled: every organization's rows per table, found by the backup's own declarations.
        const pooled = manifest.pooled;
        const faults = await restoredRows(copy, pooled).then((rows) => comparePooledRows(pooled.tenants, rows), (error: Error) => [{ check: 'tenant-rows', message: `counting the organizations' rows in the restored copy failed: ${error.message}` }]);
        findings.add('tenant-rows', faults, `${pooled.tenants.length} organization(s): rows per table match the manifest (${pooled.tables.length} tables, profile ${pooled.profile})`);
      }
      const fileResult = await files;
      timings.filesMs = fileResult.ms;
      findings.add('files', fileResult.faults, fileResult.detail);
    } finally {
      await copy.end({ timeout: 5 });
      const d0 = performance.now();
      await scratch?.drop();
      timings.dropMs = performance.now() - d0;
    }
    if (!otherDatabase) gone = goneTenants(manifest, await liveTenantIds(sql, options.registry));
    leftovers = await restoreLeftovers(sql);
    // The window a concurrent `backup prune` falls into: after the checks, before the outcome.
    await failpoint(options.env.TENANTCTL_FAILPOINT, 'backup-verify:before-record');
    const removed = await removedDuringCheck(options.path, manifest, read.fileSha256);
    if (removed) findings.late('files', removed);
  } catch (error) {
    // Every run that started checking is in the log, one that broke off too (the error itself is
    // still what the caller gets); a refusal of what was asked for (exit 2) checked nothing.
    const interrupted = isAbort(error) || Boolean(signal?.aborted);
    if (!interrupted && error instanceof TenantctlError && error.exitCode === EXIT.usage) throw error;
    if (interrupted) await logInterruption();
    else await recordLog(sql, { action: 'verify', backupId: manifest.id, backupPath: options.path, manifestSha256: read.fileSha256, startedAt: started, durationMs: performance.now() - t0, ok: false, summary: {}, faults: [{ check: 'verify', message: `stopped with an error: ${(error as Error).message}` }] }).catch(() => undefined);
    throw error;
  }
  timings.totalMs = performance.now() - t0;
  const report: VerifyReport = {
    ok: findings.faults.length === 0,
    backup: { path: options.path, id: manifest.id, createdAt: manifest.createdAt, database: manifest.database },
    target,
    staleScratchDropped,
    restoreLeftovers: leftovers,
    checks: [...findings.checks].sort((a, b) => CHECK_ORDER.indexOf(a.check) - CHECK_ORDER.indexOf(b.check)),
    faults: [...findings.faults].sort((a, b) => CHECK_ORDER.indexOf(a.check as CheckResult['check']) - CHECK_ORDER.indexOf(b.check as CheckResult['check'])),
    ...(otherDatabase ? { otherDatabase } : {}),
    goneTenants: gone.map((t) => ({ id: t.id, slug: t.slug, schema: t.schema })),
    timings,
  };
  await recordLog(sql, {
    action: 'verify',
    backupId: manifest.id,
    backupPath: options.path,
    manifestSha256: read.fileSha256,
    startedAt: started,
    durationMs: timings.totalMs,
    ok: report.ok,
    summary: { target, checks: report.checks, goneTenants: report.goneTenants.map((t) => t.slug), ...(otherDatabase ? { otherDatabase } : {}), timings },
    faults: report.faults,
  });
  return report;
}
