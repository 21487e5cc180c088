import type { Pool, Sql } from '../db/connect.js';
import { ensureAll, type Bootstrap } from '../db/bootstrap.js';
import { query, registryName, registryQuery } from '../db/queries.js';
import { expectedSchema } from '../tenancy/schema-guard.js';
import type { TenancyStrategy, TenantRef } from '../tenancy/strategy.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import type { Migration } from './files.js';

/** Where a failed schema stopped, as recorded in tenantctl.schema_state. */
export interface RecordedFailure {
  file?: string;
  version?: string;
  line?: number;
  column?: number;
  message: string;
  code?: string;
}

/** What the database says about one schema. */
export interface SchemaState {
  schema: string;
  applied: string[];
  /** Applied versions whose file has changed since (checksum drift). */
  drifted: string[];
  failure?: RecordedFailure & { at: string };
}

/** A registry row whose schema is not the tenant's own (schema-guard.ts): never migrated. */
export interface SchemaMismatch {
  reason: string;
  expected: string;
}

/** The whole fleet in two statements, whatever the number of tenants. */
export interface FleetState {
  shared: SchemaState;
  /** The registry naming the tenant schemas (schema per tenant); none for a pooled profile. */
  registry?: RegistrySpec;
  /** Every tenant, or (read with `countCurrent`) every tenant that is not current. */
  tenants: (TenantRef & SchemaState & { mismatch?: SchemaMismatch })[];
  /**
   * Tenants counted, not listed: each has its own schema and exactly the tenant files here
   * applied (same checksums), and its last run did not fail. @default 0
   */
  current?: number;
}

/**
 * tenantctl's bookkeeping (schema_migrations, schema_state …), made by one script when any of
 * these is missing: schema_state, which a migration can drop like any table, and the index the
 * script creates last, so that a database bootstrapped before that index existed gets it.
 */
export const BOOKKEEPING: readonly Bootstrap[] = [
  { relation: 'tenantctl.schema_state', script: 'migrate/bootstrap' },
  { relation: 'tenantctl.schema_migrations_scope_version', script: 'migrate/bootstrap' },
];

/** Create tenantctl's bookkeeping tables once. */
export async function ensureBookkeeping(sql: Pool): Promise<void> {
  await ensureAll(sql, BOOKKEEPING);
}

/** Where the tenant targets come from: the strategy's list (schema per tenant), or none (one pooled target). */
export type TenantSource = Pick<TenancyStrategy, 'listTenants' | 'schemaMismatch' | 'schemaFor' | 'schemaPrefix'> & { readonly registry?: RegistrySpec };

/** How much of the fleet to read. */
export interface FleetReadOptions {
  /** Only these tenants (handles). @default every tenant */
  only?: readonly string[];
  /**
   * Count current tenants instead of listing them (FleetState.current): what status, a
   * no-op `up` and `verify` need, at the cost of one row for the whole current fleet.
   * @default false
   */
  countCurrent?: boolean;
}

const failureOf = (error: RecordedFailure | null, at: Date | null): SchemaState['failure'] =>
  at ? { ...(error ?? { message: 'failed' }), at: at.toISOString() } : undefined;

async function sharedState(sql: Sql, schema: string, files: Migration[]): Promise<SchemaState> {
  const [row] = await query<{ versions: string[]; drifted: string[]; error: RecordedFailure | null; failed_at: Date | null }>(sql, 'migrate/shared-state', [schema, files.map((f) => f.version), files.map((f) => f.checksum)]);
  const failure = failureOf(row!.error, row!.failed_at);
  return { schema, applied: row!.versions, drifted: row!.drifted, ...(failure ? { failure } : {}) };
}

interface TenantRow { kind: 'tenant' | 'current'; id: string; slug: string; schema_name: string; status: string; schema_exists: boolean; versions: string[]; drifted: string[]; error: RecordedFailure | null; failed_at: Date | null; current: number }

/** Every tenant's registry row, schema and bookkeeping, in one statement (migrate/tenant-state.sql). */
async function tenantStates(sql: Sql, tenancy: TenantSource, registry: RegistrySpec, files: Migration[], options: FleetReadOptions): Promise<Pick<FleetState, 'tenants' | 'current'>> {
  const [{ present }] = (await sql`select to_regclass(${registryName(registry)}) is not null as present`) as unknown as [{ present: boolean }];
  if (!present) return { tenants: [], current: 0 };
  const rows = await registryQuery<TenantRow>(sql, 'migrate/tenant-state', registry, [
    files.map((f) => f.version),
    files.map((f) => f.checksum),
    tenancy.schemaPrefix ?? null,
    options.only ? [...options.only] : null,
    options.countCurrent ?? false,
  ]);
  const tenants: FleetState['tenants'] = [];
  let current = 0;
  for (const r of rows) {
    if (r.kind === 'current') {
      current += r.current;
      continue;
    }
    const tenant = { id: r.id, slug: r.slug, schema: r.schema_name, status: r.status, schemaExists: r.schema_exists };
    const failure = failureOf(r.error, r.failed_at);
    const state = { ...tenant, applied: r.versions, drifted: r.drifted, ...(failure ? { failure } : {}) };
    const reason = tenancy.schemaMismatch(tenant);
    tenants.push(reason ? { ...state, mismatch: { reason, expected: expectedSchema(tenancy, r.slug) } } : state);
  }
  return { tenants, current };
}

/**
 * Read where the shared target (the `public` schema, or a pooled profile's one schema) and
 * every tenant schema stand: two statements on one connection, never one per schema.
 */
export async function readFleetState(sql: Pool, tenancy: TenantSource, migrations: { shared: Migration[]; tenant: Migration[] }, sharedSchema = 'public', options: FleetReadOptions = {}): Promise<FleetState> {
  await ensureBookkeeping(sql);
  // One after the other on purpose: side by side, the pool would open a second connection,
  // which costs more than the round trip it saves.
  const shared = await sharedState(sql, sharedSchema, migrations.shared);
  const registry = tenancy.registry?.targetColumn ? tenancy.registry : undefined;
  if (!registry) {
    // Pooled: no tenant schemas (the strategy lists none).
    const tenants = (await tenancy.listTenants(sql)).map((t) => ({ ...t, applied: [], drifted: [] }));
    return { shared, registry: tenancy.registry, tenants, current: 0 };
  }
  return { shared, registry, ...(await tenantStates(sql, tenancy, registry, migrations.tenant, options)) };
}
