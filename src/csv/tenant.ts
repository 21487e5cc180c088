import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError, usageError } from '../errors.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { registryRows, resolveTenant as resolveRegistryTenant } from '../tenancy/registry.js';
import { schemaMismatchError, schemaPerTenantMismatch } from '../tenancy/schema-guard.js';

import type { EntitySpec } from './spec.js';

/** Where an entity's rows of one tenant live. */
export interface TenantTarget {
  slug: string;
  id: string;
  status: string;
  /** The registry's status says active. */
  active: boolean;
  /** The tenant's own schema, or the pooled schema every tenant shares. */
  schema: string;
  /** Pooled: every tenant's rows share the entity's table (row locks, not a table lock). */
  pooled: boolean;
}

/**
 * The entities `import` and `export` know for a profile, or a usage error: the mappings
 * are the profile's data (src/tenancy/profiles/*-csv.ts).
 */
export function entityOf(profile: TenancyProfile, name: string): EntitySpec {
  const entities = profile.csvEntities ?? {};
  const entity = entities[name];
  if (entity) return entity;
  const known = Object.keys(entities);
  throw usageError(
    known.length ? `Unknown entity "${name}" for profile ${profile.name}.` : `Profile ${profile.name} declares no CSV entities.`,
    known.length ? `Use one of: ${known.join(', ')}.` : 'See `tenantctl profile show`.',
  );
}

/**
 * Find the tenant (id or handle, as every command does) and check that its storage holds
 * the entity's table. A tenant with a schema of its own must own that schema by the naming
 * rule (the registry row could name another tenant's schema).
 */
export async function resolveTenant(sql: Sql | Sql, profile: TenancyProfile, ref: string, entity: EntitySpec): Promise<TenantTarget> {
  const tenant = (entity.importableBy && (await catalogueWriter(sql as Sql, profile, ref))) || (await resolveRegistryTenant(sql as Sql, profile, ref, '--tenant'));
  const ownSchema = profile.registry.targetColumn !== null;
  if (ownSchema) {
    const reason = schemaPerTenantMismatch({ id: tenant.id, slug: tenant.handle, schema: tenant.schema });
    if (reason) throw schemaMismatchError({ id: tenant.id, slug: tenant.handle, schema: tenant.schema }, reason, `tenant_${tenant.handle}`, profile.registry);
  }
  const [row] = await query<{ schema_exists: boolean; table_exists: boolean }>(sql as Sql, 'csv/tenant-table', [tenant.schema, entity.table]);
  if (!row?.schema_exists || !row.table_exists) {
    throw new TenantctlError('TENANT_NOT_MIGRATED', `Tenant "${tenant.handle}" has no ${tenant.schema}.${entity.table} table${row?.schema_exists ? '' : ` (schema ${tenant.schema} is missing)`}.`, {
      hint: 'Run `tenantctl migrate up` to bring the schema up to date.',
      details: { tenant: tenant.handle, schema: tenant.schema, table: entity.table },
    });
  }
  // The registry gives the status as words, whatever the column holds (ABParts: a boolean).
  const active = tenant.status === 'active';
  return { slug: tenant.handle, id: tenant.id, status: tenant.status, active, schema: tenant.schema, pooled: !ownSchema };
}

/**
 * A shared catalogue is written by a platform organization (ABParts oraseas_ee), which no
 * tenant command acts on: its registry row, found by id or handle; undefined when not exactly one.
 */
async function catalogueWriter(sql: Sql, profile: TenancyProfile, ref: string): Promise<Awaited<ReturnType<typeof resolveRegistryTenant>> | undefined> {
  const rows = await registryRows(sql, profile.registry, [ref]);
  return rows.length === 1 ? rows[0] : undefined;
}

/**
 * A shared catalogue (ABParts parts) is written by the platform organization only: the
 * tenant's registry row must have one of the declared values. Identifiers are the profile's.
 */
export async function assertMayImport(tx: Sql, profile: TenancyProfile, tenant: TenantTarget, entity: EntitySpec): Promise<void> {
  const rule = entity.importableBy;
  if (!rule) return;
  const r = profile.registry;
  const [row] = (await tx`select ${tx(rule.registryColumn)}::text as value from ${tx(r.schema)}.${tx(r.table)} where ${tx(r.key)}::text = ${tenant.id}`) as unknown as [{ value: string } | undefined];
  if (!row || !rule.values.includes(row.value)) {
    throw new TenantctlError('CSV_NOT_ALLOWED', `${entity.name} cannot be imported into ${tenant.slug}: ${rule.reason} (its ${rule.registryColumn} is ${row?.value ?? 'unknown'}).`, {
      hint: `Import ${entity.name} with --tenant set to an organization whose ${rule.registryColumn} is ${rule.values.join(' or ')}.`,
      details: { tenant: tenant.slug, entity: entity.name, [rule.registryColumn]: row?.value ?? null },
      exitCode: 2,
    });
  }
}
