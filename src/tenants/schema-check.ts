import type { Sql } from '../db/connect.js';
import { query, registryName } from '../db/queries.js';
import type { CheckedTable, CheckFinding, ProfileCheckView } from '../tenancy/lifecycle.js';
import { isReservedSchema } from '../tenancy/schema-guard.js';
import type { TenancyStrategy, TenantRef } from '../tenancy/strategy.js';
import { TENANT_LIKE } from '../pooled/check.js';

/** Spare schemas of the warm pool (src/sql/pool/bootstrap.sql): nobody's data. */
const POOL_SCHEMA = /^tenantctl_pool_[0-9]+$/;
/** The names the erasure also finds without a foreign key (src/sql/tenants/shared-references.sql). */
const FOUND_BY_NAME = new Set(['tenant_id', 'organization_id']);

interface SharedRow {
  schema_name: string;
  table_name: string;
  is_registry: boolean;
  registry_columns: string[];
  unindexed: string[];
  tenant_like: string[];
  parents: { parent: string; onDelete: string; columns: string[] }[];
}

/** Is `schema` the name the strategy would give some tenant (tenant_<slug>)? */
function looksLikeTenantSchema(storage: TenancyStrategy, schema: string): boolean {
  if (!schema.startsWith('tenant_')) return false;
  try {
    return storage.schemaFor(schema.slice('tenant_'.length)) === schema;
  } catch {
    return false;
  }
}

const finding = (f: CheckFinding): CheckFinding => f;

/** The registry's rows: schemas missing, schemas not the tenant's own. */
function registryFindings(storage: TenancyStrategy, tenants: TenantRef[]): CheckFinding[] {
  const r = `${storage.registry.schema}.${storage.registry.table}`;
  return tenants.flatMap((t) => {
    const wrong = storage.schemaMismatch(t);
    if (wrong) return [finding({ kind: 'registry-row-wrong-schema', severity: 'error', table: r, columns: [storage.registry.targetColumn ?? ''], message: `Tenant ${t.slug} (${t.id}): its registry row names schema ${t.schema}, which is not its own (${wrong}); erase, export and migrate refuse it.`, advice: `Correct the row to the schema that really holds the tenant's tables (tenant_${t.slug}).` })];
    if (!t.schemaExists) return [finding({ kind: 'registry-row-without-schema', severity: 'warning', table: r, columns: [], message: `Tenant ${t.slug} (${t.id}) is registered but its schema ${t.schema} does not exist: the tenant has no tables (a failed provisioning, or a schema dropped by hand).`, advice: `Run \`tenantctl migrate up\` to build it, or erase the tenant (its shared rows and registry row) with \`tenantctl tenant erase ${t.slug}\`.` })];
    return [];
  });
}

/** Schemas shaped like a tenant's that no registry row names: no command reaches their data, so no erasure removes it. */
function orphanFindings(orphans: { schema_name: string; tables: number }[], registry: string): CheckFinding[] {
  return orphans.map((o) => finding({ kind: 'schema-without-registry-row', severity: 'error', table: `${o.schema_name}.*`, columns: [], message: `Schema ${o.schema_name} (${o.tables} tables) is named like a tenant schema but no row of ${registry} names it: no tenant command (erase, export) reaches its data.`, advice: `If it is a leftover, inspect and drop it (\\dn+ ${o.schema_name}); if it belongs to a tenant, register it in ${registry}.` }));
}

/** One shared table: its class, and what would make an erasure miss or fail on its rows. */
function classifyShared(row: SharedRow, owning: Map<string, string>, registry: string): { table: CheckedTable; findings: CheckFinding[] } {
  const name = `${row.schema_name}.${row.table_name}`;
  const findings: CheckFinding[] = row.unindexed.map((c) => finding({ kind: 'fk-without-index', severity: 'warning', table: name, columns: [c], message: `${name}.${c} references ${registry} without an index: each erasure scans ${name}.`, advice: `create index on ${name} (${c});` }));
  for (const c of row.tenant_like) {
    findings.push(FOUND_BY_NAME.has(c)
      ? finding({ kind: 'tenant-column-without-fk', severity: 'warning', table: name, columns: [c], message: `${name}.${c} holds tenant ids without a foreign key: the erasure finds it by its name only, and nothing stops ids of unknown tenants.`, advice: `Add a foreign key to ${registry} (NOT VALID, clean, VALIDATE).` })
      : finding({ kind: 'tenant-column-without-fk', severity: 'error', table: name, columns: [c], message: `${name}.${c} looks like a tenant id but has no foreign key to ${registry}: an erasure leaves these rows behind.`, advice: `Add a foreign key to ${registry}, or rename the column tenant_id.` }));
  }
  if (row.is_registry) return { table: { table: name, class: 'registry', tenantColumn: null, ownerPath: '', reason: 'the tenant registry of the profile' }, findings };
  const column = row.registry_columns[0] ?? row.tenant_like.find((c) => FOUND_BY_NAME.has(c));
  if (column) return { table: { table: name, class: 'direct', tenantColumn: column, ownerPath: '', reason: row.registry_columns.length ? `foreign key ${column} → ${registry}` : `column ${column} (by name, no foreign key)` }, findings };
  const via = row.parents.find((p) => owning.has(p.parent));
  if (!via && row.tenant_like.length) return { table: { table: name, class: 'unclassified', tenantColumn: null, ownerPath: '', reason: `${row.tenant_like.join(', ')} looks like a tenant id, with no foreign key to ${registry}` }, findings };
  if (!via) return { table: { table: name, class: 'global', tenantColumn: null, ownerPath: '', reason: 'no tenant column and no foreign key toward a tenant table' }, findings };
  const path = `${name}.${via.columns.join('+')} → ${via.parent}${owning.get(via.parent) ? ` (${owning.get(via.parent)})` : ''}`;
  if (via.onDelete !== 'c') {
    findings.push(finding({ kind: 'erase-blocked-by-reference', severity: 'error', table: name, columns: via.columns, message: `${name} references ${via.parent} (a tenant table) without ON DELETE CASCADE and has no tenant column: erasing a tenant with such rows fails (ERASE_BLOCKED).`, advice: `Add a tenant_id column with a foreign key to ${registry}, or make the foreign key ON DELETE CASCADE.` }));
  }
  return { table: { table: name, class: 'indirect', tenantColumn: null, ownerPath: path, reason: via.onDelete === 'c' ? 'removed with its parent (ON DELETE CASCADE)' : 'its parent is a tenant table' }, findings };
}

/** Tables reached from the direct ones through foreign keys, until nothing new is found. */
function owningTables(rows: SharedRow[]): Map<string, string> {
  const owning = new Map<string, string>();
  for (const r of rows) if (r.registry_columns.length || r.tenant_like.some((c) => FOUND_BY_NAME.has(c))) owning.set(`${r.schema_name}.${r.table_name}`, r.registry_columns[0] ?? r.tenant_like[0]!);
  for (let grown = true; grown; ) {
    grown = false;
    for (const r of rows) {
      const name = `${r.schema_name}.${r.table_name}`;
      if (!owning.has(name) && !r.is_registry && r.parents.some((p) => owning.has(p.parent))) {
        owning.set(name, '');
        grown = true;
      }
    }
  }
  return owning;
}

/**
 * `profile check` on a schema-per-tenant database: classify every table (the registry;
 * shared tables holding tenant rows directly or through a parent; global tables; each table
 * of the tenant schemas, with how many schemas hold it) and report what would make an
 * erasure incomplete or fail: tenant-like columns without a foreign key, tenant schemas no
 * registry row names, registry rows without (or with the wrong) schema, references that
 * would block the erasure, foreign keys to the registry without an index, schema drift.
 */
export async function checkSchemaPerTenant(sql: Sql, storage: TenancyStrategy): Promise<ProfileCheckView> {
  const registry = `${storage.registry.schema}.${storage.registry.table}`;
  const [tenants, schemas] = await Promise.all([storage.listTenants(sql), query<{ schema_name: string; tables: number }>(sql, 'tenants/check-schemas')]);
  const registered = new Set(tenants.map((t) => t.schema));
  const orphans = schemas.filter((s) => !registered.has(s.schema_name) && looksLikeTenantSchema(storage, s.schema_name));
  const shared = schemas.filter((s) => !registered.has(s.schema_name) && !orphans.includes(s) && !POOL_SCHEMA.test(s.schema_name) && (!isReservedSchema(s.schema_name) || s.schema_name === 'public'));
  const [rows, perTenant] = await Promise.all([
    query<SharedRow>(sql, 'tenants/check-shared-tables', [registryName(storage.registry), storage.registry.key, shared.map((s) => s.schema_name), TENANT_LIKE.source]),
    query<{ table_name: string; schemas: number }>(sql, 'tenants/check-tenant-tables', [tenants.filter((t) => t.schemaExists && !storage.schemaMismatch(t)).map((t) => t.schema)]),
  ]);
  const owning = owningTables(rows);
  const classified = rows.map((r) => classifyShared(r, owning, registry));
  const schemasWithTables = tenants.filter((t) => t.schemaExists && !storage.schemaMismatch(t)).length;
  const tenantTables: CheckedTable[] = perTenant.map((t) => ({ table: `tenant_*.${t.table_name}`, class: 'tenant-schema', tenantColumn: null, ownerPath: '', reason: `the whole table is the tenant's (in ${t.schemas} of ${schemasWithTables} tenant schemas)` }));
  const drift = perTenant.filter((t) => t.schemas < schemasWithTables).map((t) => finding({ kind: 'tenant-schema-drift', severity: 'warning', table: `tenant_*.${t.table_name}`, columns: [], message: `${t.table_name} is in ${t.schemas} of ${schemasWithTables} tenant schemas: the others are at another migration version or were changed by hand.`, advice: 'See `tenantctl migrate status` and `tenantctl migrate verify`.' }));
  const tables = [...classified.map((c) => c.table), ...tenantTables];
  const findings = [...registryFindings(storage, tenants), ...orphanFindings(orphans, registry), ...classified.flatMap((c) => c.findings), ...drift];
  const byClass: Record<string, number> = {};
  for (const t of tables) byClass[t.class] = (byClass[t.class] ?? 0) + 1;
  return {
    classification: { schema: storage.registry.schema, registry: { table: registry, key: storage.registry.key }, tenants: { registered: tenants.length, withSchema: schemasWithTables }, tables },
    findings,
    summary: { tables: tables.length, byClass, errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length },
  };
}
