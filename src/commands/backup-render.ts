import type { Io } from '../context.js';
import type { CreateResult } from '../backup/create.js';
import type { LogRow } from '../backup/log.js';
import type { PruneReport } from '../backup/prune.js';
import type { RestoreTenantResult } from '../backup/restore-tenant.js';
import type { VerifyReport } from '../backup/verify.js';
import { formatBytes, formatCount, formatDuration, formatRecord, formatTable } from '../output/format.js';
import { style } from '../output/style.js';

/** `backup create`: where it went and what it holds. */
export function renderCreate(r: CreateResult): string {
  const changes = r.duringRun;
  const during = [
    changes.createdTenants.length ? `created (not in this backup): ${changes.createdTenants.map((t) => t.slug).join(', ')}` : '',
    changes.erasedTenants.length ? `erased: ${changes.erasedTenants.map((t) => t.slug).join(', ')}` : '',
    changes.schemasNotDumped.length ? `schemas dropped before their dump (not in this backup): ${changes.schemasNotDumped.join(', ')}` : '',
  ].filter(Boolean);
  return formatRecord({
    backup: r.path,
    id: r.id,
    chunks: r.chunks,
    tables: formatCount(r.tables),
    rows: formatCount(r.rows),
    ...(r.organizations === undefined ? { tenants: formatCount(r.tenants) } : { organizations: `${formatCount(r.organizations)} (rows per table recorded)` }),
    size: `${formatBytes(r.bytes)} in ${formatCount(r.files)} files`,
    took: formatDuration(r.durationMs),
    ...(during.length ? { 'during the run': during.join('; ') } : {}),
    ...(r.dumpedAlone.length ? { 'lock table': `full beside another pg_dump; dumped again on their own: ${r.dumpedAlone.join(', ')}` } : {}),
  });
}

/** `backup verify`: one line per check, then every fault on a line of its own. */
export function renderVerify(io: Io, r: VerifyReport): string {
  const mark = (status: string): string => (status === 'ok' ? style(io, 'green', 'ok') : status === 'failed' ? style(io, 'red', 'FAILED') : style(io, 'yellow', 'skipped'));
  const lines = [
    `backup ${r.backup.path} (${r.backup.id}, taken ${r.backup.createdAt} from ${r.backup.database})`,
    `restored into ${r.target}`,
    formatTable(r.checks, [
      { key: 'check' },
      { key: 'status', header: 'result', format: (v) => mark(String(v)) },
      { key: 'detail' },
    ], io.color),
  ];
  if (r.staleScratchDropped.length) lines.push(`dropped ${r.staleScratchDropped.length} scratch database(s) left by killed runs: ${r.staleScratchDropped.join(', ')}`);
  if (r.otherDatabase) lines.push(`this is a backup of ${r.otherDatabase}, not of the connected database: the backup itself is checked, but nothing is compared with the connected database (connect to its own database to see which of its tenants are gone)`);
  for (const t of r.goneTenants) lines.push(`tenant ${t.slug} (${t.schema}) is no longer in the live database (erased or deleted since): its data is still inside this backup`);
  if (r.restoreLeftovers.length) lines.push(renderRestoreLeftovers(r.restoreLeftovers).trimStart());
  for (const f of r.faults) lines.push(`${style(io, 'red', 'FAULT')} ${f.check}: ${f.message}`);
  lines.push(r.ok ? `${style(io, 'green', 'OK')}: backup verified in ${formatDuration(r.timings.totalMs)}` : `${style(io, 'red', 'FAILED')}: ${r.faults.length} fault(s); this backup is not proven restorable`);
  return lines.join('\n');
}

/** `backup log`: newest first. */
export function renderLog(io: Io, rows: readonly LogRow[]): string {
  if (!rows.length) return '(no backup has been created or verified from this database yet)';
  return formatTable(
    rows.map((r) => ({
      when: r.startedAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      action: r.action,
      backup: r.backupPath,
      took: formatDuration(r.durationMs),
      outcome: r.ok ? 'ok' : 'FAILED',
      failed: r.faults.length ? `${r.faults[0]!.message}${r.faults.length > 1 ? ` (+${r.faults.length - 1} more)` : ''}` : '',
    })),
    [{ key: 'when' }, { key: 'action' }, { key: 'backup' }, { key: 'took', align: 'right' }, { key: 'outcome' }, { key: 'failed', header: 'what failed' }],
    io.color,
  );
}

/** `backup restore-tenant`: what came back. */
export function renderRestore(r: RestoreTenantResult): string {
  return formatRecord({
    restored: `${r.slug} → ${r.targetSlug} (schema ${r.schema}, tenant id ${r.tenantId}${r.sameId ? ', same id as in the backup' : ', new id'})`,
    tables: `${formatCount(r.tables)} tables, ${formatCount(r.rows)} rows`,
    'shared rows': Object.entries(r.sharedRows).map(([table, n]) => `${table} ${n}`).join(', '),
    version: r.version || 'none',
    ...(r.placement ? { node: `${r.placement.node} (${r.placement.recorded === r.placement.node ? 'the node the backup recorded' : r.placement.recorded ? `least loaded; the backup recorded ${r.placement.recorded}, no longer a worker` : 'least loaded'}), a distributed schema` } : {}),
    from: r.backupPath,
    took: formatDuration(r.durationMs),
    ...(r.leftoversDropped.length ? { 'dropped leftovers': `${r.leftoversDropped.join(', ')} (staging schemas of killed earlier restores)` } : {}),
  });
}

/** The warning for a tenant restored at a newer version than every other tenant (stderr, also under --json). */
export function aheadWarning(r: RestoreTenantResult): string {
  return `warning: ${r.targetSlug} came back at version ${r.version}, newer than every other tenant (at most ${r.aheadOf}): the fleet was migrated down since the backup. See \`tenantctl migrate status\`: \`migrate down --tenant ${r.targetSlug} --to ${r.aheadOf}\` brings it back in line (migrate up and tenant create refuse a database ahead of their migration files).`;
}

/** The warning for a role of the backup that this server lacks (stderr, also under --json). */
export function missingRoleWarning(role: string): string {
  return `warning: role ${role} does not exist on this server: what it owned or was granted in the backup was restored without it (owned by the restoring user). Create the role and grant again if the application needs it.`;
}

/** `backup prune`: what goes and what stays, and why. */
export function renderPrune(io: Io, r: PruneReport): string {
  const rows = r.backups.map((b) => ({ backup: b.path, created: b.createdAt ?? '', verified: b.verified ? 'yes' : '', action: b.action, reason: b.holds && b.action === 'delete' ? `${b.reason}; the ${b.holds.length} backup(s) inside its folder stay` : b.reason }));
  const verb = r.dryRun ? 'would delete' : 'deleted';
  const table = rows.length ? formatTable(rows, [{ key: 'backup' }, { key: 'created' }, { key: 'verified' }, { key: 'action' }, { key: 'reason' }], io.color) : `(no backups under ${r.dir})`;
  return `${table}\n${verb} ${r.deleted.length} backup(s), ${formatBytes(r.freedBytes)}; kept ${r.backups.length - r.deleted.length}${r.dryRun ? ' (dry run: nothing was deleted)' : ''}`;
}

/** Staging schemas of killed restore-tenant runs (for `migrate status` and `backup verify`). */
export function renderRestoreLeftovers(schemas: readonly string[]): string {
  return schemas.map((s) => `\nWARNING: schema ${s} is left over from a killed \`backup restore-tenant\` (tenant data, no tenant): the next restore-tenant drops it, or drop it by hand.`).join('');
}
