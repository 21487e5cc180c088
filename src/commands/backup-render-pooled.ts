import type { PooledRestoreResult } from '../backup/pooled/restore.js';
import { formatCount, formatDuration, formatRecord } from '../output/format.js';

/** `backup restore-tenant` on a pooled profile: who came back as whom, and the rows per table. */
export function renderPooledRestore(r: PooledRestoreResult): string {
  const list = (counts: Record<string, number>): string => Object.entries(counts).map(([table, n]) => `${table}: ${formatCount(n)}`).join(', ');
  const kept = list(r.sharedKept);
  const reclaimed = list(r.reclaimed);
  return formatRecord({
    restored: `${r.organization} → ${r.targetHandle} (id ${r.targetId}${r.sameId ? ', same id as in the backup' : ', new id'})`,
    rows: `${formatCount(r.rows)} in ${r.tables.length} table(s): ${r.tables.filter((t) => t.rows > 0).map((t) => `${t.table} ${formatCount(t.rows)}`).join(', ')}`,
    ...(kept ? { 'shared, kept as live': kept } : {}),
    ...(reclaimed ? { 'taken back from the placeholder': reclaimed } : {}),
    backup: `${r.backupPath} (${r.backupId})`,
    took: formatDuration(r.durationMs),
  });
}
