import type { Sql } from '../db/connect.js';
import { ensureTables } from '../db/bootstrap.js';
import { query } from '../db/queries.js';
import { expectedSchema } from '../tenancy/schema-guard.js';
import type { TenancyStrategy, TenantRef } from '../tenancy/strategy.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import type { Migration, MigrationScope } from './files.js';

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

/** The whole fleet in three queries, whatever the number of tenants. */
export interface FleetState {
  shared: SchemaState;
  /** The registry naming the tenant schemas (schema per tenant); none for a pooled profile. */
  registry?: RegistrySpec;
  tenants: (TenantRef & SchemaState & { mismatch?: SchemaMismatch })[];
}

/** Create tenantctl's bookkeeping tables once. */
export async function ensureBookkeeping(sql: Sql): Promise<void> {
  await ensureTables(sql, 'tenantctl.schema_state', 'migrate/bootstrap');
}

async function scopeState(sql: Sql, scope: MigrationScope, files: Migration[]): Promise<Map<string, SchemaState>> {
  const applied = await query<{ schema_name: string; versions: string[]; drifted: string[] }>(sql, 'migrate/applied-by-schema', [
    scope,
    files.map((f) => f.version),
    files.map((f) => f.checksum),
  ]);
  const failed = await query<{ schema_name: string; error: RecordedFailure | null; updated_at: Date }>(sql, 'migrate/schema-state', [scope]);
  const states = new Map<string, SchemaState>();
  for (const row of applied) states.set(row.schema_name, { schema: row.schema_name, applied: row.versions, drifted: row.drifted });
  for (const row of failed) {
    const state = states.get(row.schema_name) ?? { schema: row.schema_name, applied: [], drifted: [] };
    state.failure = { ...(row.error ?? { message: 'failed' }), at: row.updated_at.toISOString() };
    states.set(row.schema_name, state);
  }
  return states;
}

/** Where the tenant targets come from: the strategy's list (schema per tenant), or none (one pooled target). */
export type TenantSource = Pick<TenancyStrategy, 'listTenants' | 'schemaMismatch' | 'schemaFor'> & { readonly registry?: RegistrySpec };

/**
 * Read where the shared target (the `public` schema, or a pooled profile's one schema) and
 * every tenant schema stand.
 */
export async function readFleetState(sql: Sql, tenancy: TenantSource, migrations: { shared: Migration[]; tenant: Migration[] }, sharedSchema = 'public'): Promise<FleetState> {
  await ensureBookkeeping(sql);
  const [shared, tenantStates, tenants] = await Promise.all([
    scopeState(sql, 'shared', migrations.shared),
    scopeState(sql, 'tenant', migrations.tenant),
    tenancy.listTenants(sql),
  ]);
  return {
    shared: shared.get(sharedSchema) ?? { schema: sharedSchema, applied: [], drifted: [] },
    registry: tenancy.registry,
    tenants: tenants.map((t) => {
      const reason = tenancy.schemaMismatch(t);
      const state = tenantStates.get(t.schema) ?? { schema: t.schema, applied: [], drifted: [] };
      return reason ? { ...t, ...state, mismatch: { reason, expected: expectedSchema(tenancy, t.slug) } } : { ...t, ...state };
    }),
  };
}
