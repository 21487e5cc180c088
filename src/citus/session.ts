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

/**
 * True inside a provisioning transaction whose new schema becomes a distributed schema. Citus
 * then refuses a migration file sent as one multi-statement text (it forwards CREATE INDEX on
 * a distributed table to the worker as the original query string), so the caller sends the
 * statements one by one instead of trying the whole text first. False on plain PostgreSQL.
 */
export async function newSchemasAreDistributed(tx: Sql): Promise<boolean> {
  const [row] = await query<{ distributed: boolean }>(tx, 'citus/schema-sharding-on');
  return row?.distributed ?? false;
}
