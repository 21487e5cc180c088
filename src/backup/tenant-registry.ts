import type { Sql } from '../db/connect.js';
import { query, registryName, registryQuery } from '../db/queries.js';
import type { RegistrySpec } from '../tenancy/profile.js';

/**
 * What backups read from the profile's tenant registry: the tenants that own a schema each
 * (the manifest's `tenants`). A pooled registry has none of those (its organizations share
 * one schema and are the manifest's `pooled` section), so these read nothing for it.
 */

/** A registered tenant with its schema and the migrations recorded for that schema. */
export interface RegisteredTenant {
  id: string;
  slug: string;
  schema: string;
  status: string;
  applied: string[];
}

/** The registry when its tenants own a schema each (it names that schema), else undefined. */
export function schemaTenantRegistry(registry: RegistrySpec | undefined): RegistrySpec | undefined {
  return registry?.targetColumn ? registry : undefined;
}

/** Which of the registry (of schema-owning tenants) and tenantctl.schema_migrations exist here. */
export async function relationsPresent(sql: Sql, registry: RegistrySpec | undefined): Promise<{ tenants: boolean; migrations: boolean }> {
  const own = schemaTenantRegistry(registry);
  const [present] = await query<{ tenants: boolean; migrations: boolean }>(sql, 'backup/relations-present', [own ? registryName(own) : null]);
  return present!;
}

/** Every schema-owning tenant with its applied versions; undefined when there is no such registry here. */
export async function tenantsWithVersions(sql: Sql, registry: RegistrySpec | undefined): Promise<RegisteredTenant[] | undefined> {
  const own = schemaTenantRegistry(registry);
  const present = await relationsPresent(sql, own);
  if (!own || !present.tenants) return undefined;
  return registryQuery<RegisteredTenant>(sql, present.migrations ? 'backup/tenant-versions' : 'backup/tenants-without-versions', own);
}

/** The schema-owning tenants registered now (none when there is no such registry). */
export async function liveTenants(sql: Sql, registry: RegistrySpec | undefined): Promise<{ id: string; slug: string; schema: string }[]> {
  const own = schemaTenantRegistry(registry);
  if (!own || !(await relationsPresent(sql, own)).tenants) return [];
  return registryQuery<{ id: string; slug: string; schema: string }>(sql, 'backup/live-tenants', own);
}

/** Ids of the schema-owning tenants registered now (none when there is no such registry). */
export async function liveTenantIds(sql: Sql, registry: RegistrySpec | undefined): Promise<Set<string>> {
  return new Set((await liveTenants(sql, registry)).map((t) => t.id));
}
