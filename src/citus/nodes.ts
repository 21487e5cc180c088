import type { TenantSource } from '../migrate/state.js';
import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { requireCitus } from './detect.js';
import { loadByNode, tenantPlacements, type TenantPlacement } from './placement.js';

/** One worker's share of the tenants. */
export interface NodeReport {
  node: string;
  tenants: number;
  bytes: number;
  /** Share of all tenant bytes on this node, 0..1. */
  share: number;
  /** Client connections on the worker right now; null when the worker did not answer. */
  connections: number | null;
  /** The biggest tenants on the node, largest first. */
  largest: { slug: string; bytes: number }[];
}

/** Per worker: tenants, bytes, share, connections and the largest tenants. */
export async function nodeReports(sql: Sql, targets: TenantSource, top = 3): Promise<NodeReport[]> {
  const info = await requireCitus(sql, 'monitor nodes');
  const placements = await tenantPlacements(sql, targets);
  const load = loadByNode(info, placements);
  const total = [...load.values()].reduce((a, b) => a + b.bytes, 0);
  const connections = await query<{ host: string; port: number; success: boolean; result: string }>(sql, 'citus/worker-connections');
  return info.workers.map((w) => {
    const l = load.get(w.address)!;
    const c = connections.find((r) => r.host === w.host && r.port === w.port);
    return {
      node: w.address,
      tenants: l.tenants,
      bytes: l.bytes,
      share: total ? l.bytes / total : 0,
      connections: c?.success ? Number(c.result) : null,
      largest: largestOn(placements, w.address, top),
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
