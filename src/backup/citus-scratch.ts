import type { Sql } from '../db/connect.js';
import { detectCitus } from '../citus/detect.js';

/**
 * On a Citus coordinator, make the verify scratch copy a single-node Citus database and return
 * the settings pg_restore's sessions need there: with schema-based sharding on, each restored
 * tenant schema becomes a distributed schema again (its shards on the coordinator, which a
 * Citus database with no workers uses as its only node), and triggers are allowed on its
 * tables. The copy is then restored the way a restore onto the cluster runs, not as plain
 * PostgreSQL. Nothing reaches the workers: the scratch database exists on the coordinator only.
 * Returns undefined on plain PostgreSQL (no extension, no extra settings).
 */
export async function citusScratchSettings(live: Sql, copy: Sql): Promise<Record<string, string> | undefined> {
  if (!(await detectCitus(live))) return undefined;
  await copy`create extension if not exists citus`;
  return { 'citus.enable_schema_based_sharding': 'on', 'citus.enable_unsafe_triggers': 'on' };
}
