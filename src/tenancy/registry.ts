import type { Sql } from '../db/connect.js';
import { EXIT, TenantctlError } from '../errors.js';
import type { RegistrySpec, TenancyProfile } from './profile.js';

/**
 * The one place that reads a profile's tenant registry generically. Every tenant is a row
 * of the registry, whoever inserted it: tenantctl or the application itself.
 * Identifiers come from the profile (never from users) and go through `sql(name)`.
 */

/** A tenant as every command sees it, whatever the profile. */
export interface Tenant {
  /** The registry key, as text. */
  id: string;
  /** What users type: slug, organization name, BIN. */
  handle: string;
  name: string;
  status: string;
  /** The schema holding the tenant's data: its own (schema per tenant) or the pooled one. */
  schema: string;
}

interface Row {
  id: string;
  handle: string;
  name: string;
  status: string;
  schema: string;
}

/** What a soft-deleted tenant's status reads (registry `softDelete` set), whatever its status column holds. */
export const DELETED = 'deleted';

/**
 * The registry row's status as the words commands use, whatever the column holds (ABParts: a
 * boolean is_active); `deleted` when the soft-delete column is set (the application deleted the
 * organization; its rows are still there), which the status column alone does not say. The one
 * expression for list, show, sizes and every command that resolves a tenant.
 */
export function statusWord(sql: Sql, r: RegistrySpec) {
  const { column, active, suspended } = r.status;
  const deleted = r.softDelete ? sql`when ${sql(r.softDelete)} is not null then ${DELETED}` : sql``;
  return sql`(case ${deleted} when ${sql(column)}::text = ${active} then 'active' when ${sql(column)}::text = ${suspended} then 'suspended' else ${sql(column)}::text end)`;
}

/** Every status word `tenant list --status` takes: the profile's, and `deleted` where it soft-deletes. */
export const statusWords = (r: RegistrySpec): readonly string[] => (r.softDelete ? [...r.status.words, DELETED] : r.status.words);

function select(sql: Sql, r: RegistrySpec) {
  const target = r.targetColumn ? sql`${sql(r.targetColumn)}::text` : sql`${r.schema}::text`;
  return sql`select ${sql(r.key)}::text as id, ${sql(r.handle)}::text as handle, ${sql(r.name)}::text as name,
                    ${statusWord(sql, r)} as status, ${target} as schema
             from ${sql(r.schema)}.${sql(r.table)}`;
}

/**
 * Why a registry row is not a tenant (a pooled profile's platform singleton, or the
 * placeholder erased tenants' shared rows point at), or null: no command acts on those.
 */
export async function notATenant(sql: Sql, profile: TenancyProfile, tenant: Pick<Tenant, 'id'>): Promise<string | null> {
  const decl = profile.pooled;
  if (decl?.tombstone?.rows.some((row) => row.table === profile.registry.table && row.key === tenant.id)) {
    return 'it is the placeholder that erased tenants\' shared rows point at';
  }
  const singletons = decl?.registry.nonErasable;
  if (!singletons) return null;
  const r = profile.registry;
  const [row] = (await sql`select ${sql(singletons.column)}::text = any(${singletons.values as string[]}::text[]) as reserved
                           from ${sql(r.schema)}.${sql(r.table)} where ${sql(r.key)}::text = ${tenant.id}`) as unknown as { reserved: boolean }[];
  return row?.reserved ? singletons.reason : null;
}

/** Does the registry table exist yet (a database before its first `migrate up` has none)? */
export async function registryExists(sql: Sql, r: RegistrySpec): Promise<boolean> {
  const [row] = (await sql`select to_regclass(${`"${r.schema}"."${r.table}"`}) is not null as present`) as unknown as [{ present: boolean }];
  return row.present;
}

/** Every tenant of the registry, ordered by handle. Soft-deleted rows are tenants too (they still hold data). */
export async function registryTenants(sql: Sql, r: RegistrySpec): Promise<Tenant[]> {
  if (!(await registryExists(sql, r))) return [];
  return (await sql`${select(sql, r)} order by ${sql(r.handle)}`) as unknown as Row[];
}

/** Rows whose key or handle is one of `refs` (resolveTenants refuses a ref that is one row's key and another's handle). */
export async function registryRows(sql: Sql, r: RegistrySpec, refs: readonly string[]): Promise<Tenant[]> {
  if (!refs.length || !(await registryExists(sql, r))) return [];
  return rowsByRef(sql, r, refs);
}

/** The tenant whose own schema is `schema` (schema per tenant), or undefined: none, or a pooled registry. */
export async function registryTenantOfSchema(sql: Sql, r: RegistrySpec, schema: string): Promise<Tenant | undefined> {
  if (!r.targetColumn || !(await registryExists(sql, r))) return undefined;
  const [row] = (await sql`${select(sql, r)} where ${sql(r.targetColumn)}::text = ${schema}`) as unknown as Row[];
  return row;
}

async function rowsByRef(sql: Sql, r: RegistrySpec, refs: readonly string[]): Promise<Tenant[]> {
  return (await sql`${select(sql, r)} where ${sql(r.key)}::text = any(${refs as string[]}) or ${sql(r.handle)}::text = any(${refs as string[]})`) as unknown as Row[];
}

/**
 * Naming a tenant when the registry table itself is gone (dropped, or the wrong database):
 * say so, rather than "unknown tenant", which sends the user looking for a typo.
 */
function registryMissing(profile: TenancyProfile): TenantctlError {
  const r = profile.registry;
  return new TenantctlError('REGISTRY_MISSING', `The tenant registry table ${r.schema}.${r.table} does not exist in this database, so no tenant can be named. Nothing was changed.`, {
    hint: 'If this is a new database, run `tenantctl migrate up` first; otherwise check that you point at the right database (the first line under --debug says which one) or restore the table from a backup.',
    details: { registry: `${r.schema}.${r.table}`, profile: profile.name },
  });
}

/** The one error for a tenant that is not in the registry: same code, same exit code, for every command. */
export function unknownTenant(profile: TenancyProfile, refs: readonly string[]): TenantctlError {
  const r = profile.registry;
  return new TenantctlError('TENANT_NOT_FOUND', `Unknown tenant${refs.length > 1 ? 's' : ''}: ${refs.join(', ')} (no row of ${r.schema}.${r.table} has that ${r.key} or ${r.handleLabel}).`, {
    hint: `List tenants with \`tenantctl tenant list\`; a tenant is named by its ${r.handleLabel} or its ${r.key}.`,
    details: { unknown: [...refs], registry: `${r.schema}.${r.table}`, profile: profile.name },
    exitCode: EXIT.usage,
  });
}

/**
 * Resolve what users typed (ids or handles) to tenants, in the order given. A handle is looked
 * up in the profile's stored form where it has one, else as typed: the rule for new handles
 * (commerce's slug pattern) is not a rule for the registry, where the application may have
 * inserted `acme-corp`. An unknown tenant is TENANT_NOT_FOUND (exit 2) naming every unknown
 * one. A handle shared by two rows (possible where the handle is not unique) is a usage error
 * asking for the id.
 */
export async function resolveTenants(sql: Sql, profile: TenancyProfile, refs: readonly string[], flag?: string): Promise<Tenant[]> {
  const wanted = refs.map((ref) => (looksLikeKey(ref) ? ref.toLowerCase() : storedForm(profile, ref, flag)));
  if (refs.length && !(await registryExists(sql, profile.registry))) throw registryMissing(profile);
  // A key-shaped ref is also looked up as typed: an organization may be named like another's id.
  const rows = await rowsByRef(sql, profile.registry, [...new Set([...wanted, ...refs])]);
  const missing: string[] = [];
  const found = wanted.map((ref, i) => {
    const byKey = rows.find((row) => row.id === ref);
    if (byKey) {
      refuseKeyNamingAnother(profile, refs[i]!, byKey, rows);
      return byKey;
    }
    // The handle exactly as typed first: the profile's normal form (a name trimmed as tenantctl
    // stores it) only when no tenant has it, so "Acme " never resolves to "Acme" beside it.
    const exact = rows.filter((row) => row.handle === refs[i]);
    const byHandle = exact.length ? exact : rows.filter((row) => row.handle === ref);
    if (byHandle.length > 1) {
      throw new TenantctlError('TENANT_AMBIGUOUS', `${byHandle.length} tenants have the ${profile.registry.handleLabel} "${ref}".`, {
        hint: `Name the tenant by its ${profile.registry.key}: ${byHandle.map((t) => t.id).join(', ')}.`,
        details: { ref, ids: byHandle.map((t) => t.id) },
        exitCode: EXIT.usage,
      });
    }
    if (!byHandle[0]) missing.push(ref);
    return byHandle[0]!;
  });
  if (missing.length) throw unknownTenant(profile, missing);
  for (const tenant of found) {
    const why = await notATenant(sql, profile, tenant);
    if (why) {
      throw new TenantctlError('NOT_A_TENANT', `${profile.registry.table} ${tenant.handle} (${tenant.id}) is not a tenant: ${why}.`, {
        hint: 'Nothing was changed. No tenant command acts on it; `tenantctl tenant list` shows the tenants.',
        details: { id: tenant.id, registry: `${profile.registry.schema}.${profile.registry.table}` },
        exitCode: EXIT.usage,
      });
    }
  }
  return found;
}

/**
 * A ref that is one tenant's key and another tenant's handle (IMSOP names are free text: an
 * organization can be named like another's id) could mean either; acting on the key's tenant
 * would hit the wrong one if the user meant the name. Refused, naming both.
 */
function refuseKeyNamingAnother(profile: TenancyProfile, typed: string, byKey: Tenant, rows: Tenant[]): void {
  // Every tenant the ref names as a handle (as typed, or lower-cased as a key is written), each by its own name and key.
  const others = rows.filter((row) => row.id !== byKey.id && (row.handle === typed || row.handle === typed.toLowerCase()));
  if (!others.length) return;
  const r = profile.registry;
  throw new TenantctlError('TENANT_AMBIGUOUS', `"${typed}" names ${others.length + 1} tenants: it is the ${r.key} of ${byKey.handle} and the ${r.handleLabel} of ${others.map((o) => `"${o.handle}" (${r.key} ${o.id})`).join(' and ')}. Nothing was changed.`, {
    hint: `Name ${byKey.handle} by its ${r.handleLabel} ("${byKey.handle}"), or ${others.map((o) => `the tenant named "${o.handle}" by its ${r.key} (${o.id})`).join(', or ')}.`,
    details: { ref: typed, ids: [byKey.id, ...others.map((o) => o.id)] },
    exitCode: EXIT.usage,
  });
}

/** The handle as the profile stores a new one (a name trimmed), or as typed when the profile would not create it. */
function storedForm(profile: TenancyProfile, ref: string, flag?: string): string {
  try {
    return profile.validateHandle(ref, flag);
  } catch (error) {
    if (error instanceof TenantctlError && error.exitCode === EXIT.usage) return ref;
    throw error;
  }
}

/** One tenant; see resolveTenants. */
export async function resolveTenant(sql: Sql, profile: TenancyProfile, ref: string, flag?: string): Promise<Tenant> {
  const [tenant] = await resolveTenants(sql, profile, [ref], flag);
  return tenant!;
}

/** Registry keys are uuids in every built-in profile; anything shaped like one is tried as a key first. */
const looksLikeKey = (ref: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
