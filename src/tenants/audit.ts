import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';

/** Who did something and why, as recorded in public.audit_logs.metadata. */
export interface AuditContext {
  actor: string;
  reason?: string;
  ticket?: string;
}

/** Append one tenant event to public.audit_logs (in the caller's transaction). */
export async function auditTenant(tx: Sql, tenantId: string, action: string, oldValues: object | null, newValues: object | null, context: AuditContext): Promise<void> {
  const metadata = { tool: 'tenantctl', actor: context.actor, reason: context.reason, ticket: context.ticket };
  await query(tx, 'tenants/audit', [tenantId, action, oldValues ? JSON.stringify(oldValues) : null, newValues ? JSON.stringify(newValues) : null, JSON.stringify(metadata)]);
}
