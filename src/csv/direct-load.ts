import type { Tx } from '../db/connect.js';
import type { Readable } from 'node:stream';
import { isPgError } from '../errors.js';
import { mapHeader, readHeader, type Delimiter } from './header.js';
import type { ImportMode } from './apply.js';

import type { EntitySpec } from './spec.js';
import { copyRecords, delimiterOption } from './staging.js';
import { ownRows, writtenTenantColumn, type Scope } from './scope.js';
import { GateRefusal, ValueGate } from './value-gate.js';

/** What a direct load wrote. */
export interface DirectLoaded {
  /** Records read, all of them inserted. */
  rows: number;
  bytes: number;
}

export interface DirectOptions {
  entity: EntitySpec;
  scope: Scope;
  delimiter: Delimiter;
  where: string;
  onProgress?: (rows: number, bytes: number) => void;
}

/**
 * Whether the rows of this import are plain inserts: no lookups or child rows to resolve,
 * and nothing to update or delete (insert mode, or a table without rows).
 */
export async function directLoadApplies(tx: Tx, options: { entity: EntitySpec; scope: Scope; mode: ImportMode }): Promise<boolean> {
  const { entity, scope, mode } = options;
  if (entity.lookups?.length || entity.child || (entity.tenant && !writtenTenantColumn(entity))) return false;
  // A key unique across tenants needs the ownership check of the staged path.
  if (entity.globalUnique?.length) return false;
  if (mode === 'insert') return true;
  // Pooled: "empty" means the tenant has no rows; other tenants' rows are no concern of an insert.
  const [row] = await tx<{ empty: boolean }[]>`select not exists (select 1 from ${tx(scope.schema)}.${tx(entity.table)} t where ${ownRows(tx, entity, scope, 't')}) as empty`;
  return Boolean(row?.empty);
}

/**
 * The fast path of an import that only inserts: the file streams through the scanner and
 * the value gate straight into `COPY` on the tenant's table, inside a savepoint. The
 * staged path pays for a second write (COPY into staging, then INSERT … SELECT, which
 * PostgreSQL runs a row at a time); this one is one COPY, as fast as psql's.
 *
 * Returns undefined, with nothing written, whenever the staged path must decide instead:
 * a record the scanner rejects, a value the gate cannot vouch for, or any refusal by the
 * server (a duplicate key, a bad date or JSON, a too-large number). The staged path then
 * reads the file again and reports every problem with its line. `open` must therefore
 * give the same bytes each time (a file; standard input is spooled to one first). Call it
 * only where `directLoadApplies`.
 */
export async function loadDirect(tx: Tx, open: () => Readable, options: DirectOptions): Promise<DirectLoaded | undefined> {
  const { entity, scope, delimiter, where } = options;
  const input = open();
  try {
    return await tx.savepoint(async (sp) => {
      const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const header = await readHeader(chunks, delimiter, where);
      const map = mapHeader(entity, header.names, where);
      // A generated column in the file (a re-imported export) cannot go through COPY: the staged path ignores it.
      if (map.columns.some((c) => c.exportOnly)) throw new GateRefusal(map.columns.find((c) => c.exportOnly)!.csv);
      // Pooled: every record gets the tenant's id as a last field, for the tenant column.
      const tenantColumn = writtenTenantColumn(entity);
      const suffix = tenantColumn ? Buffer.from(`${delimiter}${scope.tenantId}`, 'utf8') : undefined;
      const gate = new ValueGate({ columns: map.columns, delimiter: delimiter.charCodeAt(0), eol: header.eol, suffix });
      const columns = [...map.columns.map((c) => c.column), ...(tenantColumn ? [tenantColumn] : [])];
      const scanner = await copyRecords(sp`copy ${sp(scope.schema)}.${sp(entity.table)} (${sp(columns)}) from stdin with (format csv, ${delimiterOption(sp, delimiter)}, encoding 'UTF8')`, chunks, header, {
        delimiter,
        onReject: () => gate.destroy(new GateRefusal('(a malformed record)')),
        onProgress: options.onProgress,
        gate,
      });
      return { rows: scanner.records, bytes: header.bytes + scanner.bytes };
    });
  } catch (error) {
    if (error instanceof GateRefusal || isPgError(error)) return undefined;
    throw error;
  } finally {
    input.destroy();
  }
}
