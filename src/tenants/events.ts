import type { Pool, Sql } from '../db/connect.js';
import { ensureTables } from '../db/bootstrap.js';
import { query } from '../db/queries.js';
import type { AuditContext } from './audit.js';

/** One status change of a tenant as `tenant show` lists it: who, when, why. */
export interface TenantEvent {
  action: string;
  from: string | null;
  to: string | null;
  actor: string;
  reason: string | null;
  ticket: string | null;
  at: Date;
}

/** How many status changes `tenant show` lists. */
const SHOWN = 10;

/** Create tenantctl.tenant_events once (tenantctl's own bookkeeping, the same for every profile). */
export async function ensureTenantEvents(sql: Pool): Promise<void> {
  await ensureTables(sql, 'tenantctl.tenant_events', 'tenants/bootstrap-events');
}

/**
 * Record a status change (`tenant.suspended`, `tenant.resumed`) in the caller's transaction,
 * so the change and its record commit together. Call ensureTenantEvents first, outside it.
 */
export async function recordTenantEvent(tx: Sql, tenantId: string, action: string, change: { from: string | null; to: string }, context: AuditContext): Promise<void> {
  await query(tx, 'tenants/event-insert', [tenantId, action, change.from, change.to, context.actor, context.reason ?? null, context.ticket ?? null]);
}

/** The tenant's latest status changes, newest first (none before the first suspend or resume). */
export async function recentTenantEvents(sql: Pool, tenantId: string): Promise<TenantEvent[]> {
  await ensureTenantEvents(sql);
  const rows = await query<{ action: string; from_status: string | null; to_status: string | null; actor: string; reason: string | null; ticket: string | null; at: Date }>(sql, 'tenants/events-recent', [tenantId, SHOWN]);
  return rows.map((r) => ({ action: r.action, from: r.from_status, to: r.to_status, actor: r.actor, reason: r.reason, ticket: r.ticket, at: r.at }));
}
