import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';


/**
 * Record an import or export in public.audit_logs (who: metadata.actor, the OS or
 * --actor name; audit_logs.user_id stays empty as the actor is not a platform user).
 */
export async function audit(sql: Sql, entry: { tenantId: string; action: string; entity: string; counts: Record<string, unknown>; metadata: Record<string, unknown> }): Promise<string> {
  const [row] = await query<{ id: string }>(sql as Sql, 'csv/audit', [entry.tenantId, entry.action, entry.entity, JSON.stringify(entry.counts), JSON.stringify(entry.metadata)]);
  return row!.id;
}
