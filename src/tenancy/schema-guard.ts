import { TenantctlError } from '../errors.js';
import type { RegistrySpec } from './profile.js';

/** What the guard needs to know about a tenant: its registry id and slug, and the schema its row names. */
export interface RegisteredSchema {
  id: string;
  slug: string;
  schema: string;
}

/**
 * Schemas no tenant may ever own: PostgreSQL's own (pg_catalog, pg_toast, pg_temp_N, …,
 * information_schema), the shared schema and tenantctl's bookkeeping. Checked first, so
 * that no naming rule can ever let one of them through.
 */
export function isReservedSchema(schema: string): boolean {
  return schema.startsWith('pg_') || schema === 'information_schema' || schema === 'public' || schema === 'tenantctl';
}

/** Seed 004's `tenant_{uuid_short}`: at least the first 8 hex digits of the tenant's id (dashes dropped). */
const UUID_SHORT_MIN = 8;

/**
 * Seed 004 names a tenant's schema `tenant_{slug}` or `tenant_{uuid_short}`. Only those two
 * names belong to the tenant; anything else in the registry row (another tenant's schema, an
 * application schema, a system schema) was typed by hand or tampered with. Pure.
 * @returns why the schema is not the tenant's, or undefined when it is
 */
export function schemaPerTenantMismatch(tenant: RegisteredSchema): string | undefined {
  if (isReservedSchema(tenant.schema)) return `${tenant.schema} is a system, shared or tenantctl schema`;
  if (tenant.schema === `tenant_${tenant.slug}`) return undefined;
  const short = /^tenant_([0-9a-f]+)$/.exec(tenant.schema)?.[1];
  const hex = tenant.id.replace(/-/g, '').toLowerCase();
  if (short && short.length >= UUID_SHORT_MIN && hex.startsWith(short)) return undefined;
  return `${tenant.schema} is neither tenant_${tenant.slug} nor tenant_<the first ${UUID_SHORT_MIN}+ hex digits of its id>`;
}

/** The registry column naming a tenant's schema, as messages show it (commerce: tenants.schema_name). */
export function schemaColumnLabel(registry: RegistrySpec | undefined): string {
  return registry?.targetColumn ? `${registry.schema}.${registry.table}.${registry.targetColumn}` : "the registry row's schema column";
}

/** The refusal, with everything the operator needs to fix the registry row (of the profile's `registry`). */
export function schemaMismatchError(tenant: RegisteredSchema, reason: string, expected: string, registry: RegistrySpec | undefined): TenantctlError {
  const fix = registry?.targetColumn ? ` (update ${registry.schema}.${registry.table} set ${registry.targetColumn} = '${expected}' where ${registry.key} = '${tenant.id}')` : '';
  return new TenantctlError('TENANT_SCHEMA_MISMATCH', `Refusing to act on tenant "${tenant.slug}": ${schemaColumnLabel(registry)} says ${JSON.stringify(tenant.schema)}, expected ${expected} (${reason}). Nothing was changed.`, {
    hint: `If the row is wrong, correct it${fix} after checking which schema really holds this tenant's tables.`,
    details: { tenant: tenant.slug, tenantId: tenant.id, registered: tenant.schema, expected },
  });
}

/**
 * Throw TENANT_SCHEMA_MISMATCH unless the schema the registry names is the tenant's own by
 * the strategy's naming rule. Call it before any SQL touches the schema.
 */
export function assertTenantSchema(strategy: { schemaFor(slug: string): string; schemaMismatch(tenant: RegisteredSchema): string | undefined; readonly registry?: RegistrySpec }, tenant: RegisteredSchema): void {
  const reason = strategy.schemaMismatch(tenant);
  if (reason) throw schemaMismatchError(tenant, reason, expectedSchema(strategy, tenant.slug), strategy.registry);
}

/** The schema the naming rule gives a slug; a registry slug that is not a valid slug still gets a name to show. */
export function expectedSchema(strategy: { schemaFor(slug: string): string }, slug: string): string {
  try {
    return strategy.schemaFor(slug);
  } catch {
    return `tenant_${slug}`;
  }
}
