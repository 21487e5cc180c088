import type { Sql } from '../db/connect.js';
import { query, registryQuery } from '../db/queries.js';
import type { SchemaPlan } from './plan.js';

/**
 * The tenant schema being migrated, or its registry row, went while the migration waited for
 * the schema's lock (an erasure holds it until it commits): the schema is skipped, as one
 * already gone when the run was planned is, and nothing is recorded for it (the erasure removed
 * its bookkeeping; a row naming it would outlive it).
 */
export class TargetGone extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Once the schema's lock is held (the caller sends this right after lock-and-check, in the same
 * transaction, without waiting): why a tenant schema is to be skipped because it, or its row (the
 * registry's, or the pool's for a spare), is gone; undefined when both are there.
 */
export async function targetGone(sql: Sql, plan: SchemaPlan): Promise<string | undefined> {
  const [row] = plan.registry && !plan.spare
    ? await registryQuery<{ schema: boolean; registered: boolean }>(sql, 'migrate/target-present', plan.registry, [plan.schema])
    : await query<{ schema: boolean; registered: boolean }>(sql, 'pool/target-present', [plan.schema]);
  if (!row!.schema) return 'schema does not exist (it was dropped while the run waited for its lock: the tenant was erased?)';
  if (!row!.registered) return `no longer registered (its row went while the run waited for the schema's lock: the tenant was erased?)`;
  return undefined;
}
