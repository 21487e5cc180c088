import { anyOf, type Fragment } from '../csv/sql-parts.js';
import type { Sql } from '../db/connect.js';
import { query, registryName, registryQuery } from '../db/queries.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import type { DataLocation, TenancyStrategy, TenantHandle } from '../tenancy/strategy.js';
import { ident, qualifiedIdent } from '../db/ident.js';

/** A shared table holding rows of a tenant, and how it was found in the catalog. */
export interface SharedLocation extends DataLocation {
  /** Its first tenant column. */
  column: string;
  /**
   * Every column of the table that holds a tenant id (`column` first). With several (a link
   * between two tenants), a row is this tenant's only when no column names another tenant.
   */
  columns: string[];
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
export const registryLocation = (registry: RegistrySpec): SharedLocation => ({ schema: registry.schema, table: registry.table, column: registry.key, columns: [registry.key], foundBy: 'the tenant registry', hasForeignKey: false });

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
  // One location per table (the rows come ordered by schema, table, column).
  const tables = new Map<string, SharedLocation>();
  for (const r of shared) {
    const key = `${r.schema_name}.${r.table_name}`;
    const seen = tables.get(key);
    if (seen) {
      seen.columns.push(r.column_name);
      seen.foundBy = `${seen.foundBy}; ${r.found_by}`;
      seen.hasForeignKey ||= r.has_foreign_key;
    } else {
      tables.set(key, { schema: r.schema_name, table: r.table_name, column: r.column_name, columns: [r.column_name], foundBy: r.found_by, hasForeignKey: r.has_foreign_key });
    }
  }
  return { own, shared: [...tables.values()], registry: registryLocation(registry) };
}

/** The tenant columns of a location: its `columns`, else its one `column`. */
const tenantColumns = (l: DataLocation & { columns?: readonly string[] }): readonly string[] => l.columns ?? (l.column === null ? [] : [l.column]);

/**
 * "This row is the tenant's" in a location with a tenant column: the column holds the id
 * (`equals`); with several tenant columns, one holds it and every other is NULL or the id too.
 * A row that also names another tenant is not the tenant's to delete or export (sharedRows).
 */
export function tenantRows(sql: Sql, l: DataLocation & { columns?: readonly string[] }, equals: (column: string) => Fragment): Fragment {
  const columns = tenantColumns(l);
  if (columns.length === 1) return equals(columns[0]!);
  return sql`${anyOf(sql, columns.map(equals))} and not ${namesAnother(sql, columns, equals)}`;
}

/** Rows of a table with several tenant columns that name the tenant AND another tenant, or null when it has one column. */
export function sharedRows(sql: Sql, l: DataLocation & { columns?: readonly string[] }, equals: (column: string) => Fragment): Fragment | null {
  const columns = tenantColumns(l);
  if (columns.length < 2) return null;
  return sql`${anyOf(sql, columns.map(equals))} and ${namesAnother(sql, columns, equals)}`;
}

/** Some tenant column holds another tenant's id (a set column that is not `equals`: never NULL then). */
const namesAnother = (sql: Sql, columns: readonly string[], equals: (column: string) => Fragment): Fragment =>
  anyOf(sql, columns.map((c) => sql`(${ident(sql, c)} is not null and not ${equals(c)})`));

/** `column = id`, for tenantRows and sharedRows with the id as a parameter. */
export const equalsId = (sql: Sql, tenantId: string) => (column: string): Fragment => sql`${ident(sql, column)} = ${tenantId}`;

/** `schema.table`, for people and for receipt keys. */
export const qualified = (l: { schema: string; table: string }): string => `${l.schema}.${l.table}`;

/** Rows of one location: the whole table, or the rows whose tenant column holds the id. */
export async function countRows(sql: Sql, location: DataLocation, tenantId: string): Promise<number> {
  const table = qualifiedIdent(sql, location.schema, location.table);
  const rows = location.column === null
    ? await sql`select count(*)::bigint as n from ${table}`
    : await sql`select count(*)::bigint as n from ${table} where ${tenantRows(sql, location, equalsId(sql, tenantId))}`;
  return Number((rows[0] as { n: string }).n);
}
