import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { isPgError } from '../errors.js';
import type { Migration, MigrationSection } from './files.js';
import type { SchemaPlan } from './plan.js';
import { lineColumn, type Statement } from './split.js';

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

/** What happened to one schema in a run. */
export interface SchemaOutcome {
  scope: 'shared' | 'tenant';
  schema: string;
  slug?: string;
  outcome: 'applied' | 'reverted' | 'up-to-date' | 'failed' | 'not-run' | 'skipped';
  versions: string[];
  durationMs: number;
  error?: MigrationFailure;
  reason?: string;
}

const lockName = (schema: string): string => `tenantctl.migrate:${schema}`;
/** Tenant schemas see public too, as django-tenants and apartment do, for shared types and functions. */
const searchPathFor = (plan: SchemaPlan): string => (plan.scope === 'shared' ? 'public' : `"${plan.schema.replace(/"/g, '""')}", public`);

class StatementFailed extends Error {
  constructor(readonly failure: MigrationFailure) {
    super(failure.message);
  }
}

function describe(error: unknown, migration: Migration, statement: Statement | undefined): MigrationFailure {
  const pg = isPgError(error) ? error : undefined;
  const position = pg?.position ? Number(pg.position) - 1 : 0;
  const at = lineColumn(migration.source, (statement?.offset ?? 0) + (statement ? position : 0));
  return {
    file: migration.path,
    version: migration.version,
    line: at.line,
    column: at.column,
    message: error instanceof Error ? error.message : String(error),
    code: pg?.code,
    detail: pg?.detail,
    hint: pg?.hint,
    statement: (statement?.text ?? '').slice(0, 300),
  };
}

async function runStatements(sql: Sql, migration: Migration, section: MigrationSection): Promise<void> {
  for (const statement of section.statements) {
    try {
      await sql.unsafe(statement.text, [], { prepare: false });
    } catch (error) {
      throw new StatementFailed(describe(error, migration, statement));
    }
  }
}

async function record(sql: Sql, plan: SchemaPlan, migration: Migration, direction: 'up' | 'down', ms: number): Promise<void> {
  if (direction === 'up') await query(sql, 'migrate/record-applied', [plan.schema, plan.scope, migration.version, migration.name, migration.checksum, Math.round(ms)]);
  else await query(sql, 'migrate/record-reverted', [plan.schema, migration.version]);
}

/** One migration in one transaction: lock the schema, skip if already applied, run, record. */
async function applyInTransaction(sql: Sql, plan: SchemaPlan, migration: Migration, direction: 'up' | 'down'): Promise<boolean> {
  const section = direction === 'up' ? migration.up : migration.down!;
  return sql.begin(async (tx) => {
    const t = tx as unknown as Sql;
    const started = performance.now();
    const [check] = await query<{ applied: boolean }>(t, 'migrate/lock-and-check', [lockName(plan.schema), searchPathFor(plan), plan.schema, migration.version]);
    if (check!.applied !== (direction === 'down')) return false;
    await runStatements(t, migration, section);
    await record(t, plan, migration, direction, performance.now() - started);
    return true;
  });
}

/**
 * `transaction:false` files (CREATE INDEX CONCURRENTLY …) cannot run inside a transaction,
 * and a transaction-scoped lock would make CONCURRENTLY wait on ourselves; so they hold a
 * session-level lock on a reserved connection instead.
 */
async function applyWithoutTransaction(sql: Sql, plan: SchemaPlan, migration: Migration, direction: 'up' | 'down'): Promise<boolean> {
  const section = direction === 'up' ? migration.up : migration.down!;
  const conn = await sql.reserve();
  const c = conn as unknown as Sql;
  try {
    await c`select pg_advisory_lock(hashtextextended(${lockName(plan.schema)}, 0))`;
    try {
      await c`select set_config('search_path', ${searchPathFor(plan)}, false)`;
      const [row] = await c`select exists (select 1 from tenantctl.schema_migrations where schema_name = ${plan.schema} and version = ${migration.version}) as applied`;
      if ((row as { applied: boolean }).applied !== (direction === 'down')) return false;
      const started = performance.now();
      await runStatements(c, migration, section);
      await record(c, plan, migration, direction, performance.now() - started);
      return true;
    } finally {
      await c`select pg_advisory_unlock(hashtextextended(${lockName(plan.schema)}, 0)), set_config('search_path', '', false)`.catch(() => undefined);
    }
  } finally {
    conn.release();
  }
}

/** Run a schema's plan, each migration atomically, and record the schema's outcome. */
export async function applySchemaPlan(sql: Sql, plan: SchemaPlan, direction: 'up' | 'down'): Promise<SchemaOutcome> {
  const started = performance.now();
  const done: string[] = [];
  const base = { scope: plan.scope, schema: plan.schema, slug: plan.slug };
  for (const migration of plan.migrations) {
    const section = direction === 'up' ? migration.up : migration.down!;
    try {
      const ran = section.transaction ? await applyInTransaction(sql, plan, migration, direction) : await applyWithoutTransaction(sql, plan, migration, direction);
      if (ran) done.push(migration.version);
    } catch (error) {
      const failure = error instanceof StatementFailed ? error.failure : describe(error, migration, undefined);
      await query(sql, 'migrate/record-state', [plan.schema, plan.scope, 'failed', done.at(-1) ?? null, JSON.stringify(failure)]).catch(() => undefined);
      return { ...base, outcome: 'failed', versions: done, durationMs: performance.now() - started, error: failure };
    }
  }
  await query(sql, 'migrate/record-state', [plan.schema, plan.scope, 'ok', direction === 'up' ? done.at(-1) ?? null : null, null]);
  const outcome = done.length === 0 ? 'up-to-date' : direction === 'up' ? 'applied' : 'reverted';
  return { ...base, outcome, versions: done, durationMs: performance.now() - started };
}
