/**
 * Every advisory lock tenantctl takes, by name, in one place. Names are hashed with
 * hashtextextended(name, 0), so they only need to be unique strings.
 *
 * - fleet: one `migrate` run at a time (session-level, spans the run);
 * - target: one migration target (a tenant schema, or the one pooled schema): every
 *   migration of it and anything that must not interleave with one (tenant create,
 *   erase, fixture loads);
 * - tenant: one tenant's rows, keyed by its registry id (not a schema: pooled tenants
 *   share one), for erasure and status changes.
 */

import type { Sql } from '../db/connect.js';

/** The lock a `migrate` run holds for its whole duration. */
export const FLEET_LOCK = 'tenantctl.migrate:fleet';

/** The lock that owns one migration target (a schema). */
export const targetLockName = (schema: string): string => `tenantctl.migrate:${schema}`;

/** The lock that owns one tenant's rows, keyed by its registry id. */
export const tenantLockName = (tenantId: string): string => `tenantctl.tenant:${tenantId}`;

/** Take a transaction-level advisory lock (released at commit or rollback). */
export async function lockInTransaction(tx: Sql, name: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`;
}
