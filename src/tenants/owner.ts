import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';

/** A new tenant's owner user, and the id of its system owner role (none when the migrations seeded none). */
export interface InsertedOwner {
  id: string;
  roleId: string | undefined;
}

/**
 * Insert the owner user of a new tenant and look up its system owner role, inside the caller's
 * tenant-scoped transaction: two statements sent together and nothing sent after them, so the
 * caller can pipeline them with its own (each round trip counts in a CLI create).
 */
export async function insertOwner(tx: Sql, email: string, name: string): Promise<InsertedOwner> {
  const [[role], [user]] = await Promise.all([query<{ id: string }>(tx, 'tenants/owner-role-id'), query<{ id: string }>(tx, 'tenants/insert-owner-user', [email, name])]);
  return { id: user!.id, roleId: role?.id };
}

/**
 * Grant the owner user the owner role. Plain INSERT … VALUES: on a Citus coordinator an
 * INSERT … SELECT into a distributed schema is sent to the worker with a broken filter, so the
 * role's id is read first (insertOwner).
 */
export async function grantOwnerRole(tx: Sql, userId: string, roleId: string): Promise<void> {
  await query(tx, 'tenants/grant-owner-role', [userId, roleId]);
}
