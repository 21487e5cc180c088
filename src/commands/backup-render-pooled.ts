import type { PooledRestoreResult } from '../backup/pooled/restore.js';
import type { CrossOrgRow, CrossOrgTable } from '../backup/pooled/cross-org.js';
import { formatCount, formatDuration, formatRecord } from '../output/format.js';
import { redact } from '../output/redact.js';

/** Rows listed per table on a terminal; `--json` lists every one. */
const SHOWN = 10;

/** `customer_orders 08cc…: oraseas_organization_id = 010e… → organizations of Oraseas EE`. */
function crossLine(table: string, r: CrossOrgRow): string {
  // One column with several values: ids taken out of an array (the owner is the first one's).
  const row = r.columns.length === 1 && r.values.includes(',') ? 'rows' : 'row';
  const target = r.reason === 'left-out-parent'
    ? `${r.parent} ${row} ${r.values}, itself left out`
    : `${r.parent} ${row} ${r.values} of ${r.ownerHandle ?? r.owner ?? 'no organization (a platform row, or gone)'}${r.owner && r.ownerHandle ? ` (${r.owner})` : ''}`;
  return `  ${table} ${r.row}: ${r.columns.join(', ')} → ${target}`;
}

function crossSection(title: string, tables: CrossOrgTable[]): string[] {
  if (!tables.length) return [];
  const total = tables.reduce((n, t) => n + t.rows, 0);
  const lines = [`${title}: ${formatCount(total)} row(s) in ${tables.length} table(s): ${tables.map((t) => `${t.table} ${formatCount(t.rows)}`).join(', ')}`];
  for (const t of tables) {
    lines.push(...t.entries.slice(0, SHOWN).map((r) => crossLine(t.table, r)));
    if (t.rows > SHOWN) lines.push(`  … and ${formatCount(t.rows - SHOWN)} more in ${t.table} (--json lists them)`);
  }
  return lines;
}

/** `backup restore-tenant` on a pooled profile: who came back as whom, the rows per table, and what `--as` left out. */
export function renderPooledRestore(r: PooledRestoreResult): string {
  const list = (counts: Record<string, number>): string => Object.entries(counts).map(([table, n]) => `${table}: ${formatCount(n)}`).join(', ');
  const kept = list(r.sharedKept);
  const reclaimed = list(r.reclaimed);
  const withRows = r.tables.filter((t) => t.rows > 0);
  const record = formatRecord({
    restored: `${r.organization} → ${r.targetHandle} (id ${r.targetId}${r.sameId ? ', same id as in the backup' : ', new id'})`,
    // The tables that got rows: the count and the list say the same (the JSON keeps the empty ones).
    rows: `${formatCount(r.rows)} in ${withRows.length} table(s): ${withRows.map((t) => `${t.table} ${formatCount(t.rows)}`).join(', ')}`,
    ...(kept ? { 'shared, kept as live': kept } : {}),
    ...(reclaimed ? { 'taken back from the placeholder': reclaimed } : {}),
    backup: `${r.backupPath} (${r.backupId})`,
    took: formatDuration(r.durationMs),
  });
  const cross = [
    ...crossSection('NOT copied (they point at another organization\'s rows, or depend on rows not copied)', r.leftOut),
    ...crossSection('copied without their link to another organization (optional link cleared)', r.unlinked),
  ];
  return cross.length ? `${record}\n\n${redact(cross.join('\n'))}` : record;
}
