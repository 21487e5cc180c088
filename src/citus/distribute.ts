import type { TenantSource } from '../migrate/state.js';
import type { Pool } from '../db/connect.js';
import { describeHolder, withSessionLock } from '../db/session-lock.js';
import { isPgError, TenantctlError } from '../errors.js';
import { schemaReadiness, type SchemaReadiness } from './check.js';
import { requireCitus } from './detect.js';
import { referenceSharedTables, type SharedTableOutcome } from './reference.js';
import { distributeSchema } from './schema-distribute.js';
import type { SchemaFinding } from './schema-check.js';

/** One tenant schema's fate. */
export interface SchemaOutcome {
  slug: string;
  schema: string;
  outcome: 'distributed' | 'already-distributed' | 'blocked' | 'failed' | 'would-distribute';
  blockers: SchemaFinding[];
  error: string | null;
}

/** What `citus distribute` did (or, with dryRun, would do). */
export interface DistributeReport {
  dryRun: boolean;
  sharedTables: SharedTableOutcome[];
  schemas: SchemaOutcome[];
}

const LOCK = 'tenantctl:citus:distribute';

/** One schema made a distributed schema (triggers were reported by check), its local copy emptied. */
async function distributeOne(sql: Pool, s: SchemaReadiness): Promise<SchemaOutcome> {
  const base = { slug: s.slug, schema: s.schema, blockers: s.blockers };
  try {
    await distributeSchema(sql, s.schema);
    return { ...base, outcome: 'distributed', error: null };
  } catch (error) {
    if (!isPgError(error)) throw error;
    return { ...base, outcome: 'failed', error: error.message };
  }
}

/**
 * Convert a single-node database that became a Citus coordinator: shared tables to
 * reference tables (so tenant schemas may keep their foreign keys to them), then each
 * tenant schema to a distributed schema. Resumable and idempotent: each schema converts
 * atomically, converted ones are skipped on a rerun, and a blocked schema is reported
 * with its blockers and left as it was.
 * @param onSchema progress callback, before each schema
 */
export async function distribute(sql: Pool, targets: TenantSource, options: { dryRun?: boolean; onSchema?: (index: number, total: number, schema: string) => void } = {}): Promise<DistributeReport> {
  await requireCitus(sql, 'citus distribute');
  return withSessionLock(sql, LOCK, (holder) => {
    throw new TenantctlError('DISTRIBUTE_RUNNING', `Another citus distribute is running${describeHolder(holder)}.`, { hint: 'Wait for it; a rerun skips the schemas it converted.', exitCode: 75 });
  }, async () => {
    const dryRun = options.dryRun ?? false;
    const sharedTables = await referenceSharedTables(sql, dryRun);
    // Read after the shared tables became reference tables: keys to them no longer block
    // (a dry run counts the tables it would have made reference tables).
    const readiness = await schemaReadiness(sql, true, targets, sharedTables.filter((t) => t.outcome === 'would-reference').map((t) => t.table));
    const schemas: SchemaOutcome[] = [];
    for (const [index, s] of readiness.entries()) {
      options.onSchema?.(index, readiness.length, s.schema);
      const base = { slug: s.slug, schema: s.schema, blockers: s.blockers, error: null };
      if (s.distributed) schemas.push({ ...base, outcome: 'already-distributed' });
      else if (s.blockers.length) schemas.push({ ...base, outcome: 'blocked' });
      else if (dryRun) schemas.push({ ...base, outcome: 'would-distribute' });
      else schemas.push(await distributeOne(sql, s));
    }
    return { dryRun, sharedTables, schemas };
  });
}
