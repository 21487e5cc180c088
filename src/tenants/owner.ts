import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';

/**
 * Insert the owner user of a new tenant and grant it the system owner role, inside the
 * caller's tenant-scoped transaction. Plain INSERT … VALUES only: on a Citus coordinator an
 * INSERT … SELECT into a distributed schema is sent to the worker with a broken filter.
 * @returns the user id and how many owner roles were granted (0 when the migrations seeded none)
 */
export async function createOwner(tx: Sql, email: string, name: string): Promise<{ id: string; roles: number }> {
  // Sent together: the role lookup has no parameters, so postgres.js pipelines it ahead of the
  // insert instead of waiting a round trip for it (each one counts in a CLI create).
  const [[role], [user]] = await Promise.all([query<{ id: string }>(tx, 'tenants/owner-role-id'), query<{ id: string }>(tx, 'tenants/insert-owner-user', [email, name])]);
  if (role) await query(tx, 'tenants/grant-owner-role', [user!.id, role.id]);
  return { id: user!.id, roles: role ? 1 : 0 };
}
