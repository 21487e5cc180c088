import { isPgError } from '../errors.js';
import type { Sql } from '../db/connect.js';
import type { Migration, MigrationSection } from './files.js';
import type { SchemaPlan } from './plan.js';
import { lineColumn, type Statement } from './split.js';

/**
 * Sending a migration section's statements to the server, under the schema's search_path,
 * and naming the failing one by file:line:column (apply.ts runs them inside its transactions).
 */

/** Where and why a migration failed: file:line:column, the tenant, PostgreSQL's words. */
export interface MigrationFailure {
  file: string;
  version: string;
  line: number;
  column: number;
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  statement: string;
}

/** Tenant schemas see public too, as django-tenants and apartment do, for shared types and functions. */
export const searchPathFor = (plan: SchemaPlan): string => (plan.scope === 'shared' ? `"${plan.schema.replace(/"/g, '""')}"` : `"${plan.schema.replace(/"/g, '""')}", public`);

export class StatementFailed extends Error {
  constructor(readonly failure: MigrationFailure) {
    super(failure.message);
  }
}

export function describe(error: unknown, migration: Migration, statement: Statement | undefined, at?: number): MigrationFailure {
  const pg = isPgError(error) ? error : undefined;
  const position = pg?.position ? Number(pg.position) - 1 : 0;
  const offset = at ?? (statement?.offset ?? 0) + (statement ? position : 0);
  const where = lineColumn(migration.source, offset);
  return {
    file: migration.path,
    version: migration.version,
    line: where.line,
    column: where.column,
    message: error instanceof Error ? error.message : String(error),
    code: pg?.code,
    detail: pg?.detail,
    hint: pg?.hint,
    statement: (statement?.text ?? '').slice(0, 300),
  };
}

/**
 * SQLSTATE classes of failures that come from the server's state, not from the file: the same
 * file runs when tried again. Said so instead of "fix the migration file".
 */
const OUTSIDE_THE_FILE: [RegExp, string][] = [
  [/^40001$/, 'a serialization failure (another transaction changed what this one read)'],
  [/^40P01$/, 'a deadlock with another session'],
  [/^55P03$/, 'a lock it could not get in time (lock_timeout)'],
  [/^57014$/, 'the statement was cancelled (statement_timeout, or pg_cancel_backend)'],
  [/^57P0[1-3]$/, 'the server shut down or restarted'],
  [/^53/, 'the server ran short of a resource (disk, memory, connections, locks)'],
  [/^08/, 'the connection broke'],
];

/** Why a failure is the server's and not the file's, or undefined when the file may well be at fault. */
export function outsideTheFile(code: string | undefined): string | undefined {
  return code ? OUTSIDE_THE_FILE.find(([pattern]) => pattern.test(code))?.[1] : undefined;
}

/** The hint for a failure that is the server's (`Not the file: …`, then `afterwards`), or undefined. */
export function notTheFileHint(code: string | undefined, afterwards: string): string | undefined {
  const why = outsideTheFile(code);
  return why && `Not the file: ${why}. ${afterwards}`;
}

/** The server failed the section but gave no position: replay it to find the statement. */
export class NeedsLocating extends Error {
  constructor(readonly original: unknown) {
    super('needs locating');
  }
}

/**
 * After the section, for the checks that follow it in its transaction (integrity-after.sql
 * above all): the default search_path back, generic plans and no JIT.
 * - PostgreSQL plans a prepared statement again whenever search_path differs from the one it
 *   was planned under: with the tenant's path still set, every check would be planned again in
 *   every tenant.
 * - Their custom plans cost ~2 ms of planning a tenant, more than a small migration's DDL, and
 *   the planner kept choosing them; the generic plans are as good.
 * - The generic plans are costed (pg_lock_status, the catalogs) far above jit_above_cost: the
 *   server would compile integrity-after with LLVM for 1.5–2.5 s in every tenant.
 * The section itself runs under the session's settings: only its search_path is ours.
 */
const AFTER_SECTION = 'set local search_path to default; set local plan_cache_mode to force_generic_plan; set local jit to off';

/** The section's text with its search_path set before it and AFTER_SECTION after it. (Migrations may not change search_path themselves: lint.ts refuses it.) */
const wrapSection = (plan: SchemaPlan, text: string): { text: string; prefix: number } => {
  const prefix = `set local search_path to ${searchPathFor(plan)};\n`;
  return { text: `${prefix}${text}\n;${AFTER_SECTION};\n`, prefix: prefix.length };
};

/**
 * A transactional section as statements to put in a longer simple-protocol text (a batch of
 * tenants, batch.ts), each ending with its `;`: its search_path, the section, AFTER_SECTION.
 */
export const sectionText = (plan: SchemaPlan, section: MigrationSection): string => (section.statements.length === 0 ? '' : wrapSection(plan, section.sql).text);

/**
 * Run a transactional section as ONE simple-protocol query: one round trip instead of one
 * per statement. A server error position maps straight to file:line:column.
 */
export async function runSectionAtOnce(sql: Sql, plan: SchemaPlan, migration: Migration, section: MigrationSection): Promise<void> {
  if (section.statements.length === 0) return;
  const wrapped = wrapSection(plan, section.sql);
  try {
    await sql.unsafe(wrapped.text).simple();
  } catch (error) {
    if (!isPgError(error) || !error.position) throw new NeedsLocating(error);
    const at = section.offset + Math.max(0, Number(error.position) - 1 - wrapped.prefix);
    const statement = section.statements.filter((s) => s.offset <= at).at(-1);
    throw new StatementFailed(describe(error, migration, statement, at));
  }
}

/** The section statement by statement, under the schema's search_path (then AFTER_SECTION, as runSectionAtOnce). */
export async function runStatements(sql: Sql, plan: SchemaPlan, migration: Migration, section: MigrationSection): Promise<void> {
  await sql`select set_config('search_path', ${searchPathFor(plan)}, true)`;
  for (const statement of section.statements) {
    try {
      await sql.unsafe(statement.text, [], { prepare: false });
    } catch (error) {
      throw new StatementFailed(describe(error, migration, statement));
    }
  }
  await sql.unsafe(AFTER_SECTION).simple();
}

