import type { Pool, Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import type { LockSettings, SchemaWeight } from './chunks.js';
import { tenantsWithVersions, type RegisteredTenant } from './tenant-registry.js';

/** What the live database looks like inside the exported snapshot. */
export interface SnapshotCatalog {
  snapshot: string;
  at: Date;
  schemas: SchemaWeight[];
  extensionSchemas: string[];
  tenants: RegisteredTenant[];
  /** `schema.name` → storage file and columns of every table and sequence, as the snapshot sees them. */
  filenodes: Map<string, RelationState>;
}

/** Server facts a backup records and sizes its chunks by. */
export interface ServerFacts extends LockSettings {
  serverVersion: string;
  serverVersionNum: number;
  database: string;
}

/** Version, database name, lock-table settings of the server and the lock entries in use now. */
export async function serverFacts(sql: Sql): Promise<ServerFacts> {
  const [row] = await query<{
    max_locks_per_transaction: number;
    max_connections: number;
    max_prepared_transactions: number;
    other_backends: number;
    locks_held: number;
    server_version: string;
    server_version_num: number;
    database: string;
  }>(sql, 'backup/lock-settings');
  return {
    maxLocksPerTransaction: row!.max_locks_per_transaction,
    maxConnections: row!.max_connections,
    maxPreparedTransactions: row!.max_prepared_transactions,
    otherBackends: row!.other_backends,
    locksHeld: row!.locks_held,
    serverVersion: row!.server_version,
    serverVersionNum: row!.server_version_num,
    database: row!.database,
  };
}

/** What of a relation a dump and its checksums depend on: its storage file and its row type. */
export interface RelationState {
  /** pg_class.relfilenode: a rewrite (or TRUNCATE, a sequence RESTART) changes it. */
  relfilenode: string;
  /** Name and type of each live column, in order: ADD / DROP COLUMN changes it. */
  columns: string;
}

/** Storage file and columns of every table, partition and sequence of `schemas`, keyed `schema.name`. */
export async function tableFilenodes(sql: Sql, schemas: readonly string[]): Promise<Map<string, RelationState>> {
  const rows = await query<{ schema: string; table: string } & RelationState>(sql, 'backup/table-filenodes', [schemas as string[]]);
  return new Map(rows.map((r) => [`${r.schema}.${r.table}`, { relfilenode: r.relfilenode, columns: r.columns }]));
}

/** The cluster's system identifier, or null when this user may not read pg_control_system(). */
export async function systemIdentifier(sql: Sql): Promise<string | null> {
  try {
    const [row] = await query<{ system_identifier: string }>(sql, 'backup/system-identity');
    return row?.system_identifier ?? null;
  } catch {
    return null;
  }
}

/**
 * Open a REPEATABLE READ transaction, export its snapshot and read the catalog and the
 * tenants inside it, then run `work` while the transaction (and so the snapshot) stays
 * open. This transaction reads only catalogs, the profile's registry of schema-owning tenants
 * (`registry`; none for pooled) and tenantctl.schema_migrations: it must not lock the tenant tables, or it alone would
 * overflow the lock table on a large fleet. What the snapshot does not protect (a table
 * rewritten or its columns changed after it) is caught by comparing `filenodes` after each chunk.
 */
export async function withExportedSnapshot<T>(sql: Pool, registry: RegistrySpec | undefined, work: (catalog: SnapshotCatalog) => Promise<T>): Promise<T> {
  return (await sql.begin('isolation level repeatable read read only', async (t) => {
    await query(t, 'backup/backup-session-timeouts');
    const [exported] = await query<{ snapshot: string; at: Date }>(t, 'backup/export-snapshot');
    const schemas = await query<{ schema: string; relations: number; bytes: string }>(t, 'backup/list-schemas');
    const extensionSchemas = (await query<{ schema: string }>(t, 'backup/extension-schemas')).map((r) => r.schema);
    const tenants = (await tenantsWithVersions(t, registry)) ?? [];
    const nodes = await tableFilenodes(t, schemas.map((s) => s.schema));
    return work({ snapshot: exported!.snapshot, at: exported!.at, schemas, extensionSchemas, tenants, filenodes: nodes });
  })) as T;
}
