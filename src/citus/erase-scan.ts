import type { Pool } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';
import { scanForValue, type ScanHit, type ScanResult } from '../tenants/scan.js';
import { detectCitus, type CitusNode } from './detect.js';
import { connectWorker } from './worker-connect.js';

/** A post-erasure scan, and on a Citus coordinator the workers it also looked at. */
export interface ClusterScanResult extends ScanResult {
  /** `host:port` of each worker scanned (absent on plain PostgreSQL). */
  workers?: string[];
}

/**
 * The post-erasure scan for a tenant: every table of the connected database for its id, and
 * on a Citus coordinator every worker too, over a direct session that sees the shards: the
 * tenant's schema must be gone there (no shard, no shell) and no shard or local table may
 * hold its id (reference-table copies included). Hits on a worker are named `host:port/table`.
 */
export async function scanTenantTraces(sql: Pool, tenant: { id: string; schema: string }): Promise<ClusterScanResult> {
  const started = performance.now();
  const citus = await detectCitus(sql);
  // A coordinator's tables may keep their rows in shards this session does not see: count them all.
  const local = await scanForValue(sql, tenant.id, { skipEmpty: !citus });
  if (!citus) return local;
  // A disabled worker keeps its copy of the reference tables (and maybe the schema): unproven, never "no trace".
  if (citus.disabled.length) {
    const nodes = citus.disabled.map((w) => w.address);
    throw new TenantctlError('ERASURE_SCAN_FAILED', `The tenant was erased, but worker${nodes.length === 1 ? '' : 's'} ${nodes.join(', ')} ${nodes.length === 1 ? 'is' : 'are'} disabled in the cluster: ${nodes.length === 1 ? 'its' : 'their'} copy of the reference tables did not take the erasure's deletes and cannot be scanned.`, {
      hint: `Bring the worker back (SELECT citus_activate_node('host', port);), then run SELECT replicate_reference_tables(); on the coordinator, which replaces its stale copies, and drop schema ${tenant.schema} there if it is still there; then look for the id ${tenant.id} on it. Or remove it for good (SELECT citus_remove_node('host', port);).`,
      details: { nodes, schema: tenant.schema, tenantId: tenant.id },
    });
  }
  const remote = await Promise.all(citus.workers.map((node) => scanWorker(sql, node, tenant)));
  return {
    tables: local.tables + remote.reduce((n, r) => n + r.tables, 0),
    columns: local.columns + remote.reduce((n, r) => n + r.columns, 0),
    found: [...local.found, ...remote.flatMap((r) => r.found)],
    durationMs: Math.round(performance.now() - started),
    workers: citus.workers.map((w) => w.address),
  };
}

async function scanWorker(coordinator: Pool, node: CitusNode, tenant: { id: string; schema: string }): Promise<ScanResult> {
  let worker: Pool | undefined;
  try {
    worker = await connectWorker(coordinator, node);
    const [schema] = await query<{ relations: number }>(worker, 'citus/worker-schema-leftover', [tenant.schema]);
    const scan = await scanForValue(worker, tenant.id, { columnsQuery: 'citus/worker-scan-columns' });
    const leftover: ScanHit[] = schema ? [{ table: `${tenant.schema} (schema, ${schema.relations} relations)`, rows: 0, columns: [] }] : [];
    return { ...scan, found: [...leftover, ...scan.found].map((hit) => ({ ...hit, table: `${node.address}/${hit.table}` })) };
  } catch (error) {
    // The erasure itself has committed by now: say so, and that this node is unproven.
    throw new TenantctlError('ERASURE_SCAN_FAILED', `The tenant was erased, but worker ${node.address} could not be scanned for leftovers: ${error instanceof Error ? error.message : String(error)}.`, {
      hint: `Bring the worker back (or check its connection settings: tenantctl connects with the coordinator's user, password and database), then look for schema ${tenant.schema} and the id ${tenant.id} there.`,
      details: { node: node.address, schema: tenant.schema, tenantId: tenant.id },
      cause: error,
    });
  } finally {
    await worker?.end({ timeout: 5 });
  }
}
