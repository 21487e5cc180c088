import type { Io } from '../context.js';
import { formatBytes, formatCount, formatDuration, formatRecord, formatTable } from '../output/format.js';
import { style } from '../output/style.js';
import type { PooledCreated } from '../tenants/pooled/create.js';
import type { PooledErasure, PooledErasurePlan } from '../tenants/pooled/erase.js';
import type { PooledDetails } from '../tenants/pooled/read.js';
import { renderStatusHistory } from './tenant-render-events.js';

/** `tenant create` on a pooled profile, for people. */
export function renderPooledCreated(t: PooledCreated & { schemaVersion: string | null; durationMs: number }): string {
  return [
    `created tenant ${t.slug} in ${formatDuration(t.durationMs)}`,
    formatRecord({
      id: t.id,
      name: t.name,
      status: t.status,
      plan: t.plan ?? '',
      roles: t.roles.map((r) => `${r.name} (${r.permissions} permissions)`).join(', '),
      owner: `${t.owner.email} (${t.owner.role} role${t.owner.passwordSet ? '' : '; no password yet: set it through the application'})`,
      schema: `version ${t.schemaVersion ?? 'none'}`,
    }),
  ].join('\n');
}

/** `tenant show` on a pooled profile, for people. */
export function renderPooledDetails(io: Io, t: PooledDetails): string {
  const head = formatRecord({
    name: t.slug,
    id: t.id,
    status: t.status,
    schema: `${t.schema} (pooled) · version ${t.schemaVersions.at(-1) ?? 'none'}${t.migrationState === 'failed' ? ' · last migration FAILED' : ''} · about ${formatBytes(t.sizeBytes)}`,
    created: t.registry.created_at ?? '',
  });
  const tables = formatTable(t.tables, [{ key: 'table' }, { key: 'class' }, { key: 'rows', align: 'right', format: (v) => formatCount(v as number) }, { key: 'foundBy', header: 'found by' }], io.color);
  const history = renderStatusHistory(t.statusHistory);
  return [head, '', 'rows per table:', tables, ...(history ? [history] : [])].join('\n');
}

/** `tenant erase --dry-run` on a pooled profile: what goes, what other tenants' rows it touches and how, what blocks it. */
/** What a personal-data column was found holding: usernames are named as such, not as e-mails. */
const heldThere = (d: PooledErasurePlan['personalData'][number]): string =>
  d.holds !== 'emails' || !d.usernameRows ? d.holds : d.emailRows ? 'emails and usernames' : 'usernames';

export function renderPooledErasurePlan(io: Io, p: PooledErasurePlan): string {
  const touched = p.references.filter((r) => r.rows > 0);
  const lines = [
    `Erasure plan for tenant ${p.tenant.slug} (${p.tenant.id}, status ${p.tenant.status}): ${p.totals.tables} tables, ${formatCount(p.totals.rows)} rows, one transaction.`,
    formatTable(p.tables.filter((t) => t.rows > 0), [{ key: 'table' }, { key: 'class' }, { key: 'rows', align: 'right', format: (v) => formatCount(v as number) }, { key: 'ownerPath', header: 'owner path' }], io.color),
    touched.length ? 'rows of other tenants (or the platform) that reference rows being erased:' : "no row of another tenant references the tenant's rows.",
    ...(touched.length ? [formatTable(touched.map((r) => ({ action: r.action, table: r.table, columns: r.columns.join(', '), rows: r.rows, why: r.why, rowsOf: r.sample.map((x) => `${x.row} of ${x.ownerHandle ?? x.owner ?? 'the platform'}`).join(', ') + (r.rows > r.sample.length ? ', …' : '') })), [{ key: 'action' }, { key: 'table' }, { key: 'columns' }, { key: 'rows', align: 'right' }, { key: 'why' }, { key: 'rowsOf', header: 'rows (of owner)' }], io.color)] : []),
    ...p.personalData.filter((d) => d.rows > 0).map((d) => `personal data: ${d.table}.${d.column} holds the tenant's ${heldThere(d)}${d.of ? ` of ${d.of}` : ''} in ${formatCount(d.rows)} rows: ${d.action}${d.found === 'catalog' ? ' (a JSON or array column, scrubbed without a declaration)' : ''}`),
    ...(p.keptPeople?.rows ? [`kept (another tenant has them too; only this tenant's membership goes): ${p.keptPeople.rows} ${p.keptPeople.table}: ${p.keptPeople.sample.map((k) => `${k.person}${Object.entries(k.values).map(([c, v]) => ` ${c}=${v ?? 'NULL'}`).join('')} (also of ${k.otherTenants.join(', ')})`).join('; ')}${p.keptPeople.rows > p.keptPeople.sample.length ? '; …' : ''}${p.keptPeople.columns.length ? ` — ${p.keptPeople.columns.join(', ')}: one value for every tenant, left as it is; review it` : ''}`] : []),
    ...p.notes.map((n) => `note: ${n}`),
    ...(p.unsearchedIdentifiers.length ? [`not searched in free text: an ordinary word: ${p.unsearchedIdentifiers.join(', ')}`] : []),
    p.blocked
      ? style(io, 'red', `REFUSED: ${p.refusals.reduce((n, r) => n + r.rows, 0)} row(s) of other tenants need these rows (${p.refusals.map((r) => `${r.table}.${r.columns.join('+')}`).join(', ')})${p.problems.length ? `; ${p.problems.join('; ')}` : ''}. Erasing would change nothing.`)
      : 'kept: every other tenant\'s rows (only the references listed above change), the global tables, and a receipt without personal data.',
  ];
  return lines.join('\n');
}

/** `tenant erase` on a pooled profile, for people. */
export function renderPooledErasure(e: PooledErasure, receipt: string): string {
  return [`erased. The post-scan found no trace of the tenant in ${e.scan.searched.tables} tables (${e.scan.searched.columns} columns).${e.scan.reported.length ? ` Reported (free text kept): ${e.scan.reported.map((r) => `${r.table}.${r.column}`).join(', ')}.` : ''}${e.scan.notSearched.length ? ` Not searched (free text): ${e.scan.notSearched.length} columns.` : ''}`, receipt].join('\n');
}
