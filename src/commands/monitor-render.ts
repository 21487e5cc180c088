import type { Io } from '../context.js';
import type { BloatRow } from '../monitor/bloat.js';
import type { HitRatio } from '../monitor/cache.js';
import type { CheckReport, CheckResult } from '../monitor/check.js';
import type { IndexFinding, IndexReport } from '../monitor/indexes.js';
import type { SequenceUsage } from '../monitor/sequences.js';
import { reservesText, type ActivityReport, type BlockingPair, type ConnectionGroup, type ConnectionReport, type SessionActivity } from '../monitor/sessions.js';
import type { SizeReport, TableSize, TenantSize, TenantSizeReport } from '../monitor/sizes.js';
import type { SlowQuery } from '../monitor/stat-statements.js';
import type { DatabaseAge, TableVacuum } from '../monitor/vacuum.js';
import { byUrgency, perfdata } from '../monitor/nagios.js';
import { formatBytes, formatCount, formatDuration, formatTable, type Column } from '../output/format.js';
import { style } from '../output/style.js';

/*
 * How each monitor report reads: the columns (shared by the table and, without their
 * formatting, by --csv, which keeps raw numbers) and the lines around them.
 */

const bytes = (v: unknown): string => (v === null || v === undefined ? '' : formatBytes(v as number));
const count = (v: unknown): string => (v === null || v === undefined ? '' : formatCount(v as number));
const pct = (v: unknown): string => (v === null || v === undefined ? '' : `${v as number}%`);
const ms = (v: unknown): string => (v === null || v === undefined ? '' : formatDuration(v as number));
const when = (v: unknown): string => (v instanceof Date ? v.toISOString().replace(/\.\d+Z$/, 'Z') : '');

/** The same columns without display formatting: --csv carries raw numbers and ISO times. */
export function raw<Row>(columns: readonly Column<Row>[]): Column<Row>[] {
  return columns.map(({ format: _format, ...rest }) => rest);
}

function table<Row>(io: Io, rows: readonly Row[], columns: readonly Column<Row>[], empty: string): string {
  return rows.length ? formatTable(rows, columns, io.color) : empty;
}

export const slowQueryColumns: Column<SlowQuery>[] = [
  { key: 'totalMs', header: 'total', align: 'right', format: ms },
  { key: 'meanMs', header: 'mean', align: 'right', format: ms },
  { key: 'calls', align: 'right', format: count },
  { key: 'rows', align: 'right', format: count },
  { key: 'cacheHitPct', header: 'cache hit', align: 'right', format: pct },
  { key: 'pctOfTotal', header: '% time', align: 'right', format: pct },
  { key: 'database' },
  { key: 'query', format: (v) => String(v).slice(0, 100) },
];

/** A report's note (sessions hidden from this role, say) on a line of its own. */
function noteLine(io: Io, note: string | null): string {
  return note ? `\n${style(io, 'yellow', `note: ${note}`)}` : '';
}

export function renderSlowQueries(io: Io, r: { database: string; allDatabases: boolean; statements: SlowQuery[]; note: string | null }): string {
  const scope = r.allDatabases ? 'all databases' : `database "${r.database}" (--all-databases for every database)`;
  return `${table(io, r.statements, slowQueryColumns, 'no statements recorded yet')}\n${style(io, 'dim', `pg_stat_statements, ${scope}; times since the last reset`)}${noteLine(io, r.note)}`;
}

export const tableSizeColumns: Column<TableSize>[] = [
  { key: 'schema' },
  { key: 'table' },
  { key: 'tenant' },
  { key: 'rows', header: 'rows (est.)', align: 'right', format: count },
  { key: 'tableBytes', header: 'table', align: 'right', format: bytes },
  { key: 'indexBytes', header: 'indexes', align: 'right', format: bytes },
  { key: 'toastBytes', header: 'toast', align: 'right', format: bytes },
  { key: 'totalBytes', header: 'total', align: 'right', format: (v, row) => (row.skipped ? 'skipped (locked)' : bytes(v)) },
];

function sizeFooter(io: Io, r: SizeReport<unknown>, shown: number, what: string): string {
  const lines = [`${shown} of ${r.matched} ${what}`];
  if (r.skipped) lines.push(`${r.skipped} skipped: an ACCESS EXCLUSIVE lock is held or awaited on them`);
  if (r.note) lines.push(`note: ${r.note}`);
  return style(io, 'dim', lines.join('\n'));
}

export function renderTableSizes(io: Io, r: SizeReport<TableSize>): string {
  return `${table(io, r.rows, tableSizeColumns, 'no tables')}\n${sizeFooter(io, r, r.rows.length, 'tables')}`;
}

/** The columns of a tenant-sizes report: rows are labelled estimates unless they were counted. */
export const tenantSizeColumns = (r: Pick<TenantSizeReport, 'rowsExact'>): Column<TenantSize>[] => [
  { key: 'tenant' },
  { key: 'totalBytes', header: 'total', align: 'right', format: (v, row) => (row.schemaMismatch ? 'REFUSED' : row.schemaExists ? bytes(v) : 'no schema') },
  { key: 'rows', header: r.rowsExact ? 'rows' : 'rows (est.)', align: 'right', format: count },
  { key: 'largestTable', header: 'largest table' },
  { key: 'largestBytes', header: 'its size', align: 'right', format: bytes },
  { key: 'tables', align: 'right' },
  { key: 'status' },
];

export function renderTenantSizes(io: Io, r: TenantSizeReport): string {
  const unanalyzed = r.rows.reduce((n, t) => n + t.neverAnalyzed, 0);
  const extra = unanalyzed ? `\n${style(io, 'dim', `${unanalyzed} table(s) never analyzed: their rows count as 0`)}` : '';
  const refused = r.rows.filter((t) => t.schemaMismatch).map((t) => `\nREFUSED ${t.tenant}: ${t.schemaMismatch!.column} says ${JSON.stringify(t.schemaMismatch!.registered)}, expected ${t.schemaMismatch!.expected} (${t.schemaMismatch!.reason}); not sized. Correct the registry row.`);
  return `${table(io, r.rows, tenantSizeColumns(r), 'no tenants')}\n${sizeFooter(io, r, r.rows.length, 'tenants')}${extra}${refused.join('')}`;
}

export const indexColumns: Column<IndexFinding>[] = [
  { key: 'kind' },
  { key: 'schema' },
  { key: 'table' },
  { key: 'index' },
  { key: 'sizeBytes', header: 'size', align: 'right', format: bytes },
  { key: 'detail' },
];

export function renderIndexes(io: Io, r: IndexReport): string {
  const since = r.statsSince ? ` (statistics since ${when(r.statsSince)})` : '';
  const hit = r.hitRate.ratioPct === null ? 'no index reads yet' : `${r.hitRate.ratioPct}% (${formatCount(r.hitRate.hits)} hits, ${formatCount(r.hitRate.reads)} reads)`;
  return [
    table(io, r.findings, indexColumns, 'no unused, duplicate or invalid indexes'),
    `index hit rate: ${hit}`,
    style(io, 'dim', `found: ${r.counts.invalid} invalid, ${r.counts.duplicate} duplicate/redundant, ${r.counts.unused} unused${since}`),
  ].join('\n');
}

export const bloatColumns: Column<BloatRow>[] = [
  { key: 'kind' },
  { key: 'schema' },
  { key: 'table' },
  { key: 'index' },
  { key: 'sizeBytes', header: 'size', align: 'right', format: bytes },
  { key: 'bloatBytes', header: 'bloat (est.)', align: 'right', format: bytes },
  { key: 'bloatPct', header: 'bloat %', align: 'right', format: pct },
  { key: 'statsMissing', header: 'stats', format: (v) => (v ? 'missing: ANALYZE' : 'ok') },
];

export function renderBloat(io: Io, r: { minBytes: number; rows: BloatRow[] }): string {
  return `${table(io, r.rows, bloatColumns, `no tables or b-tree indexes of at least ${formatBytes(r.minBytes)}`)}\n${style(io, 'dim', `estimated from pg_class and pg_stats (ioguix); relations under ${formatBytes(r.minBytes)} left out (--min-size)`)}`;
}

export const connectionColumns: Column<ConnectionGroup>[] = [
  { key: 'state' },
  { key: 'application' },
  { key: 'database' },
  { key: 'role' },
  { key: 'connections', align: 'right' },
  { key: 'waitingOnLock', header: 'waiting on lock', align: 'right' },
  { key: 'longestInStateMs', header: 'longest in state', align: 'right', format: ms },
];

export function renderConnections(io: Io, r: ConnectionReport): string {
  const states = Object.entries(r.byState).map(([s, n]) => `${s} ${n}`).join(', ');
  return `${r.used} of ${r.maxConnections} connections in use (${r.usedPct}% of the ${r.available} ordinary roles may open; ${reservesText(r)})${states ? ` — ${states}` : ''}\n${table(io, r.groups, connectionColumns, 'no client connections')}${noteLine(io, r.note)}`;
}

export const cacheColumns: Column<HitRatio>[] = [
  { key: 'kind' },
  { key: 'ratioPct', header: 'hit ratio', align: 'right', format: (v) => (v === null ? 'no reads yet' : pct(v)) },
  { key: 'hits', align: 'right', format: count },
  { key: 'reads', align: 'right', format: count },
];

export function renderCache(io: Io, r: { ratios: HitRatio[]; statsReset: Date | null }): string {
  return `${table(io, r.ratios, cacheColumns, '')}\n${style(io, 'dim', `since ${r.statsReset ? when(r.statsReset) : 'the server started'}; heap/index/toast are this database's user tables`)}`;
}

export const activityColumns: Column<SessionActivity>[] = [
  { key: 'pid', align: 'right' },
  { key: 'state' },
  { key: 'durationMs', header: 'for', align: 'right', format: ms },
  { key: 'blockedBy', header: 'blocked by', format: (v) => (v as number[]).join(', ') },
  { key: 'waitEvent', header: 'waiting on', format: (v, row) => (v ? `${row.waitEventType}:${String(v)}` : '') },
  { key: 'role' },
  { key: 'database' },
  { key: 'application' },
  { key: 'query', format: (v) => String(v).slice(0, 80) },
];

export const blockingColumns: Column<BlockingPair>[] = [
  { key: 'blockedPid', header: 'blocked pid', align: 'right' },
  { key: 'waitingMs', header: 'waiting', align: 'right', format: ms },
  { key: 'blockedQuery', header: 'blocked query', format: (v) => String(v).slice(0, 60) },
  { key: 'blockingPid', header: 'blocking pid', align: 'right' },
  { key: 'blockingState', header: 'blocker state' },
  { key: 'blockingQuery', header: 'blocker query', format: (v) => String(v).slice(0, 60) },
];

export function renderActivity(io: Io, r: ActivityReport): string {
  const lines = [table(io, r.sessions, activityColumns, 'no sessions doing anything (idle ones are not shown)')];
  if (r.blocking.length) lines.push('', style(io, 'yellow', `blocking: ${r.blocking.length} pair(s)`), formatTable(r.blocking, blockingColumns, io.color));
  lines.push(style(io, 'dim', `${r.longRunning} active, ${r.idleInTransaction} idle in transaction, ${new Set(r.blocking.map((p) => p.blockedPid)).size} blocked`));
  if (r.note) lines.push(style(io, 'yellow', `note: ${r.note}`));
  return lines.join('\n');
}

export const databaseAgeColumns: Column<DatabaseAge>[] = [
  { key: 'database' },
  { key: 'xidAge', header: 'xid age', align: 'right', format: count },
  { key: 'wraparoundPct', header: '% to wraparound', align: 'right', format: pct },
  { key: 'mxidAge', header: 'multixact age', align: 'right', format: count },
];

export const vacuumColumns: Column<TableVacuum>[] = [
  { key: 'schema' },
  { key: 'table' },
  { key: 'deadTuples', header: 'dead', align: 'right', format: count },
  { key: 'deadPct', header: 'dead %', align: 'right', format: pct },
  { key: 'lastAutovacuum', header: 'last autovacuum', format: when },
  { key: 'lastVacuum', header: 'last vacuum', format: when },
  { key: 'lastAutoanalyze', header: 'last autoanalyze', format: when },
  { key: 'xidAge', header: 'xid age', align: 'right', format: count },
  { key: 'autovacuumDue', header: 'autovacuum due', format: (v) => (v ? 'yes' : '') },
];

export function renderVacuum(io: Io, r: { databases: DatabaseAge[]; matched: number; tables: TableVacuum[] }): string {
  return [
    formatTable(r.databases, databaseAgeColumns, io.color),
    table(io, r.tables, vacuumColumns, 'no user tables'),
    style(io, 'dim', `${r.tables.length} of ${r.matched} tables; writes stop when a database reaches 100% (2^31 transactions)`),
  ].join('\n');
}

export const sequenceColumns: Column<SequenceUsage>[] = [
  { key: 'schema' },
  { key: 'sequence' },
  { key: 'usedPct', header: 'used', align: 'right', format: (v, row) => (row.skipped ? 'skipped (locked)' : v === null ? 'unused' : pct(v)) },
  { key: 'lastValue', header: 'last value', align: 'right', format: count },
  { key: 'limit', align: 'right', format: count },
  { key: 'limitFrom', header: 'limited by', format: (v, row) => (v === 'column' ? `column ${row.ownedBy ?? ''}` : row.dataType) },
  { key: 'callsLeft', header: 'calls left', align: 'right', format: count },
];

export function renderSequences(io: Io, r: { total: number; skipped: number; sequences: SequenceUsage[] }): string {
  const skipped = r.skipped ? `; ${r.skipped} skipped (ACCESS EXCLUSIVE lock)` : '';
  return `${table(io, r.sequences, sequenceColumns, 'no sequences')}\n${style(io, 'dim', `${r.sequences.length} of ${r.total} sequences, most used first${skipped}`)}`;
}

export const checkColumns: Column<CheckResult>[] = [
  { key: 'name', header: 'check' },
  { key: 'status' },
  { key: 'value' },
  { key: 'unit' },
  { key: 'warning' },
  { key: 'critical' },
  { key: 'message' },
];

const colourOf = { OK: 'green', WARNING: 'yellow', CRITICAL: 'red', UNKNOWN: 'cyan' } as const;

/** Nagios-style: one line per problem (every check with --verbose), or one OK line. */
export function renderCheck(io: Io, r: CheckReport, verbose: boolean): string {
  const thresholds = (c: CheckResult): string => (c.status === 'OK' || c.status === 'UNKNOWN' ? '' : ` (warning ${c.warning}, critical ${c.critical})`);
  const line = (c: CheckResult): string => `${style(io, colourOf[c.status], c.status)} ${c.name}: ${c.message}${thresholds(c)}`;
  // Nagios shows only the first line: it must carry the worst state, its cause and the perfdata.
  const problems = byUrgency(r.problems);
  const worst = problems[0];
  const summary = worst
    ? `${style(io, colourOf[r.status], r.status)}: ${worst.name}: ${worst.message}${thresholds(worst)}${problems.length > 1 ? `; ${problems.length - 1} more problem(s) below` : ''}`
    : `${style(io, 'green', 'OK')}: ${r.checks.length} check(s) passed`;
  const data = perfdata(r);
  return [data ? `${summary} | ${data}` : summary, ...(verbose ? byUrgency(r.checks) : problems).map(line)].join('\n');
}
