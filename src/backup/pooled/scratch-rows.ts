import { join } from 'node:path';
import type { ConnectionConfig } from '../../db/config.js';
import { connect, type Pool } from '../../db/connect.js';
import { query } from '../../db/queries.js';
import { TenantctlError } from '../../errors.js';
import { classify, linkChain, tenantRowSets, withRowSecurityOff, type Classification, type PooledDeclarations } from '../../pooled/index.js';
import type { Manifest } from '../manifest.js';
import { restoreChunk } from '../restored-copy.js';
import type { PgTool } from '../tools.js';
import { dataEntries, streamData, type DataEntry } from './archive-data.js';
import { keepingReader, type FilterTarget } from './row-filter.js';
import { repointReader, repointRules, type RepointTarget } from './repointed.js';
import type { PooledManifest } from './section.js';

/** The schema of the scratch copy that holds the organization's rows, one table per table. */
export const ROWS_SCHEMA = 'tenantctl_rows';

/** One table's rows of the organization, set aside in the scratch copy. */
export interface ScratchRows {
  table: string;
  /** Its name in ROWS_SCHEMA (r0, r1 …: table names may be long). */
  name: string;
  /** The columns as the backup has them, in order (generated columns left out: the database computes them). */
  columns: string[];
  rows: number;
}

/** The scratch copy with the organization's rows set aside, and the classification of the backup's schema. */
export interface ScratchCopy {
  sql: Pool;
  cls: Classification;
  /** Parents first: the order the rows are inserted in. */
  tables: ScratchRows[];
  /** Other organizations' rows pointing at the organization's rows through a rule its erasure re-points at the placeholder (repointed.ts). */
  repointed: ScratchRows[];
}

/** `repointed`: also set aside the rows of setAsideRepointed (a restore as itself; a copy changes no other organization's rows). */
type Run = { env: NodeJS.ProcessEnv; signal?: AbortSignal; keysInMemory?: number; repointed?: boolean };

/**
 * The order rows can be kept in: a table after the tables its rows' ownership is decided by
 * (an indirect table after its owner link's parent and fallback, a shared person after the
 * membership table). Not the insert order: Prometric users are inserted before employees but
 * kept after them.
 */
export function keepOrder(cls: Classification, decl: PooledDeclarations, tables: readonly string[]): string[] {
  const byName = new Map(cls.tables.map((t) => [t.table, t]));
  const needs = (table: string): string[] => {
    const t = byName.get(table)!;
    if (t.class === 'shared-identity') return decl.sharedIdentity ? [decl.sharedIdentity.membership.table] : [];
    return (t.owner ? linkChain(t.owner) : []).map((l) => l.parent).filter((p) => p !== table);
  };
  const order: string[] = [];
  const pending = new Set(tables);
  while (pending.size) {
    const ready = [...pending].filter((t) => needs(t).every((p) => !pending.has(p)));
    if (!ready.length) throw new TenantctlError('RESTORE_CYCLE', `The owner paths of ${[...pending].join(', ')} lead to each other: no order keeps their rows. Nothing was changed.`, { details: { tables: [...pending] } });
    for (const t of ready) { order.push(t); pending.delete(t); }
  }
  return order;
}

/**
 * The archive's TABLE DATA entries of every table, in keep order (a partitioned table's
 * leaves together), and which table each leaf's rows belong to.
 */
async function wantedEntries(sql: Pool, pgRestore: PgTool, archive: string, schema: string, order: readonly string[], run: Run) {
  const leaves = await query<{ table_name: string; data_schema: string; data_table: string }>(sql, 'backup-pooled/data-tables', [schema]);
  const find = await dataEntries(pgRestore, archive, run);
  const entries: DataEntry[] = [];
  const tableOf = new Map<string, string>();
  for (const table of order) {
    for (const leaf of leaves.filter((l) => l.table_name === table)) {
      const entry = find(leaf.data_schema, leaf.data_table);
      if (!entry) {
        throw new TenantctlError('BACKUP_DAMAGED', `${archive} has no data for ${leaf.data_schema}.${leaf.data_table} (rows of ${table}). Nothing was changed.`, { hint: 'Run tenantctl backup verify on the backup; restore from one that passes.', details: { table, data: `${leaf.data_schema}.${leaf.data_table}` } });
      }
      entries.push(entry);
      tableOf.set(`${leaf.data_schema}.${leaf.data_table}`, table);
    }
  }
  return { entries, tableOf };
}

/**
 * A second pass over the archive, for the tables of the erasure's repoint rules only: the
 * other organizations' rows pointing at the organization's kept rows through one of them
 * (repointed.ts), set aside beside its own so that a restore as itself can take back what
 * its erasure re-pointed at the placeholder. Nothing for a profile without a placeholder.
 */
async function setAsideRepointed(sql: Pool, pgRestore: PgTool, archive: string, pooled: PooledManifest, cls: Classification, kept: ReadonlyMap<string, FilterTarget>, run: Run): Promise<ScratchRows[]> {
  const rules = repointRules(cls, pooled.declarations).filter((r) => kept.has(r.parent));
  const tables = [...new Set(rules.map((r) => r.table))];
  if (!tables.length) return [];
  const targets = new Map<string, RepointTarget>();
  const out: ScratchRows[] = [];
  for (const [i, table] of tables.entries()) {
    const pk = cls.catalog.tables.find((x) => x.name === table)!.primaryKey;
    const points = rules.filter((r) => r.table === table).map((r) => sql`(${sql(r.columns)}) in (select ${sql(r.parentColumns)} from ${sql(ROWS_SCHEMA)}.${sql(kept.get(r.parent)!.name)})`);
    const own = kept.get(table);
    const notOwn = own && pk.length ? sql` and (${sql(pk)}) not in (select ${sql(pk)} from ${sql(ROWS_SCHEMA)}.${sql(own.name)})` : sql``;
    const target = { table, name: `q${i}`, raw: `q${i}_raw`, rows: 0, keep: sql`(${points.map((p, k) => (k === 0 ? p : sql` or ${p}`))})${notOwn}` };
    for (const name of [target.name, target.raw]) await sql`create unlogged table ${sql(ROWS_SCHEMA)}.${sql(name)} as select * from ${sql(pooled.schema)}.${sql(table)} with no data`;
    targets.set(table, target);
    out.push({ table, name: target.name, columns: cls.catalog.tables.find((x) => x.name === table)!.columns.filter((c) => !c.generated).map((c) => c.name), rows: 0 });
  }
  const { entries, tableOf } = await wantedEntries(sql, pgRestore, archive, pooled.schema, tables, run);
  await streamData(pgRestore, archive, entries, repointReader(sql, ROWS_SCHEMA, targets, (b) => tableOf.get(`${b.schema}.${b.table}`)!), run);
  for (const t of out) t.rows = targets.get(t.table)!.rows;
  return out;
}

/**
 * Read one organization's rows out of a backup without restoring the rest: the pooled
 * schema's definitions (no data) go into the scratch database, so that the backup is
 * classified with its own schema and declarations; then the archive's table data streams
 * through once (pg_restore -L, only the tables holding tenant rows) and only the
 * organization's rows are kept, in unlogged tables of ROWS_SCHEMA (the pooled engine's row
 * sets: by tenant column, owner path, or membership). Disk and memory grow with the
 * organization, not with the database. The caller ends `sql`.
 */
export async function setAsideRows(
  tools: { pgRestore: PgTool },
  backupPath: string,
  manifest: Manifest & { pooled: PooledManifest },
  tenantId: string,
  scratch: ConnectionConfig,
  run: Run,
): Promise<ScratchCopy> {
  const pooled = manifest.pooled;
  const home = manifest.chunks.find((c) => c.kind === 'schemas' && c.schemas.includes(pooled.schema)) ?? manifest.chunks.find((c) => c.kind === 'base')!;
  const chunks = manifest.chunks.filter((c) => c.kind === 'base' || c === home);
  for (const chunk of chunks) await restoreChunk(tools.pgRestore, backupPath, chunk, scratch, { jobs: 1, env: run.env, signal: run.signal, extraArgs: ['--schema-only'] });
  const sql = connect(scratch, { max: 1, rowSecurity: false });
  try {
    const cls = await withRowSecurityOff(sql, async (tx) => classify(tx, pooled.declarations));
    const inserted = tenantRowSets(sql, pooled.declarations, cls, tenantId).map((set) => set.table);
    const order = keepOrder(cls, pooled.declarations, inserted);
    await sql`create schema ${sql(ROWS_SCHEMA)}`;
    const targets = new Map<string, FilterTarget>();
    const tables: ScratchRows[] = [];
    for (const [i, table] of inserted.entries()) {
      const target = { table, name: `r${i}`, raw: `r${i}_raw`, rows: 0 };
      // CREATE TABLE AS … WITH NO DATA: the columns and types, no constraints (a generated
      // column is not dumped, so it arrives NULL) and no triggers.
      for (const name of [target.name, target.raw]) await sql`create unlogged table ${sql(ROWS_SCHEMA)}.${sql(name)} as select * from ${sql(pooled.schema)}.${sql(table)} with no data`;
      targets.set(table, target);
      const columns = cls.catalog.tables.find((x) => x.name === table)!.columns.filter((c) => !c.generated).map((c) => c.name);
      tables.push({ table, name: target.name, columns, rows: 0 });
    }
    const archive = join(backupPath, home.path);
    const { entries, tableOf } = await wantedEntries(sql, tools.pgRestore, archive, pooled.schema, order, run);
    const reader = keepingReader(sql, cls, pooled.declarations.sharedIdentity, ROWS_SCHEMA, targets, (b) => tableOf.get(`${b.schema}.${b.table}`)!, tenantId, run.keysInMemory);
    await streamData(tools.pgRestore, archive, entries, reader, run);
    for (const t of tables) t.rows = targets.get(t.table)!.rows;
    const repointed = run.repointed ? await setAsideRepointed(sql, tools.pgRestore, archive, pooled, cls, targets, run) : [];
    return { sql, cls, tables, repointed };
  } catch (error) {
    await sql.end({ timeout: 5 });
    throw error;
  }
}
