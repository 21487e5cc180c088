import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';
import { assertTenantSchema } from '../tenancy/schema-guard.js';
import { schemaPerTenant, type TenancyStrategy } from '../tenancy/strategy.js';
import type { Db } from './sql-parts.js';
import type { EntitySpec } from './spec.js';

/** Where an entity's rows of one tenant live. */
export interface TenantTarget {
  slug: string;
  id: string;
  status: string;
  schema: string;
}

/**
 * Find the tenant and check that its storage holds the entity's table. The schema is the
 * one registered in public.tenants, as migrate and erase use it.
 * @param strategy @default schemaPerTenant
 */
export async function resolveTenant(sql: Sql | Db, slug: string, entity: EntitySpec, strategy: TenancyStrategy = schemaPerTenant): Promise<TenantTarget> {
  strategy.schemaFor(slug); // validates the slug before any SQL runs
  const [row] = await query<{ id: string; status: string; schema_name: string; schema_exists: boolean; table_exists: boolean }>(sql as Sql, 'csv/tenant', [slug, entity.table]);
  if (!row) {
    throw new TenantctlError('TENANT_NOT_FOUND', `Tenant "${slug}" does not exist (no row in public.tenants).`, {
      hint: 'Check the slug (tenant slugs are lower case), or create the tenant first.',
      details: { tenant: slug },
    });
  }
  const schema = row.schema_name;
  assertTenantSchema(strategy, { id: row.id, slug, schema });
  if (!row.schema_exists || !row.table_exists) {
    throw new TenantctlError('TENANT_NOT_MIGRATED', `Tenant "${slug}" has no ${schema}.${entity.table} table${row.schema_exists ? '' : ` (schema ${schema} is missing)`}.`, {
      hint: 'Run `tenantctl migrate up` to bring the tenant schema up to date.',
      details: { tenant: slug, schema, table: entity.table },
    });
  }
  return { slug, id: row.id, status: row.status, schema };
}
