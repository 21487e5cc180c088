import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';

/**
 * The one list of tenantctl's own history tables that can name a tenant (not tenant data:
 * records of what the tool did). An erasure scrubs the tenant from each in its
 * transaction, so the post-erasure scan finds nothing; a table is skipped where it does not
 * exist yet.
 */
const TOOL_HISTORY: readonly { table: string; scrub: string; params: (t: ErasedTenant) => (string | null)[] }[] = [
  { table: 'tenantctl.backup_log', scrub: 'tenants/scrub-backup-log', params: (t) => [t.id] },
  // status changes (suspend/resume) with their reasons: deleted, a reason may name people
  { table: 'tenantctl.tenant_events', scrub: 'tenants/scrub-events', params: (t) => [t.id] },
  // fleet runs: the tenant as named by --tenant, and its schema in what a down run destroyed
  { table: 'tenantctl.migration_runs', scrub: 'tenants/scrub-migration-runs', params: (t) => [t.handle, t.id, t.ownSchema] },
];

/** The tenant an erasure removes, as the history tables may name it. */
export interface ErasedTenant {
  id: string;
  handle: string;
  /** Its own schema; null for a pooled tenant, whose schema is every tenant's. */
  ownSchema: string | null;
}

/** Remove a tenant from the tool's history tables; returns rows scrubbed per table. */
export async function scrubToolHistory(tx: Sql, tenant: ErasedTenant): Promise<Record<string, number>> {
  const scrubbed: Record<string, number> = {};
  for (const { table, scrub, params } of TOOL_HISTORY) {
    const [present] = (await tx`select to_regclass(${table}) is not null as present`) as unknown as [{ present: boolean }];
    if (!present.present) continue;
    const [row] = await query<{ rows: number }>(tx, scrub, params(tenant));
    scrubbed[table] = row!.rows;
  }
  return scrubbed;
}
