import type { CitusCheckReport } from '../citus/check.js';
import type { DistributeReport } from '../citus/distribute.js';
import type { MoveReport } from '../citus/move.js';
import type { NodeReport } from '../citus/nodes.js';
import type { RebalanceReport } from '../citus/rebalance.js';
import type { RebalancePlan } from '../citus/rebalance-plan.js';
import type { SharedTableOutcome } from '../citus/reference.js';
import { formatBytes, formatDuration, formatTable, type Column, type Metric } from '../output/format.js';

/** `citus check`, for people. */
export function renderCheck(r: CitusCheckReport): string {
  const head = r.citus ? `Citus ${r.citus.version}, workers: ${r.citus.workers.join(', ') || '(none)'}` : 'Plain PostgreSQL (no citus extension): what converting it would meet';
  const lines = [head, ''];
  if (r.mode === 'pooled' && r.pooled) {
    lines.push(`Pooled schema ${r.pooled.schema}, tenant table ${r.pooled.registry}: distributing by the tenant column would need`);
    for (const t of r.pooled.tables) {
      lines.push(`  ${t.table} (${t.role}${t.tenantColumn ? `, by ${t.tenantColumn}` : ''})${t.needs.length ? '' : ': ready'}`);
      for (const n of t.needs) lines.push(`    - ${n}`);
    }
  } else {
    for (const s of r.schemas) {
      const state = s.distributed ? 'distributed' : s.blockers.length ? `BLOCKED (${s.blockers.length})` : 'ready';
      lines.push(`${s.schema} (${s.slug}): ${state}`);
      for (const f of [...s.blockers, ...s.caveats]) lines.push(`    ${f.blocks ? '✗' : '·'} ${f.why}`);
    }
    const local = r.sharedTables.filter((t) => !t.reference).map((t) => t.table);
    if (local.length) lines.push('', `Shared tables that citus distribute makes reference tables: ${local.join(', ')}`);
    for (const m of r.migrations) lines.push(`migration ${m.file}: ${m.why}`);
  }
  lines.push('', r.problems ? `${r.problems} ${r.mode === 'pooled' ? 'table(s) need changes' : 'schema(s) blocked'}` : 'nothing blocks');
  return lines.join('\n');
}

/** `citus distribute`, for people. */
export function renderDistribute(r: DistributeReport): string {
  const lines = r.dryRun ? ['(dry run: nothing changed)'] : [];
  for (const t of r.sharedTables) lines.push(`${t.table}: ${t.outcome}${t.why ? ` (${t.why})` : ''}`);
  for (const s of r.schemas) {
    lines.push(`${s.schema}: ${s.outcome}${s.error ? `: ${s.error}` : ''}`);
    if (s.outcome === 'blocked') for (const b of s.blockers) lines.push(`    ✗ ${b.why}`);
  }
  const count = (o: string) => r.schemas.filter((s) => s.outcome === o).length;
  lines.push(`${count('distributed')} distributed, ${count('already-distributed')} already, ${count('blocked')} blocked, ${count('failed')} failed`);
  return lines.join('\n');
}

/** `tenant move`, for people. */
export function renderMove(r: MoveReport): string {
  if (r.mode === 'none') return `${r.slug} is already on ${r.to}: nothing moved`;
  const how = r.mode === 'online' ? 'online (writes continued)' : `blocking writes (${r.reason})`;
  return `${r.slug} moved ${r.from} → ${r.to}, ${formatBytes(r.bytes)}, ${how}, in ${formatDuration(r.durationMs)}`;
}

/** A rebalance plan: bytes per node before and after, and the moves. */
export function renderPlan(plan: RebalancePlan): string {
  const nodes = Object.keys(plan.before).map((node) => ({ node, before: plan.before[node]!, after: plan.after[node]! }));
  const table = formatTable(nodes, [
    { key: 'node' },
    { key: 'before', align: 'right', format: (v) => formatBytes(v as number) },
    { key: 'after', align: 'right', format: (v) => formatBytes(v as number) },
  ]);
  const moves = plan.moves.map((m) => `  ${m.slug}: ${m.from} → ${m.to} (${formatBytes(m.bytes)})`);
  const verdict = plan.balanced ? `every node within ${plan.tolerance * 100}% of ${formatBytes(plan.evenBytes)}` : `cannot get within ${plan.tolerance * 100}% of even (a tenant is bigger than the gap it would close)`;
  return [table, moves.length ? `${moves.length} move(s):\n${moves.join('\n')}` : 'no moves needed', verdict].join('\n');
}

/** `tenant rebalance` after the moves. */
export function renderRebalance(r: RebalanceReport): string {
  const done = r.done.map((m) => `  ${m.slug}: ${m.from} → ${m.to} ${m.mode}${m.reason ? ` (${m.reason})` : ''} in ${formatDuration(m.durationMs)}`);
  return [renderPlan(r.plan), done.length ? `done:\n${done.join('\n')}` : ''].filter(Boolean).join('\n');
}

/** Columns of `monitor nodes` (table and CSV). */
export const nodeColumns: readonly Column<NodeReport>[] = [
  { key: 'node' },
  { key: 'state' },
  { key: 'tenants', align: 'right' },
  // Unknown is '?', never 0: a worker that did not answer was not measured.
  { key: 'bytes', header: 'size', align: 'right', format: (v) => (v === null ? '?' : formatBytes(v as number)) },
  { key: 'share', align: 'right', format: (v) => (v === null ? '?' : `${Math.round((v as number) * 1000) / 10}%`) },
  { key: 'connections', align: 'right', format: (v) => (v === null ? '?' : String(v)) },
  { key: 'largest', header: 'largest tenants', format: (v) => (v as NodeReport['largest']).map((t) => `${t.slug} ${formatBytes(t.bytes)}`).join(', ') },
];

/** Raw CSV columns: numbers as numbers, tenants as slug=bytes. */
export const nodeCsvColumns: readonly Column<NodeReport>[] = nodeColumns.map((c) =>
  c.key === 'largest' ? { key: 'largest', header: 'largest', format: (v) => (v as NodeReport['largest']).map((t) => `${t.slug}=${t.bytes}`).join(' ') } : { key: c.key, header: c.key === 'bytes' ? 'bytes' : c.header });

/** `monitor nodes --prometheus`. */
export function nodeMetrics(nodes: readonly NodeReport[]): Metric[] {
  const gauge = (name: string, help: string, value: (n: NodeReport) => number | null): Metric => ({
    name, help, type: 'gauge', samples: nodes.filter((n) => value(n) !== null).map((n) => ({ labels: { node: n.node }, value: value(n)! })),
  });
  return [
    gauge('tenantctl_citus_node_up', 'Whether the worker answered (0: unreachable or disabled)', (n) => (n.state === 'up' ? 1 : 0)),
    gauge('tenantctl_citus_node_tenants', 'Tenants (distributed schemas) on the worker', (n) => n.tenants),
    gauge('tenantctl_citus_node_bytes', 'Bytes of tenant data on the worker', (n) => n.bytes),
    gauge('tenantctl_citus_node_share', 'Share of all tenant bytes on the worker (0..1)', (n) => n.share),
    gauge('tenantctl_citus_node_connections', 'Client connections on the worker', (n) => n.connections),
  ];
}

/** The reference-table lines `migrate up` adds on a Citus coordinator ('' when none). */
export function renderReferenceTables(tables: readonly SharedTableOutcome[] | null): string {
  if (!tables?.length) return '';
  // Tables kept local for one reason (a pooled profile's: all of them) share one line.
  const local = new Map<string, string[]>();
  for (const t of tables) if (t.outcome !== 'reference') local.set(t.why ?? '', [...(local.get(t.why ?? '') ?? []), t.table]);
  const lines = tables.filter((t) => t.outcome === 'reference').map((t) => `citus: ${t.table} is now a reference table`);
  for (const [why, names] of local) lines.push(`citus: ${names.join(', ')} ${names.length > 1 ? 'stay' : 'stays'} local on the coordinator${why ? `: ${why}` : ''}`);
  return '\n' + lines.join('\n');
}
