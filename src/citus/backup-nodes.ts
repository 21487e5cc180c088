import type { TenantSource } from '../migrate/state.js';
import type { Pool, Sql } from '../db/connect.js';
import { TenantctlError } from '../errors.js';
import { detectCitus } from './detect.js';
import { distributeSchema } from './schema-distribute.js';
import { placeNewTenant, tenantPlacements, type NewTenantPlacement } from './placement.js';

/**
 * For `backup create` on a Citus coordinator: the worker (`host:port`) of each tenant schema,
 * by schema name, as the manifest records it; an empty map on plain PostgreSQL, so the
 * manifest stays as it was there. A schema that is not distributed maps to null (it lives
 * on the coordinator).
 */
export async function tenantNodesForBackup(sql: Sql, targets: TenantSource): Promise<Map<string, string | null>> {
  if (!(await detectCitus(sql))) return new Map();
  return new Map((await tenantPlacements(sql, targets)).map((p) => [p.schema, p.node]));
}

/** Where a restored tenant went on the cluster, and why there. */
export interface RestoredPlacement extends NewTenantPlacement {
  /** The node the backup recorded for the tenant (null: none recorded, or it lived on the coordinator). */
  recorded: string | null;
}

/**
 * After `backup restore-tenant` registered the schema on a Citus coordinator: make it a
 * distributed schema again (distributeSchema, as `citus distribute` does: no local copy
 * left on the coordinator), then put it on the worker the backup recorded when that is still
 * a worker of this cluster, else on the least loaded one. Null on plain PostgreSQL.
 */
export async function distributeRestoredTenant(sql: Pool, targets: TenantSource, tenant: { slug: string; schema: string }, recorded: string | null | undefined): Promise<RestoredPlacement | null> {
  const info = await detectCitus(sql);
  if (!info || info.workers.length === 0) return null;
  try {
    await distributeSchema(sql, tenant.schema);
  } catch (error) {
    throw new TenantctlError('RESTORED_NOT_DISTRIBUTED', `Tenant ${tenant.slug} was restored (schema ${tenant.schema}), but making it a distributed schema failed: ${error instanceof Error ? error.message : String(error)}. It lives on the coordinator for now.`, {
      hint: 'See what blocks it with `tenantctl citus check`, fix that, then run `tenantctl citus distribute --yes`.',
      details: { slug: tenant.slug, schema: tenant.schema },
      cause: error,
    });
  }
  const stillThere = recorded && info.workers.some((w) => w.address === recorded) ? recorded : undefined;
  const placed = await placeNewTenant(sql, targets, tenant.slug, stillThere);
  if (!placed) return null;
  return { ...placed, recorded: recorded ?? null };
}
