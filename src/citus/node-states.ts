import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';
import type { CitusInfo, CitusNode } from './detect.js';

/** How a registered worker is doing, as the coordinator sees it right now. */
export interface NodeState {
  node: CitusNode;
  /** `up`: answered; `unreachable`: active but did not answer; `disabled`: citus_disable_node'd. */
  state: 'up' | 'unreachable' | 'disabled';
  /** Client connections on the worker, when it answered. */
  connections: number | null;
  /** Why it is not up (the coordinator's connection error, or that it is disabled). */
  why: string | null;
}

/**
 * Ask every active worker through the coordinator (run_command_on_workers, one round) and
 * list the disabled ones with them. A worker that did not answer is never read as empty:
 * the bytes Citus reports for its shards are not measured, and a move onto it fails.
 */
export async function nodeStates(sql: Sql, info: CitusInfo): Promise<NodeState[]> {
  const rows = info.workers.length ? await query<{ host: string; port: number; success: boolean; result: string }>(sql, 'citus/worker-connections') : [];
  return [
    ...info.workers.map((node): NodeState => {
      const r = rows.find((row) => row.host === node.host && row.port === node.port);
      return r?.success
        ? { node, state: 'up', connections: Number(r.result), why: null }
        : { node, state: 'unreachable', connections: null, why: r?.result ?? 'no answer' };
    }),
    ...info.disabled.map((node): NodeState => ({ node, state: 'disabled', connections: null, why: 'disabled in pg_dist_node (citus_disable_node)' })),
  ];
}

/** The workers that are not up, said the way the messages below say them. */
export function describeDown(down: readonly NodeState[]): string {
  return down.map((d) => `${d.node.address} (${d.state === 'disabled' ? 'disabled' : `unreachable: ${d.why}`})`).join(', ');
}

/**
 * Refuse a command that needs every worker (an erasure must reach every copy of the
 * reference tables; a rebalance must measure and reach every node) before it does anything.
 * @param nothing what the refusal leaves undone, e.g. "Nothing was erased."
 */
export async function requireEveryWorker(sql: Sql, info: CitusInfo, what: string, nothing: string): Promise<void> {
  const down = (await nodeStates(sql, info)).filter((s) => s.state !== 'up');
  if (!down.length) return;
  const disabled = down.some((d) => d.state === 'disabled');
  throw new TenantctlError('WORKER_UNAVAILABLE', `${what} needs every worker of the cluster, and ${describeDown(down)} ${down.length === 1 ? 'is' : 'are'} not available. ${nothing}`, {
    hint: [
      down.some((d) => d.state === 'unreachable') ? 'Start the unreachable worker (or fix the network to it) and run the command again.' : '',
      disabled ? "A disabled worker still holds its old copy of the reference tables: bring it back with SELECT citus_activate_node('host', port); then SELECT replicate_reference_tables(); on the coordinator, or remove it for good with SELECT citus_remove_node('host', port); and run the command again." : '',
    ].filter(Boolean).join(' '),
    details: { nodes: down.map((d) => ({ node: d.node.address, state: d.state, why: d.why })) },
  });
}
