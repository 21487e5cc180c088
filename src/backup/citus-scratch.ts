import type { Sql } from '../db/connect.js';
import { detectCitus } from '../citus/detect.js';

/** The server settings for pg_restore's sessions restoring one chunk (the base, or the schemas it holds). */
export type ChunkSettings = (chunk: { kind: 'base' | 'schemas'; schemas: readonly string[] }) => Record<string, string>;

/**
 * On a Citus coordinator, make the verify scratch copy a single-node Citus database and return
 * the settings pg_restore's sessions need there, per chunk: triggers allowed on distributed
 * tables always; schema-based sharding on only for a chunk of schemas that holds tenant
 * schemas and nothing else (never the base chunk: a pooled tenant's schema is `public`), so each restored tenant schema becomes a distributed schema again (its shards
 * on the coordinator, which a Citus database with no workers uses as its only node) while
 * every other schema (tenantctl, public, an application's own) comes back local, as it is on
 * the cluster: with sharding on, `tenantctl` became a distributed schema and pg_dump's
 * `ALTER TABLE … ADD GENERATED ALWAYS AS IDENTITY` on its tables was refused ("alter table
 * command is currently unsupported"). A chunk that mixes tenant schemas with others (chunks
 * are cut by name) is restored with sharding off: its tenant schemas stay local in the copy,
 * still checked. Nothing reaches the workers: the scratch database exists on the coordinator
 * only. Returns undefined on plain PostgreSQL (no extension, no extra settings).
 * @param tenantSchemas the schemas of the backup's tenants (manifest.tenants)
 */
export async function citusScratchSettings(live: Sql, copy: Sql, tenantSchemas: ReadonlySet<string>): Promise<ChunkSettings | undefined> {
  if (!(await detectCitus(live))) return undefined;
  await copy`create extension if not exists citus`;
  return ({ kind, schemas }) => ({
    'citus.enable_unsafe_triggers': 'on',
    ...(kind === 'schemas' && schemas.length > 0 && schemas.every((s) => tenantSchemas.has(s)) ? { 'citus.enable_schema_based_sharding': 'on' } : {}),
  });
}
