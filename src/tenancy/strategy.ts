import type { Sql, Tx } from '../db/connect.js';
import { query, registryName, registryQuery } from '../db/queries.js';
import type { Migration } from '../migrate/files.js';
import { schemaPerTenantMismatch } from './schema-guard.js';
import { validateSlug } from './slug.js';
import type { RegistrySpec } from './profile.js';
import { COMMERCE_REGISTRY } from './profiles/commerce-registry.js';
import type { DataLocation, TenantHandle, TenantRef } from './types.js';

export type { DataLocation, TenantHandle, TenantRef } from './types.js';

/**
 * How tenants are laid out in the database. Commands ask this interface, never the
 * catalog directly, so that the pooled (row-level, tenant key column + RLS) design can
 * be added without rewriting them.
 */
export interface TenancyStrategy {
  readonly kind: 'schema-per-tenant' | 'pooled';
  /** The registry whose rows name the tenants (and, schema per tenant, their schemas). */
  readonly registry: RegistrySpec;
  /** The schema that holds a tenant's own tables. */
  schemaFor(slug: string): string;
  /**
   * Schema per tenant: what `schemaFor` puts before the slug (commerce: `tenant_`), so that SQL
   * can tell a tenant's own schema from the registry row alone (migrate/tenant-state.sql).
   */
  readonly schemaPrefix?: string;
  /**
   * Why the schema a registry row names is not that tenant's own (a system, shared or tool
   * schema, another tenant's, an application schema), or undefined when it is. Pure: every
   * command that acts on a tenant's schema asks this before any SQL (schema-guard.ts).
   */
  schemaMismatch(tenant: TenantHandle): string | undefined;
  /**
   * Every registered tenant, with whether its storage exists.
   * @param only just the tenants whose storage is in these schemas @default every tenant
   */
  listTenants(sql: Sql, only?: { schemas: readonly string[] }): Promise<TenantRef[]>;
  /**
   * Create a tenant's storage and bring it to the given tenant migrations, inside the
   * caller's transaction (so that a failed provisioning leaves nothing behind).
   * @returns the versions applied
   */
  createStorage(tx: Tx, tenant: TenantHandle, migrations: Migration[]): Promise<string[]>;
  /** Where a tenant's own data lives: whole tables (column null), or rows keyed by a tenant column. */
  locateData(sql: Sql, tenant: TenantHandle): Promise<DataLocation[]>;
  /** How many relations (tables, indexes, sequences, TOAST) erasing the tenant's storage will lock. */
  relationCount(sql: Sql, tenant: TenantHandle): Promise<number>;
  /** Remove a tenant's own storage inside the caller's transaction. */
  eraseStorage(tx: Sql, tenant: TenantHandle): Promise<void>;
  /** Scope the rest of the caller's transaction to one tenant, so unqualified names mean its tables. */
  scopeTo(tx: Sql, tenant: TenantHandle): Promise<void>;
}

const SCHEMA_PREFIX = 'tenant_';

/**
 * Schema per tenant (seed 004): `tenant_<slug>` holds the tenant's tables; `registry` (its
 * `targetColumn`) names each tenant's schema. Built by a profile from its registry.
 */
export function schemaPerTenantStrategy(registry: RegistrySpec): TenancyStrategy {
  return {
    kind: 'schema-per-tenant',
    registry,
    schemaPrefix: SCHEMA_PREFIX,
    schemaFor(slug: string): string {
      // validateSlug keeps slugs short enough for the schema name to fit (MAX_SLUG).
      return `${SCHEMA_PREFIX}${validateSlug(slug)}`;
    },
    schemaMismatch: schemaPerTenantMismatch,
    async listTenants(sql: Sql, only?: { schemas: readonly string[] }): Promise<TenantRef[]> {
      const [{ present }] = (await sql`select to_regclass(${registryName(registry)}) is not null as present`) as unknown as [{ present: boolean }];
      if (!present) return [];
      if (only && only.schemas.length === 0) return [];
      const rows = await registryQuery<{ id: string; slug: string; schema_name: string; status: string; schema_exists: boolean }>(sql, 'tenancy/list-tenant-schemas', registry, [only ? [...only.schemas] : null]);
      return rows.map((r) => ({ id: r.id, slug: r.slug, schema: r.schema_name, status: r.status, schemaExists: r.schema_exists }));
    },
    async createStorage(tx: Tx, tenant: TenantHandle, migrations: Migration[]): Promise<string[]> {
      await tx`create schema ${tx(tenant.schema)}`;
      // The migration runner loads only when a schema is built: every command resolves a profile.
      const { applyMigrationsInTransaction } = await import('../migrate/apply.js');
      return applyMigrationsInTransaction(tx, { scope: 'tenant', schema: tenant.schema, slug: tenant.slug, registry, migrations });
    },
    async locateData(sql: Sql, tenant: TenantHandle): Promise<DataLocation[]> {
      const rows = await query<{ table_name: string }>(sql, 'tenants/schema-tables', [tenant.schema]);
      return rows.map((r) => ({ schema: tenant.schema, table: r.table_name, column: null }));
    },
    async relationCount(sql: Sql, tenant: TenantHandle): Promise<number> {
      const [row] = await query<{ relations: number }>(sql, 'tenants/schema-relation-count', [tenant.schema]);
      return row?.relations ?? 0;
    },
    async eraseStorage(tx: Sql, tenant: TenantHandle): Promise<void> {
      await tx`drop schema if exists ${tx(tenant.schema)} cascade`;
    },
    async scopeTo(tx: Sql, tenant: TenantHandle): Promise<void> {
      // SET LOCAL with the schema as a quoted identifier: a statement without parameters, which
      // postgres.js sends in one round trip and pipelines with what follows (set_config($1)
      // waited two: a describe first). Same effect: the search path until the transaction ends.
      await tx`set local search_path to ${tx(tenant.schema)}, public`;
    },
  };
}

/**
 * Seed 004's storage over the commerce registry, for tests that drive the core directly;
 * src/ takes it from the resolved profile (`profile.strategy`, `profile.lifecycle.targets`).
 */
export const schemaPerTenant: TenancyStrategy = schemaPerTenantStrategy(COMMERCE_REGISTRY);
