import type { Sql } from '../db/connect.js';
import { query, registryName, registryQuery } from '../db/queries.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import type { DataLocation, TenancyStrategy, TenantHandle } from '../tenancy/strategy.js';

/** A shared table holding rows of a tenant, and how it was found in the catalog. */
export interface SharedLocation extends DataLocation {
  column: string;
  foundBy: string;
  hasForeignKey: boolean;
}

/** Everywhere a tenant's data lives. */
export interface TenantData {
  /** The tenant's own storage (its schema's tables, for schema-per-tenant). */
  own: DataLocation[];
  /** Rows in shared tables, found from the catalog (foreign keys and tenant-id columns). */
  shared: SharedLocation[];
  /** The registry row itself. */
  registry: SharedLocation;
}

/** The profile's registry, keyed by its key: the row deleted last and exported first. */
export const registryLocation = (registry: RegistrySpec): SharedLocation => ({ schema: registry.schema, table: registry.table, column: registry.key, foundBy: 'the tenant registry', hasForeignKey: false });

/**
 * Find every table that holds the tenant's data from the catalog, not from a hand-kept list:
 * its own storage from the strategy, and shared tables by foreign keys to its registry and
 * by tenant_id / organization_id columns without one.
 */
export async function locateTenantData(sql: Sql, strategy: TenancyStrategy, tenant: TenantHandle): Promise<TenantData> {
  const { registry } = strategy;
  const [{ schemas }] = (await registryQuery<{ schemas: string[] }>(sql, 'tenants/tenant-schemas', registry)) as [{ schemas: string[] }];
  const [own, shared] = await Promise.all([
    strategy.locateData(sql, tenant),
    query<{ schema_name: string; table_name: string; column_name: string; found_by: string; has_foreign_key: boolean }>(sql, 'tenants/shared-references', [schemas, tenant.schema, registryName(registry), registry.key]),
  ]);
  return {
    own,
    shared: shared.map((r) => ({ schema: r.schema_name, table: r.table_name, column: r.column_name, foundBy: r.found_by, hasForeignKey: r.has_foreign_key })),
    registry: registryLocation(registry),
  };
}

/** `schema.table`, for people and for receipt keys. */
export const qualified = (l: { schema: string; table: string }): string => `${l.schema}.${l.table}`;

/** Rows of one location: the whole table, or the rows whose tenant column holds the id. */
export async function countRows(sql: Sql, location: DataLocation, tenantId: string): Promise<number> {
  const table = sql`${sql(location.schema)}.${sql(location.table)}`;
  const rows = location.column === null
    ? await sql`select count(*)::bigint as n from ${table}`
    : await sql`select count(*)::bigint as n from ${table} where ${sql(location.column)} = ${tenantId}`;
  return Number((rows[0] as { n: string }).n);
}
