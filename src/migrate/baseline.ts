import { createScratch } from '../backup/scratch.js';
import type { ConnectionConfig } from '../db/config.js';
import { connect, type Pool, type Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';
import { schemaLockName } from '../tenancy/locks.js';
import type { Migration } from './files.js';
import { ensureBookkeeping } from './state.js';

/** One object of a schema's shape: a column (type + nullability) or an index definition. */
interface ShapeRow {
  kind: 'column' | 'index';
  table_name: string;
  name: string;
  definition: string;
}

/** Something the baseline creates that the live schema lacks or has differently. */
export interface ShapeDifference {
  kind: 'table' | 'column' | 'index';
  table: string;
  name?: string;
  expected: string;
  /** What the live schema has instead; null when it has nothing. */
  live: string | null;
}

/** What `migrate baseline` found, and whether it recorded the baseline. */
export interface BaselineReport {
  version: string;
  file: string;
  /** true when the baseline is (now, or already) recorded as applied. */
  ok: boolean;
  alreadyRecorded: boolean;
  checked: { tables: number; columns: number; indexes: number };
  differences: ShapeDifference[];
}

/**
 * Compare what the baseline creates (`expected`, read from a scratch database) with the live
 * schema. Only the baseline's own tables, columns and indexes count: the other tool's extra
 * objects (an `alembic_version` table, later columns) are not differences. Indexes compare by
 * definition, not by name. Pure.
 */
export function compareShapes(expected: ShapeRow[], live: ShapeRow[]): { differences: ShapeDifference[]; checked: BaselineReport['checked'] } {
  const differences: ShapeDifference[] = [];
  const liveTables = new Set(live.map((r) => r.table_name));
  const liveColumns = new Map(live.filter((r) => r.kind === 'column').map((r) => [`${r.table_name}.${r.name}`, r.definition]));
  const liveIndexes = new Set(live.filter((r) => r.kind === 'index').map((r) => `${r.table_name}:${r.definition}`));
  const tables = [...new Set(expected.map((r) => r.table_name))];
  for (const table of tables.filter((t) => !liveTables.has(t))) differences.push({ kind: 'table', table, expected: 'table', live: null });
  for (const row of expected.filter((r) => liveTables.has(r.table_name))) {
    if (row.kind === 'column') {
      const found = liveColumns.get(`${row.table_name}.${row.name}`) ?? null;
      if (found !== row.definition) differences.push({ kind: 'column', table: row.table_name, name: row.name, expected: row.definition, live: found });
    } else if (!liveIndexes.has(`${row.table_name}:${row.definition}`)) {
      differences.push({ kind: 'index', table: row.table_name, name: row.name, expected: row.definition, live: null });
    }
  }
  const count = (kind: string) => expected.filter((r) => r.kind === kind).length;
  return { differences, checked: { tables: tables.length, columns: count('column'), indexes: count('index') } };
}

/** Run the baseline's up section in a scratch database and read the shape it leaves. */
async function expectedShape(sql: Sql, live: ConnectionConfig, baseline: Migration, target: string): Promise<ShapeRow[]> {
  const scratch = await createScratch(sql, live, { purpose: 'the baseline check (the baseline migration runs there)', instead: 'run `migrate baseline` as a user that has it' });
  const scratchSql = connect(scratch.connection, { max: 1 });
  try {
    try {
      await scratchSql.unsafe(baseline.up.sql).simple();
    } catch (error) {
      throw new TenantctlError('BASELINE_DOES_NOT_RUN', `${baseline.path} fails on an empty database, so there is nothing to compare with: ${(error as Error).message}`, {
        hint: 'Fix the baseline migration so that it builds the schema from nothing; the live database was not changed.',
        details: { file: baseline.path },
        cause: error,
      });
    }
    return await query<ShapeRow>(scratchSql, 'migrate/catalog-shape', [target]);
  } finally {
    await scratchSql.end({ timeout: 5 });
    await scratch.drop();
  }
}

/**
 * `migrate baseline`: on a database built by another tool (dbmate, Alembic, by hand), record
 * the baseline migration as applied — only when the live shared target (`target`: the profile's
 * one shared schema, `public` for every built-in profile) has every table,
 * column (same type and nullability) and index the baseline would create. Otherwise nothing is
 * recorded and the differences are returned. Needs CREATEDB for the scratch database.
 */
export async function baselineDatabase(sql: Pool, live: ConnectionConfig, baseline: Migration, target: string): Promise<BaselineReport> {
  await ensureBookkeeping(sql);
  const base = { version: baseline.version, file: baseline.path };
  const [already] = (await sql`select exists (select 1 from tenantctl.schema_migrations where schema_name = ${target} and version = ${baseline.version}) as recorded`) as unknown as [{ recorded: boolean }];
  if (already.recorded) return { ...base, ok: true, alreadyRecorded: true, checked: { tables: 0, columns: 0, indexes: 0 }, differences: [] };
  const expected = await expectedShape(sql, live, baseline, target);
  const { differences, checked } = compareShapes(expected, await query<ShapeRow>(sql, 'migrate/catalog-shape', [target]));
  if (differences.length === 0) {
    await sql.begin(async (tx) => {
      await query(tx, 'migrate/adopt-record', [schemaLockName(target), target, 'shared', [baseline.version], [baseline.name], [baseline.checksum]]);
      await query(tx, 'migrate/record-state', [target, 'shared', 'ok', baseline.version, null]);
    });
  }
  return { ...base, ok: differences.length === 0, alreadyRecorded: false, checked, differences };
}
