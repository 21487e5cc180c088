import { isPgError, TenantctlError, type PgError } from '../errors.js';
import type { EntitySpec } from './spec.js';
import type { TenantTarget } from './tenant.js';

/**
 * A worker's refusal relayed by a Citus coordinator. Citus writes rows into a distributed
 * table's shards with COPY and re-raises a worker's COPY error with its message and detail
 * but not its SQLSTATE (`ReportCopyError`), so a duplicate key arrives as XX000. It may
 * therefore be any constraint: the caller's validation decides, and when that finds
 * nothing, the error is reported as it came.
 */
function isCodelessRelay(error: unknown): boolean {
  return isPgError(error) && error.code === 'XX000';
}

/** A natural key twice in the file (21000) or already present in insert mode (23505). */
export function isKeyConflict(error: unknown): boolean {
  return isPgError(error) && (error.code === '21000' || error.code === '23505' || isCodelessRelay(error));
}

/** Errors that mean "a value or key in the file is wrong" (data exceptions, constraints). */
export function isDataError(error: unknown): boolean {
  return isPgError(error) && (error.code.startsWith('22') || error.code.startsWith('23') || error.code === '21000' || isCodelessRelay(error));
}

/**
 * A worker's error relayed by a Citus coordinator (its context: "while executing command on
 * host:port") names shards, `<table>_<shardid>`, and has no table field: say the tables.
 * Only such an error is rewritten, so a table of one's own named `orders_2024` stays whole.
 */
function shardsAsTables(error: PgError): { message: string; detail?: string; table?: string } {
  if (!/while executing command on /.test(error.where ?? '')) return { message: error.message, detail: error.detail, table: error.table_name };
  const plain = (text: string) => text.replace(/"([^"]+)_\d+"/g, '"$1"');
  const detail = error.detail === undefined ? undefined : plain(error.detail);
  return { message: plain(error.message), detail, table: error.table_name ?? /referenced from table "([^"]+)"/.exec(detail ?? '')?.[1] };
}

/** Database refusals while writing, in words that say what to do. */
export function explainApplyError(error: unknown, entity: EntitySpec, tenant: TenantTarget): unknown {
  if (!isPgError(error)) return error;
  const said = shardsAsTables(error);
  const where = `${tenant.schema}.${said.table ?? entity.table}`;
  if (error.code === '23503') {
    return new TenantctlError('CSV_REFERENCED', `Import into tenant "${tenant.slug}" would remove ${entity.name} rows that ${where} still references (${said.detail ?? said.message}). Nothing was imported.`, {
      hint: 'Keep those rows in the file (use --mode upsert instead of replace), or remove the referencing rows first.',
      details: { code: error.code, table: error.table_name, constraint: error.constraint_name },
      cause: error,
    });
  }
  return new TenantctlError('CSV_APPLY_FAILED', `Import into ${where} failed: ${said.message}${said.detail ? ` (${said.detail})` : ''}. Nothing was imported.`, {
    hint: 'This is a constraint the CSV declaration does not check yet; fix the rows named above and retry.',
    details: { code: error.code, table: error.table_name, column: error.column_name, constraint: error.constraint_name },
    cause: error,
  });
}
