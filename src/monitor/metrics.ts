import type { Metric } from '../output/format.js';
import type { HitRatio } from './cache.js';
import type { CheckReport } from './check.js';
import type { IndexReport } from './indexes.js';
import type { BloatRow } from './bloat.js';
import type { ActivityReport, ConnectionReport } from './sessions.js';
import type { SequenceUsage } from './sequences.js';
import type { SizeReport, TableSize, TenantSize } from './sizes.js';
import type { SlowQuery } from './stat-statements.js';
import type { DatabaseAge, TableVacuum } from './vacuum.js';
import { NAGIOS } from './thresholds.js';

/*
 * Prometheus samples of every monitor report, for the node_exporter textfile collector.
 * Names carry the tenantctl_ prefix and a base unit (bytes, seconds, ratio 0..1).
 */

type Sample = Metric['samples'][number];

function metric(name: string, help: string, samples: Sample[], type: Metric['type'] = 'gauge'): Metric {
  return { name: `tenantctl_${name}`, help, type, samples };
}

const present = <T>(rows: readonly T[], value: (row: T) => number | null, labels: (row: T) => Sample['labels']): Sample[] =>
  rows.flatMap((r) => {
    const v = value(r);
    return v === null ? [] : [{ labels: labels(r), value: v }];
  });

const ratio = (pct: number | null): number | null => (pct === null ? null : pct / 100);
const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);
const epoch = (d: Date | null): number | null => (d ? d.getTime() / 1000 : null);

export function slowQueryMetrics(rows: readonly SlowQuery[]): Metric[] {
  const l = (r: SlowQuery) => ({ queryid: r.queryid ?? '', database: r.database ?? '', role: r.role ?? '' });
  return [
    metric('statement_calls_total', 'Times the statement was executed (pg_stat_statements).', present(rows, (r) => r.calls, l), 'counter'),
    metric('statement_exec_seconds_total', 'Total execution time of the statement.', present(rows, (r) => r.totalMs / 1000, l), 'counter'),
    metric('statement_mean_exec_seconds', 'Mean execution time of the statement.', present(rows, (r) => r.meanMs / 1000, l)),
    metric('statement_rows_total', 'Rows returned or affected by the statement.', present(rows, (r) => r.rows, l), 'counter'),
    metric('statement_cache_hit_ratio', 'Shared buffer hits / (hits + reads) of the statement.', present(rows, (r) => ratio(r.cacheHitPct), l)),
  ];
}

export function tableSizeMetrics(report: SizeReport<TableSize>): Metric[] {
  const rows = report.rows.filter((r) => !r.skipped);
  const l = (r: TableSize) => ({ schema: r.schema, table: r.table, tenant: r.tenant ?? '', source: report.source });
  return [
    metric('table_total_bytes', 'Table with indexes and TOAST, in bytes.', present(rows, (r) => r.totalBytes, l)),
    metric('table_heap_bytes', 'Table heap, in bytes.', present(rows, (r) => r.tableBytes, l)),
    metric('table_index_bytes', 'All indexes of the table, in bytes.', present(rows, (r) => r.indexBytes, l)),
    metric('table_toast_bytes', 'TOAST table and its index, in bytes.', present(rows, (r) => r.toastBytes, l)),
    metric('table_rows_estimate', 'Estimated rows (pg_class.reltuples).', present(rows, (r) => r.rows, l)),
  ];
}

export function tenantSizeMetrics(report: SizeReport<TenantSize>): Metric[] {
  const rows = report.rows.filter((r) => r.schemaExists && !r.schemaMismatch);
  const l = (r: TenantSize) => ({ tenant: r.tenant, schema: r.schema, source: report.source });
  return [
    metric('tenant_size_bytes', "Tenant's tables with indexes and TOAST, in bytes.", present(rows, (r) => r.totalBytes, l)),
    metric('tenant_rows_estimate', "Estimated rows in the tenant's tables.", present(rows, (r) => r.rows, l)),
    metric('tenant_largest_table_bytes', "The tenant's largest table, in bytes.", present(rows, (r) => r.largestBytes, (r) => ({ ...l(r), table: r.largestTable ?? '' }))),
  ];
}

function hitMetric(ratios: readonly HitRatio[]): Metric {
  return metric('cache_hit_ratio', 'Buffer cache hits / (hits + reads) since statistics reset.', present(ratios, (r) => ratio(r.ratioPct), (r) => ({ kind: r.kind })));
}

export function cacheMetrics(ratios: readonly HitRatio[]): Metric[] {
  return [
    hitMetric(ratios),
    metric('cache_blocks_hit_total', 'Blocks found in shared buffers.', ratios.map((r) => ({ labels: { kind: r.kind }, value: r.hits })), 'counter'),
    metric('cache_blocks_read_total', 'Blocks read from disk or the OS cache.', ratios.map((r) => ({ labels: { kind: r.kind }, value: r.reads })), 'counter'),
  ];
}

export function indexMetrics(report: IndexReport): Metric[] {
  return [
    hitMetric([report.hitRate]),
    metric('index_findings', 'Indexes found unused, duplicate (incl. redundant) or invalid.', Object.entries(report.counts).map(([kind, value]) => ({ labels: { kind }, value }))),
    metric('index_finding_bytes', 'Size of each reported index, in bytes.', report.findings.map((f) => ({ labels: { kind: f.kind, schema: f.schema, table: f.table, index: f.index }, value: f.sizeBytes }))),
  ];
}

export function bloatMetrics(rows: readonly BloatRow[]): Metric[] {
  const l = (r: BloatRow) => ({ kind: r.kind, schema: r.schema, table: r.table, index: r.index ?? '' });
  return [
    metric('bloat_bytes', 'Estimated bloat, in bytes.', rows.map((r) => ({ labels: l(r), value: r.bloatBytes }))),
    metric('bloat_ratio', 'Estimated bloat as a share of the relation.', rows.map((r) => ({ labels: l(r), value: r.bloatPct / 100 }))),
  ];
}

export function connectionMetrics(r: ConnectionReport): Metric[] {
  return [
    metric('connections', 'Client connections by database, role, application and state.', r.groups.map((g) => ({ labels: { database: g.database, role: g.role, application: g.application, state: g.state }, value: g.connections }))),
    metric('connections_max', 'max_connections.', [{ value: r.maxConnections }]),
    metric('connections_used_ratio', 'Client connections / the connections ordinary roles may open (max_connections less the reserved slots).', [{ value: r.usedPct / 100 }]),
  ];
}

export function activityMetrics(r: ActivityReport): Metric[] {
  const longest = (inState: (state: string) => boolean): number => Math.max(0, ...r.sessions.filter((s) => inState(s.state)).map((s) => s.durationMs ?? 0)) / 1000;
  return [
    metric('sessions_active', 'Sessions running a query.', [{ value: r.longRunning }]),
    metric('sessions_idle_in_transaction', 'Sessions idle inside an open transaction.', [{ value: r.idleInTransaction }]),
    metric('sessions_blocked', 'Sessions waiting for a lock another session holds.', [{ value: new Set(r.blocking.map((p) => p.blockedPid)).size }]),
    metric('longest_query_seconds', 'Age of the longest-running active query.', [{ value: longest((state) => state === 'active') }]),
    metric('longest_idle_in_transaction_seconds', 'Longest time a session has been idle in transaction.', [{ value: longest((state) => state.startsWith('idle in transaction')) }]),
  ];
}

export function vacuumMetrics(databases: readonly DatabaseAge[], tables: readonly TableVacuum[]): Metric[] {
  const l = (t: TableVacuum) => ({ schema: t.schema, table: t.table });
  return [
    metric('database_xid_age', 'Transaction-id age of the database (age(datfrozenxid)).', databases.map((d) => ({ labels: { database: d.database }, value: d.xidAge }))),
    metric('database_wraparound_ratio', 'xid age / 2^31: writes stop at 1.', databases.map((d) => ({ labels: { database: d.database }, value: d.wraparoundPct / 100 }))),
    metric('table_dead_tuples', 'Dead tuples of the table.', tables.map((t) => ({ labels: l(t), value: t.deadTuples }))),
    metric('table_xid_age', 'Transaction-id age of the table (age(relfrozenxid)).', tables.map((t) => ({ labels: l(t), value: t.xidAge }))),
    metric('table_last_vacuum_timestamp_seconds', 'When the table was last vacuumed (manual or auto), Unix time.', present(tables, (t) => epoch(t.lastVacuum), l)),
    metric('table_last_analyze_timestamp_seconds', 'When the table was last analyzed (manual or auto), Unix time.', present(tables, (t) => epoch(t.lastAnalyze), l)),
  ];
}

export function sequenceMetrics(rows: readonly SequenceUsage[]): Metric[] {
  const l = (s: SequenceUsage) => ({ schema: s.schema, sequence: s.sequence });
  return [
    metric('sequence_used_ratio', 'Share of the sequence range (or its column type) used.', present(rows, (s) => ratio(s.usedPct), l)),
    metric('sequence_calls_left', 'nextval calls left before the limit.', present(rows, (s) => (s.callsLeft === null ? null : Number(s.callsLeft)), l)),
  ];
}

export function checkMetrics(report: CheckReport): Metric[] {
  return [
    metric('check_status', 'Health check state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.', report.checks.map((c) => ({ labels: { check: c.name }, value: NAGIOS[c.status] }))),
    metric('check_value', 'Value the health check measured (in its unit label).', present(report.checks, (c) => (c.unit === 'percent' ? ratio(c.value) : c.unit === 'ms' ? seconds(c.value) : c.value), (c) => ({ check: c.name, unit: { percent: 'ratio', ms: 'seconds', bytes: 'bytes', count: 'count' }[c.unit] }))),
    metric('check_overall_status', 'Worst state of all checks (the exit code of monitor check).', [{ value: report.exitCode }]),
  ];
}
