import type { ConnectionConfig } from '../../db/config.js';
import { connect, type Sql } from '../../db/connect.js';
import { classify, withRowSecurityOff, type PooledDeclarations } from '../../pooled/index.js';
import { schemaOf } from '../../pooled/declarations.js';
import type { Fault } from '../log.js';
import { rowsPerTenant, tenantTables, type PooledTableEntry, type PooledTenantRows } from './counts.js';
import { BACKUP_SESSION_SETTINGS } from '../session-settings.js';

/**
 * What a backup of a pooled database adds to its manifest: the profile and its declarations
 * (so verify and restore-tenant read the backup with the rules it was taken with, not with
 * whatever the checkout has since), the tables holding tenant rows in insert order, and
 * every organization's rows per table, counted in the backup's snapshot.
 */
export interface PooledManifest {
  profile: string;
  schema: string;
  declarations: PooledDeclarations;
  tables: PooledTableEntry[];
  tenants: PooledTenantRows[];
}

/** A snapshot id as PostgreSQL exports it, checked before it is spliced into SET TRANSACTION SNAPSHOT (no bind parameters there). */
function snapshotLiteral(id: string): string {
  if (!/^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i.test(id)) throw new Error(`unexpected snapshot id ${JSON.stringify(id)}`);
  return `'${id}'`;
}

/**
 * Count every organization's rows per table in the exported snapshot `snapshot` (the one
 * pg_dump reads), on a session of its own: the counts describe exactly what the dump holds.
 */
export async function pooledSection(connection: ConnectionConfig, snapshot: string, profile: { name: string; pooled: PooledDeclarations }): Promise<PooledManifest> {
  const sql = connect(connection, { max: 1, rowSecurity: false, settings: BACKUP_SESSION_SETTINGS });
  try {
    return (await sql.begin('isolation level repeatable read read only', async (tx) => {
      await tx.unsafe(`set transaction snapshot ${snapshotLiteral(snapshot)}`);
      return withRowSecurityOff(tx, async (t) => {
        const decl = profile.pooled;
        const cls = await classify(t, decl);
        return { profile: profile.name, schema: schemaOf(decl), declarations: decl, tables: tenantTables(cls, decl), tenants: await rowsPerTenant(t, decl, cls) };
      });
    })) as PooledManifest;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The same counts in a restored copy (verify), with the backup's own declarations. */
export async function restoredRows(sql: Sql, pooled: PooledManifest): Promise<PooledTenantRows[]> {
  return withRowSecurityOff(sql, async (t) => rowsPerTenant(t, pooled.declarations, await classify(t, pooled.declarations)));
}

/**
 * Every organization's rows per table in the restored copy against the manifest (pure): an
 * organization missing or extra, or a table whose count differs, is a fault naming both.
 */
export function comparePooledRows(expected: readonly PooledTenantRows[], actual: readonly PooledTenantRows[]): Fault[] {
  const faults: Fault[] = [];
  const found = new Map(actual.map((t) => [t.id, t]));
  for (const want of expected) {
    const got = found.get(want.id);
    found.delete(want.id);
    if (!got) {
      faults.push({ check: 'tenant-rows', object: want.handle, message: `organization ${want.handle} (${want.id}) is missing from the restored copy` });
      continue;
    }
    for (const table of new Set([...Object.keys(want.rows), ...Object.keys(got.rows)])) {
      const [w, g] = [want.rows[table] ?? 0, got.rows[table] ?? 0];
      if (w !== g) faults.push({ check: 'tenant-rows', object: `${want.handle}.${table}`, message: `organization ${want.handle} has ${g} row(s) in ${table} in the restored copy, the manifest says ${w}` });
    }
  }
  for (const extra of found.values()) faults.push({ check: 'tenant-rows', object: extra.handle, message: `organization ${extra.handle} (${extra.id}) is in the restored copy but not in the manifest` });
  return faults;
}
