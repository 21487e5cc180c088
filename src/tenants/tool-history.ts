import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';

/**
 * The one list of tenantctl's own history tables that can carry a tenant id (not tenant
 * data: records of what the tool did). An erasure scrubs the id from each in its
 * transaction, so the post-erasure scan finds nothing; a table is skipped where it does not
 * exist yet.
 */
const TOOL_HISTORY = [
  { table: 'tenantctl.backup_log', scrub: 'tenants/scrub-backup-log' },
  // status changes (suspend/resume) with their reasons: deleted, a reason may name people
  { table: 'tenantctl.tenant_events', scrub: 'tenants/scrub-events' },
] as const;

/** Remove a tenant's id from the tool's history tables; returns rows scrubbed per table. */
export async function scrubToolHistory(tx: Sql, tenantId: string): Promise<Record<string, number>> {
  const scrubbed: Record<string, number> = {};
  for (const { table, scrub } of TOOL_HISTORY) {
    const [present] = (await tx`select to_regclass(${table}) is not null as present`) as unknown as [{ present: boolean }];
    if (!present.present) continue;
    const [row] = await query<{ rows: number }>(tx, scrub, [tenantId]);
    scrubbed[table] = row!.rows;
  }
  return scrubbed;
}
