import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { usageError } from '../errors.js';
import { loadMigrations } from '../migrate/files.js';
import type { TenantSource } from '../migrate/state.js';
import { detectCitus } from './detect.js';
import { pooledFindings, type PooledTable } from './pooled-check.js';
import { migrationFindings, schemaFindings, type MigrationFinding, type SchemaFinding } from './schema-check.js';

/** One tenant schema's readiness. */
export interface SchemaReadiness {
  slug: string;
  schema: string;
  distributed: boolean;
  blockers: SchemaFinding[];
  caveats: SchemaFinding[];
}

/** What `citus check` found. */
export interface CitusCheckReport {
  citus: { version: string; workers: string[] } | null;
  mode: 'schema-per-tenant' | 'pooled';
  schemas: SchemaReadiness[];
  /** Shared tables of the public schema: reference tables already, or candidates. */
  sharedTables: { table: string; reference: boolean }[];
  migrations: MigrationFinding[];
  pooled: { schema: string; registry: string; tables: PooledTable[] } | null;
  /** Schemas with blockers (schema mode) or tables needing changes (pooled). */
  problems: number;
}

async function referenceTables(sql: Sql, onCitus: boolean): Promise<Set<string>> {
  if (!onCitus) return new Set();
  return new Set((await query<{ table_name: string }>(sql, 'citus/reference-tables')).map((r) => r.table_name));
}

async function distributedSchemas(sql: Sql, onCitus: boolean): Promise<Set<string>> {
  if (!onCitus) return new Set();
  return new Set((await query<{ schema_name: string }>(sql, 'citus/distributed-schemas')).map((r) => r.schema_name));
}

/**
 * Every registered tenant schema with what blocks it from becoming a distributed schema.
 * @param assumeReference tables to count as reference tables already (a dry run's forecast) @default none
 */
export async function schemaReadiness(sql: Sql, onCitus: boolean, targets: TenantSource, assumeReference: readonly string[] = []): Promise<SchemaReadiness[]> {
  const refs = new Set([...(await referenceTables(sql, onCitus)), ...assumeReference]);
  const distributed = await distributedSchemas(sql, onCitus);
  const tenants = (await targets.listTenants(sql)).filter((t) => t.schemaExists);
  const out: SchemaReadiness[] = [];
  for (const t of tenants) {
    const findings = await schemaFindings(sql, t.schema, refs);
    out.push({ slug: t.slug, schema: t.schema, distributed: distributed.has(t.schema), blockers: findings.filter((f) => f.blocks), caveats: findings.filter((f) => !f.blocks) });
  }
  return out;
}

/**
 * --schema and --registry name things that exist: a tenant table that is not there would make
 * every table look global ("nothing blocks").
 */
async function assertPooledNames(sql: Sql, schema: string, registry: string | undefined): Promise<void> {
  const [found] = await query<{ schema: boolean; registry: boolean }>(sql, 'citus/pooled-names', [schema, registry ?? null]);
  if (!found?.schema) throw usageError(`--schema ${schema}: no such schema in this database.`, 'Name the schema that holds the pooled tables (default: public).');
  if (registry !== undefined && !found.registry) throw usageError(`--registry ${registry}: no table ${schema}.${registry} in this database.`, `Name the tenant table of schema ${schema} (the table the tenant columns point at), or leave --registry out to have it found.`);
}

/**
 * Read-only: for a schema-per-tenant database, what blocks each tenant schema from becoming
 * a distributed schema and which shared tables would become reference tables; for a pooled
 * database (no tenant schemas, or `pooledSchema` given), what distributing its tables by the
 * tenant column would need. Works on plain PostgreSQL too (planning a move to Citus).
 */
export async function citusCheck(sql: Sql, targets: TenantSource, options: { pooledSchema?: string; registry?: string; migrationsDir?: string } = {}): Promise<CitusCheckReport> {
  const info = await detectCitus(sql);
  const citus = info ? { version: info.version, workers: info.workers.map((w) => w.address) } : null;
  const schemas = options.pooledSchema ? [] : await schemaReadiness(sql, info !== null, targets);
  if (schemas.length > 0) {
    const refs = await referenceTables(sql, info !== null);
    const shared = await query<{ table_name: string }>(sql, 'tenants/schema-tables', ['public']);
    const migrations = options.migrationsDir ? migrationFindings(await loadMigrations(options.migrationsDir, 'tenant')) : [];
    return {
      citus, mode: 'schema-per-tenant', schemas, migrations, pooled: null,
      sharedTables: shared.map((r) => ({ table: `public.${r.table_name}`, reference: refs.has(r.table_name) || refs.has(`public.${r.table_name}`) })),
      problems: schemas.filter((s) => s.blockers.length > 0).length,
    };
  }
  const schema = options.pooledSchema ?? 'public';
  await assertPooledNames(sql, schema, options.registry);
  const registry = options.registry ?? (await query<{ table_name: string }>(sql, 'citus/registry-guess', [schema]))[0]?.table_name;
  if (!registry) throw usageError(`No tenant schemas are registered and no tenant table could be found in schema ${schema}.`, 'Name the tenant table with --registry <table> (and the schema with --schema).');
  const tables = await pooledFindings(sql, schema, registry);
  return {
    citus, mode: 'pooled', schemas: [], sharedTables: [], migrations: [],
    pooled: { schema, registry, tables },
    problems: tables.filter((t) => (t.role === 'direct' || t.role === 'indirect') && t.needs.length > 0).length,
  };
}
