import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';

/**
 * Hook for provisioning: inside the caller's transaction, on a Citus coordinator, make the
 * schema created next a distributed schema (one colocation group on one worker). Does
 * nothing on plain PostgreSQL, so callers never branch on the kind of database.
 */
export async function distributeSchemasCreatedInThisTransaction(tx: Sql): Promise<void> {
  await query(tx, 'citus/enable-schema-sharding');
}
