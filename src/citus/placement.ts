import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';
import { failpoint } from '../tenants/failpoint.js';
import type { TenantSource } from '../migrate/state.js';
import { detectCitus, workerAt, type CitusInfo, type CitusNode } from './detect.js';

/** Where one tenant lives on the cluster. */
export interface TenantPlacement {
  /** The registry id: it keys the tenant's lock. */
  id: string;
  slug: string;
  schema: string;
  /** `host:port` of the node holding every table of the tenant; null when its schema is not distributed. */
  node: string | null;
  bytes: number;
  tables: number;
}

/** Every registered tenant (of the profile's `targets`) with its node and size (sum of its shards, measured on the workers). */
export async function tenantPlacements(sql: Sql, targets: TenantSource): Promise<TenantPlacement[]> {
  const tenants = await targets.listTenants(sql);
  const rows = await query<{ schema_name: string; host: string | null; port: number | null; bytes: string; tables: number }>(sql, 'citus/schema-placements');
  const bySchema = new Map(rows.map((r) => [r.schema_name, r]));
  return tenants
    .filter((t) => t.schemaExists)
    .map((t) => {
      const row = bySchema.get(t.schema);
      return { id: t.id, slug: t.slug, schema: t.schema, node: row?.host ? `${row.host}:${row.port}` : null, bytes: Number(row?.bytes ?? 0), tables: row?.tables ?? 0 };
    });
}

/** Bytes and tenants per worker, every worker listed (an empty one with zeros). */
export function loadByNode(info: CitusInfo, placements: readonly TenantPlacement[]): Map<string, { bytes: number; tenants: number }> {
  const load = new Map(info.workers.map((w) => [w.address, { bytes: 0, tenants: 0 }]));
  for (const p of placements) {
    const entry = p.node ? load.get(p.node) : undefined;
    if (entry) {
      entry.bytes += p.bytes;
      entry.tenants += 1;
    }
  }
  return load;
}

/** The worker with the fewest bytes (ties: fewest tenants, then address order). */
export function leastLoaded(info: CitusInfo, placements: readonly TenantPlacement[]): CitusNode {
  const load = loadByNode(info, placements);
  const ranked = [...info.workers].sort((a, b) => {
    const la = load.get(a.address)!;
    const lb = load.get(b.address)!;
    return la.bytes - lb.bytes || la.tenants - lb.tenants || a.address.localeCompare(b.address);
  });
  return ranked[0]!;
}

/** How `citus_schema_move` moves data: `auto` = online (logical replication) when every table allows it. */
export type MoveMode = 'auto' | 'block-writes';

/** Run the move of one schema; `block-writes` pauses writes to the tenant for the copy. */
export async function moveSchema(sql: Sql, schema: string, to: CitusNode, mode: MoveMode): Promise<void> {
  await query(sql, 'citus/schema-move', [schema, to.host, to.port, mode === 'block-writes' ? 'block_writes' : 'auto']);
  await query(sql, 'citus/cleanup-orphans');
}

/** Where a newly created tenant ended up on the cluster. */
export interface NewTenantPlacement {
  node: string;
  /** Why this node: the one asked for, or the least loaded by bytes. */
  reason: 'requested' | 'least-loaded';
  moved: boolean;
}

/**
 * After `tenant create` on a coordinator: put the new tenant on the requested worker, or
 * on the least loaded one by bytes (Citus itself places new schemas round-robin). Returns
 * null on plain PostgreSQL, where `--node` is a usage error.
 */
export async function placeNewTenant(sql: Sql, targets: TenantSource, slug: string, requested?: string, failpoints?: string): Promise<NewTenantPlacement | null> {
  const info = await detectCitus(sql);
  if (!info || info.workers.length === 0) {
    if (requested) throw new TenantctlError('NOT_CITUS', `--node ${requested} was given, but this database is not a Citus coordinator with workers.`, { hint: 'Leave out --node on a single-node database.', exitCode: 2 });
    return null;
  }
  const placements = await tenantPlacements(sql, targets);
  const mine = placements.find((p) => p.slug === slug);
  if (!mine?.node) return null;
  const others = placements.filter((p) => p.slug !== slug);
  const target = requested ? workerAt(info, requested, '--node') : leastLoaded(info, others);
  if (target.address === mine.node) return { node: mine.node, reason: requested ? 'requested' : 'least-loaded', moved: false };
  try {
    await failpoint(failpoints, 'tenant-create:place');
    // A brand-new tenant has next to no data and no users yet: blocking writes for the copy costs nothing.
    await moveSchema(sql, mine.schema, target, 'block-writes');
  } catch (error) {
    // The create (or restore) has committed: the tenant exists where Citus put it, and the message must say so.
    throw new TenantctlError('TENANT_NOT_PLACED', `Tenant ${slug} exists on ${mine.node}, but moving its schema ${mine.schema} to ${target.address} failed: ${error instanceof Error ? error.message : String(error)}.`, {
      hint: `Nothing is lost: the tenant works where Citus put it. Move it with \`tenantctl tenant move ${slug} --to ${target.address}\`, or let \`tenantctl tenant rebalance\` place it.`,
      details: { slug, schema: mine.schema, node: mine.node, target: target.address },
      cause: error,
    });
  }
  return { node: target.address, reason: requested ? 'requested' : 'least-loaded', moved: true };
}

/** Check `--node` before anything is created, so a typo creates nothing. */
export async function validatePlacementNode(sql: Sql, requested: string | undefined): Promise<void> {
  if (requested === undefined) return;
  const info = await detectCitus(sql);
  if (!info || info.workers.length === 0) throw new TenantctlError('NOT_CITUS', `--node ${requested} was given, but this database is not a Citus coordinator with workers.`, { hint: 'Leave out --node on a single-node database.', exitCode: 2 });
  workerAt(info, requested, '--node');
}

/** The node of each tenant by slug, for `tenant list`/`show`; empty on plain PostgreSQL. */
export async function nodesOfTenants(sql: Sql, targets: TenantSource): Promise<Map<string, string | null>> {
  if (!(await detectCitus(sql))) return new Map();
  return new Map((await tenantPlacements(sql, targets)).map((p) => [p.slug, p.node]));
}
