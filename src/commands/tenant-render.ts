import type { Io } from '../context.js';
import { formatBytes, formatCount, formatDuration, formatRecord, formatTable, HUMAN_WIDTH, wrapText } from '../output/format.js';
import { style } from '../output/style.js';
import type { CreatedView, DetailsView, ErasePlanView, ErasureView } from '../tenancy/lifecycle.js';
import type { PooledErasure, PooledErasurePlan } from '../tenants/pooled/erase.js';
import type { PooledDetails } from '../tenants/pooled/read.js';
import { renderPooledCreated, renderPooledDetails, renderPooledErasure, renderPooledErasurePlan } from './tenant-render-pooled.js';
import type { CreatedTenant } from '../tenants/create.js';
import type { ErasurePlan } from '../tenants/erase-plan.js';
import type { Erasure } from '../tenants/erase.js';
import type { ExportManifest } from '../tenants/export.js';
import type { EffectiveFeature } from '../tenants/features.js';
import type { TenantDetails } from '../tenants/read.js';
import type { Receipt, ReceiptProblem } from '../tenants/receipts.js';
import { printablePath } from '../files/private.js';
import { renderStatusHistory } from './tenant-render-events.js';

/** `tenant create` for people. */
export function renderCreated(t: CreatedTenant): string {
  return [
    `created tenant ${t.slug} in ${formatDuration(t.durationMs)}`,
    formatRecord({ id: t.id, name: t.name, schema: `${t.schema} (version ${t.schemaVersion ?? 'none'})`, plan: `${t.plan} (${t.subscription.status}${t.subscription.trialEndsAt ? ` until ${t.subscription.trialEndsAt.toISOString().slice(0, 10)}` : ''})`, owner: `${t.owner.email} (owner role)`, timezone: t.settings.timezone, currency: t.settings.currency }),
  ].join('\n');
}

/** `tenant show` for people. */
export function renderDetails(io: Io, t: TenantDetails): string {
  const sub = t.subscription;
  const head = formatRecord({
    slug: t.slug,
    id: t.id,
    name: t.name,
    status: t.status,
    plan: sub ? `${sub.plan} (${sub.status}, period to ${sub.currentPeriodEnd.toISOString().slice(0, 10)})` : '(no subscription)',
    schema: `${t.schema}${t.schemaExists ? '' : ' (MISSING)'} · version ${t.schemaVersions.at(-1) ?? 'none'}${t.migrationState === 'failed' ? ' · last migration FAILED' : ''} · ${formatBytes(t.sizeBytes)}${t.locked.some((l) => l.startsWith(`${t.schema}.`)) ? ' (without locked tables)' : ''}`,
    settings: t.settings,
    users: t.users === null ? 'LOCKED (not read)' : `${t.users} · owner ${t.owners.map((o) => o.email).join(', ') || '(none)'}`,
    created: t.createdAt,
  });
  const tables = formatTable(t.tables, [{ key: 'table' }, { key: 'scope' }, { key: 'rows', align: 'right', format: (v) => (v === null ? 'LOCKED' : formatCount(v as number)) }], io.color, HUMAN_WIDTH);
  const audit = t.recentAudit.length
    ? `recent audit entries:\n${t.recentAudit.map((a) => wrapText(`  ${a.createdAt.toISOString()}  ${a.action}${(a.metadata as { reason?: string })?.reason ? `  (${(a.metadata as { reason: string }).reason})` : ''}`, HUMAN_WIDTH, '      ')).join('\n')}`
    : '';
  const history = renderStatusHistory(t.statusHistory);
  // Like monitor's skipped tables: what could be read is shown, and what was not is named.
  const locked = t.locked.length
    ? style(io, 'dim', wrapText(`note: not read, someone holds or awaits an ACCESS EXCLUSIVE lock on ${t.locked.join(', ')} (a migration, or an application's LOCK TABLE); see \`tenantctl monitor activity\`, and run again once it is released`, HUMAN_WIDTH, '      '))
    : '';
  return [wrapRecord(head), '', 'rows per table:', tables, ...(locked ? [locked] : []), audit, ...(history ? [history] : [])].join('\n');
}

/** A `key: value` record whose long values (settings JSON) wrap under their value column. */
function wrapRecord(record: string): string {
  return record
    .split('\n')
    .map((line) => {
      const valueAt = line.indexOf(': ') + 2;
      return line.length <= HUMAN_WIDTH || valueAt < 2 ? line : wrapText(line, HUMAN_WIDTH, ' '.repeat(valueAt));
    })
    .join('\n');
}

/** `tenant features` for people. */
export function renderFeatures(io: Io, d: { slug: string; plan: string | null; features: EffectiveFeature[] }): string {
  return `${d.slug} on plan ${d.plan ?? '(none)'}\n` + formatTable(d.features, [
    { key: 'code', header: 'feature' },
    { key: 'enabled', format: (v) => (v ? style(io, 'green', 'on') : 'off') },
    { key: 'source' },
    { key: 'planEnabled', header: 'plan', format: (v) => (v === null ? '-' : v ? 'on' : 'off') },
    { key: 'overrideReason', header: 'override reason' },
  ], io.color, HUMAN_WIDTH);
}

/** `tenant erase --dry-run` (and the summary shown before the confirmation). */
export function renderErasurePlan(io: Io, p: ErasurePlan): string {
  const rows = [
    ...p.remove.storage.map((t) => ({ what: 'drop', table: `${p.tenant.schema}.${t.table}`, rows: t.rows, why: t.foundBy })),
    ...p.remove.shared.map((t) => ({ what: 'delete rows', table: t.table, rows: t.rows, why: t.foundBy })),
    ...p.remove.bookkeeping.map((t) => ({ what: 'delete rows', table: t.table, rows: t.rows, why: t.foundBy })),
    { what: 'delete row', table: p.remove.registry.table, rows: p.remove.registry.rows, why: p.remove.registry.foundBy },
  ];
  const lines = [
    wrapText(`Erasure plan for tenant ${p.tenant.slug} (${p.tenant.id}, schema ${p.tenant.schema}, status ${p.tenant.status}): ${p.totals.tables} tables, ${formatCount(p.totals.rows)} rows, one transaction.`, HUMAN_WIDTH),
    formatTable(rows, [{ key: 'what' }, { key: 'table' }, { key: 'rows', align: 'right', format: (v) => formatCount(v as number) }, { key: 'why', header: 'found by' }], io.color, HUMAN_WIDTH),
    'kept:',
    ...p.keep.map((k) => wrapText(`  - ${k}`, HUMAN_WIDTH, '    ')),
    p.locks.ok
      ? `locks: about ${p.locks.needed} needed, the server holds ${p.locks.capacity} (ok)`
      : style(io, 'red', wrapText(`locks: about ${p.locks.needed} needed, the server holds ${p.locks.capacity}: set max_locks_per_transaction = ${p.locks.requiredMaxLocksPerTransaction} and restart before erasing`, HUMAN_WIDTH, '  ')),
  ];
  return lines.join('\n');
}

/** `tenant erase --dry-run` when the erasure would be refused: what, and how to fix it. */
export function renderErasureRefusal(io: Io, slug: string, refusal: { message: string; hint?: string }): string {
  return [`Erasure plan for tenant ${slug}: ${style(io, 'red', 'REFUSED')}`, `  ${refusal.message}`, ...(refusal.hint ? [`  hint: ${refusal.hint}`] : [])].join('\n');
}

/** One receipt, in full. */
export function renderReceipt(r: Receipt): string {
  const c = r.body.counts;
  const sum = (o: Record<string, number>): number => Object.values(o).reduce((n, v) => n + v, 0);
  // Tables that held rows, as the erase plan (--dry-run) counts them; the body lists every table visited.
  const holding = (o: Record<string, number>): number => Object.values(o).filter((n) => n > 0).length;
  return [
    formatRecord({
      receipt: r.sequence,
      tenant_id: r.tenantId,
      slug_sha256: r.slugSha256,
      actor: r.actor,
      reason: r.body.reason,
      ticket: r.ticket ?? '',
      started: r.body.started_at,
      finished: r.body.finished_at,
      removed: `${formatCount(sum(c.tenant_storage))} rows from ${holding(c.tenant_storage)} tenant tables, ${formatCount(sum(c.shared))} rows from ${holding(c.shared)} shared tables`,
      previous: r.previousDigest ?? '(first receipt)',
      digest: r.digest,
    }),
    `verify: sha256 of the canonical body below equals the digest.\n${r.canonical}`,
  ].join('\n');
}

/** `tenant erase` result for people. */
export function renderErasure(e: Erasure): string {
  const where = e.scan.workers ? ` on the coordinator and ${e.scan.workers.length} workers (${e.scan.workers.join(', ')})` : '';
  return [`erased. No trace of the tenant id in ${e.scan.tables} tables${where} (${e.scan.columns} columns scanned in ${formatDuration(e.scan.durationMs)}).`, renderReceipt(e.receipt)].join('\n');
}

/** When a receipt was made, to the minute in UTC: the exact instant is in `--json` and in the receipt body. */
const receiptTime = (at: Date): string => `${at.toISOString().slice(0, 16).replace('T', ' ')}Z`;

/** `tenant receipts` (and `--verify`): long actors and tickets wrap so the table fits 100 columns. */
export function renderReceipts(io: Io, receipts: Receipt[], problems?: ReceiptProblem[]): string {
  const table = receipts.length
    ? formatTable(receipts.map((r) => ({ seq: r.sequence, erased: receiptTime(r.erasedAt), tenant: r.tenantId, slug: r.slugSha256.slice(0, 8) + '…', actor: r.actor, ticket: r.ticket ?? '', digest: r.digest.slice(0, 12) + '…' })), [{ key: 'seq', align: 'right' }, { key: 'erased' }, { key: 'tenant' }, { key: 'slug', header: 'slug sha256' }, { key: 'actor' }, { key: 'ticket' }, { key: 'digest' }], io.color, HUMAN_WIDTH)
    : '(no erasure receipts)';
  if (!problems) return table;
  const verdict = problems.length
    ? style(io, 'red', `FAILED: ${problems.length} problem(s)\n${problems.map((p) => wrapText(`  receipt ${p.sequence}: ${p.problem}`, HUMAN_WIDTH, '    ')).join('\n')}`)
    : [
        `ok: ${receipts.length} receipt(s), every digest recomputed and the chain is unbroken`,
        // The head digest stays whole on a line of its own, to be copied somewhere else.
        ...(receipts.length ? ['head digest (keep a copy elsewhere to detect removal of the newest receipt):', `  ${receipts.at(-1)!.digest}`] : []),
      ].join('\n');
  return `${table}\n${verdict}`;
}

/** `tenant export` for people. */
export function renderExport(m: ExportManifest & { dir: string }): string {
  return `exported ${m.tenant.slug}: ${m.totals.files} files, ${formatCount(m.totals.rows)} rows, ${formatBytes(m.totals.bytes)} to ${printablePath(m.dir)} (manifest.json lists a sha256 per file)`;
}

/** `tenant create` for people, whatever the profile's layout (told apart by the record's shape). */
export function renderCreatedAny(t: CreatedView): string {
  return 'subscription' in t ? renderCreated(t as CreatedTenant) : renderPooledCreated(t as Parameters<typeof renderPooledCreated>[0]);
}

/** `tenant show` for people, whatever the layout. */
export function renderDetailsAny(io: Io, t: DetailsView): string {
  return 'subscription' in t ? renderDetails(io, t as TenantDetails) : renderPooledDetails(io, t as PooledDetails);
}

/** `tenant erase --dry-run` for people, whatever the layout. */
export function renderErasurePlanAny(io: Io, p: ErasePlanView): string {
  return 'locks' in p ? renderErasurePlan(io, p as ErasurePlan) : renderPooledErasurePlan(io, p as PooledErasurePlan);
}

/** `tenant erase` result for people, whatever the layout. */
export function renderErasureAny(e: ErasureView): string {
  return 'durationMs' in e.scan ? renderErasure(e as unknown as Erasure) : renderPooledErasure(e as unknown as PooledErasure, renderReceipt(e.receipt as Receipt));
}

/** A plan as --json prints it: without the classification and declarations it was built from (`profile check` shows those). */
export function printablePlan(plan: ErasePlanView): Record<string, unknown> {
  const { data: _data, classification: _c, declarations: _d, ...printable } = plan as ErasePlanView & { data?: unknown; classification?: unknown; declarations?: unknown };
  return printable;
}
