/**
 * The plain data types of the tenancy seam. This module imports nothing, so the migration
 * engine, the storage strategies and the profiles can all depend on it without a cycle.
 */

/** A tenant as the fleet tools see it. */
export interface TenantRef {
  id: string;
  slug: string;
  schema: string;
  status: string;
  schemaExists: boolean;
}

/** What the storage methods need to know about a tenant. */
export interface TenantHandle {
  id: string;
  slug: string;
  schema: string;
}

/** A table holding a tenant's data: all of it (`column` null) or the rows where `column` = tenant id. */
export interface DataLocation {
  schema: string;
  table: string;
  column: string | null;
}

