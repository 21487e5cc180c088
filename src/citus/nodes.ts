import type { TenantSource } from '../migrate/state.js';
import type { Sql } from '../db/connect.js';
import { requireCitus } from './detect.js';
import { nodeStates, type NodeState } from './node-states.js';
import { loadByNode, tenantPlacements, type TenantPlacement } from './placement.js';

/** One worker's share of the tenants. */
export interface NodeReport {
  node: string;
  /** `up`, or why the numbers below are unknown: `unreachable` (did not answer) or `disabled`. */
  state: NodeState['state'];
  tenants: number;
  /** Bytes of its tenants; null when the worker did not answer (never counted as empty). */
  bytes: number | null;
  /** Share of all tenant bytes on this node, 0..1; null unless every worker answered. */
  share: number | null;
  /** Client connections on the worker right now; null when the worker did not answer. */
  connections: number | null;
  /** The biggest tenants on the node, largest first (none listed when it did not answer). */
  largest: { slug: string; bytes: number }[];
}

/** Per worker (disabled ones too): state, tenants, bytes, share, connections and the largest tenants. */
export async function nodeReports(sql: Sql, targets: TenantSource, top = 3): Promise<NodeReport[]> {
  const info = await requireCitus(sql, 'monitor nodes');
  const placements = await tenantPlacements(sql, targets);
  const load = loadByNode({ ...info, workers: [...info.workers, ...info.disabled] }, placements);
  const states = await nodeStates(sql, info);
  const everyone = states.every((s) => s.state === 'up');
  const total = [...load.values()].reduce((a, b) => a + b.bytes, 0);
  return states.map((s) => {
    const l = load.get(s.node.address)!;
    const up = s.state === 'up';
    return {
      node: s.node.address,
      state: s.state,
      tenants: l.tenants,
      bytes: up ? l.bytes : null,
      share: everyone ? (total ? l.bytes / total : 0) : null,
      connections: s.connections,
          largest: up ? largestOn(placements, s.node.address, top) : [],
    };
  });
}

function largestOn(placements: readonly TenantPlacement[], node: string, top: number): { slug: string; bytes: number }[] {
  return placements
    .filter((p) => p.node === node)
    .sort((a, b) => b.bytes - a.bytes || a.slug.localeCompare(b.slug))
    .slice(0, top)
    .map((p) => ({ slug: p.slug, bytes: p.bytes }));
}
