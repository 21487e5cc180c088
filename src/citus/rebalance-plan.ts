/** A tenant as the rebalance planner sees it: where it is and how big. */
export interface Placed {
  id: string;
  slug: string;
  schema: string;
  node: string;
  bytes: number;
}

/** One planned move. */
export interface PlannedMove {
  /** The tenant's registry id (its lock's key). */
  id: string;
  slug: string;
  schema: string;
  from: string;
  to: string;
  bytes: number;
}

/** A printable rebalance plan: the moves, and the bytes per node before and after. */
export interface RebalancePlan {
  /** Allowed distance of every node from the even share, as a fraction. @default 0.2 */
  tolerance: number;
  evenBytes: number;
  before: Record<string, number>;
  after: Record<string, number>;
  moves: PlannedMove[];
  /** Whether every node ends within the tolerance (false when one tenant alone is too big). */
  balanced: boolean;
}

function withinTolerance(load: Map<string, number>, even: number, tolerance: number): boolean {
  return [...load.values()].every((bytes) => Math.abs(bytes - even) <= even * tolerance);
}

/**
 * Plan moves, by bytes per tenant, until every node is within `tolerance` of an even share.
 * Greedy: repeatedly move, from the most to the least loaded node, the tenant whose size is
 * closest to half their difference (the move that narrows the gap most), and stop when
 * balanced or when no move narrows it. Pure: the plan is printed (`--dry-run`) as is run.
 * @param nodes every worker address, so that an empty worker gets tenants too
 */
export function planRebalance(nodes: readonly string[], tenants: readonly Placed[], tolerance = 0.2): RebalancePlan {
  const load = new Map(nodes.map((n) => [n, 0]));
  const where = new Map<string, Placed>();
  for (const t of tenants) {
    load.set(t.node, (load.get(t.node) ?? 0) + t.bytes);
    where.set(t.slug, { ...t });
  }
  const before = Object.fromEntries(load);
  const even = [...load.values()].reduce((a, b) => a + b, 0) / Math.max(load.size, 1);
  const moves: PlannedMove[] = [];
  // Each move strictly narrows the gap between two nodes; the cap only guards against float ties.
  for (let step = 0; step < tenants.length * nodes.length && !withinTolerance(load, even, tolerance); step += 1) {
    const ranked = [...load.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const [heavy, heavyBytes] = ranked[0]!;
    const [light, lightBytes] = ranked.at(-1)!;
    const gap = heavyBytes - lightBytes;
    const candidates = [...where.values()].filter((t) => t.node === heavy && t.bytes > 0 && t.bytes < gap);
    if (candidates.length === 0) break;
    const best = candidates.reduce((a, b) => (Math.abs(b.bytes - gap / 2) < Math.abs(a.bytes - gap / 2) ? b : a));
    moves.push({ id: best.id, slug: best.slug, schema: best.schema, from: heavy, to: light, bytes: best.bytes });
    load.set(heavy, heavyBytes - best.bytes);
    load.set(light, lightBytes + best.bytes);
    best.node = light;
  }
  return { tolerance, evenBytes: Math.round(even), before, after: Object.fromEntries(load), moves: collapse(moves), balanced: withinTolerance(load, even, tolerance) };
}

/** A tenant moved twice (a → b → c) is moved once (a → c); one moved back is not moved. */
function collapse(moves: readonly PlannedMove[]): PlannedMove[] {
  const bySlug = new Map<string, PlannedMove>();
  for (const m of moves) {
    const first = bySlug.get(m.slug);
    bySlug.set(m.slug, first ? { ...first, to: m.to } : m);
  }
  return [...bySlug.values()].filter((m) => m.from !== m.to);
}
