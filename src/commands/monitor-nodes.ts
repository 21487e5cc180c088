import type { Command } from 'commander';
import type { Io } from '../context.js';
import { emit, writeErr, type OutputOptions } from '../output/emit.js';
import { formatTable } from '../output/format.js';
import { NAGIOS } from '../monitor/thresholds.js';
import { optionsOf, positiveInt, withProfile } from './shared.js';

/**
 * `monitor nodes` (Citus: per-worker load), registered into the monitor group. Its own file,
 * and its core loaded when it runs: registering it from commands/citus.ts made every
 * `monitor` run load the citus and migrate commands.
 */
export function registerMonitorNodes(monitor: Command, io: Io): void {
  monitor
    .command('nodes')
    .description('Citus: per worker, tenants, bytes, share, client connections and the largest tenants')
    .option('--top <n>', 'largest tenants shown per node', positiveInt('--top'), 3)
    .option('--csv', 'print CSV with a header row (raw numbers)')
    .option('--prometheus', 'print Prometheus text exposition format')
    .action(async (_o, command: Command) => {
      const o = optionsOf<OutputOptions & { top: number }>(command);
      const [{ nodeReports }, { nodeColumns, nodeCsvColumns, nodeMetrics }] = await Promise.all([import('../citus/nodes.js'), import('./citus-render.js')]);
      const nodes = await withProfile(io, o, (sql, profile) => nodeReports(sql, profile.lifecycle.targets, o.top));
      emit(io, o, nodes, (rows) => (rows.length ? formatTable(rows, nodeColumns, io.color) : '(no workers)'), { rows: () => ({ rows: nodes, columns: nodeCsvColumns }), metrics: () => nodeMetrics(nodes) });
      // A worker that is down is an alert (Nagios CRITICAL, as `monitor check`'s citus-nodes), not a row of zeros.
      const down = nodes.filter((n) => n.state !== 'up');
      if (down.length) {
        writeErr(io, `CRITICAL: ${down.map((n) => `${n.node} is ${n.state}`).join(', ')}: its size and share are unknown.`);
        process.exitCode = NAGIOS.CRITICAL;
      }
    });
}
