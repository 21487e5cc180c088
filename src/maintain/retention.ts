import { createWriteStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, Sql } from '../db/connect.js';
import { copyOut } from '../db/copy-out.js';
import { query } from '../db/queries.js';
import { assertFolderOnlyOurs, createAppendOnlyFile, createAtFreeName, ensureOwnSubdir, ensurePrivateDir, fileError } from '../files/private.js';
import { failpoint } from '../tenants/failpoint.js';
import type { RetentionRule } from './config.js';
import { LOCK_NOT_AVAILABLE, lockTimeout, pgCode, type TaskContext, type TaskProblem, type TaskResult } from './task.js';
import { qualifiedIdent } from '../db/ident.js';

interface Relation {
  schema: string;
  table: string;
}

interface CatalogRow {
  schema: string;
  table: string;
  kind: 'r' | 'p';
  columns: string[];
  leaves: Relation[];
}

/** A lock that times out is retried this many times (with a growing pause) before the table is left for the next run. */
const LOCK_RETRIES = 3;

const qualified = (r: Relation): string => `${r.schema}.${r.table}`;

/**
 * The rows a rule selects, as a fragment of the caller's statement (identifiers quoted by
 * postgres.js, cutoff a parameter). A `via` rule dates a row by its parent in `schema`.
 */
function condition(tx: Sql, rule: RetentionRule, cutoff: Date, schema: string) {
  if (rule.via) return tx`${tx(rule.via.column)} in (select ${tx(rule.via.key)} from ${qualifiedIdent(tx, schema, rule.via.table)} where ${tx(rule.column)} < ${cutoff})`;
  return rule.orNotNull
    ? tx`(${tx(rule.column)} < ${cutoff} or ${tx(rule.orNotNull)} is not null)`
    : tx`${tx(rule.column)} < ${cutoff}`;
}

/**
 * Delete one batch: the inner select picks at most `batch` row addresses (skipping rows the
 * application has locked — they wait for the next run), the outer DELETE re-checks the
 * condition. A TID scan, so each batch costs its own size, not the table's.
 */
async function deleteBatch(sql: Pool, ctx: TaskContext, rel: Relation, rule: RetentionRule, cutoff: Date): Promise<number> {
  const where = (tx: Sql) => condition(tx, rule, cutoff, rel.schema);
  return sql.begin(async (tx) => {
    await query(tx, 'maintain/set-lock-timeout', [lockTimeout(ctx.config)]);
    const [row] = (await tx`
      with doomed as (
        delete from ${qualifiedIdent(tx, rel.schema, rel.table)}
        where ctid = any(array(select ctid from ${qualifiedIdent(tx, rel.schema, rel.table)} where ${where(tx)} limit ${ctx.config.retention.batchSize} for update skip locked))
          and ${where(tx)}
        returning 1
      )
      select count(*)::int as n from doomed`) as unknown as [{ n: number }];
    return row.n;
  });
}

/**
 * One run's archive of one table: a new private file (0600), created exclusively on the
 * first batch with rows (never an existing file, never through a link) and appended to by
 * the later batches of the same run.
 */
class Archive {
  private handle: FileHandle | undefined;
  path: string | undefined;

  /** @param prepare makes the file's folder: also on first use, so a table with nothing to archive leaves no empty folder */
  constructor(private readonly base: string, private readonly prepare: () => Promise<void>) {}

  /** The open file, created on first use: `<base>.csv`, or `<base>-2.csv` … if a run of the same second made one. */
  async open(): Promise<FileHandle> {
    if (!this.handle) {
      await this.prepare();
      const { path, made } = await createAtFreeName((n) => `${this.base}${n === 1 ? '' : `-${n}`}.csv`, createAppendOnlyFile);
      this.handle = made;
      this.path = path;
    }
    return this.handle;
  }

  get started(): boolean {
    return this.handle !== undefined;
  }

  async close(): Promise<void> {
    await this.handle?.close();
  }
}

/**
 * Archive then delete one batch, in one transaction: the deleted rows go into a temporary
 * table, COPY writes them as CSV (PostgreSQL's own CSV, loadable with \copy … csv header),
 * the file is fsynced, and only then does the transaction commit. A crash before the commit
 * leaves the rows in place (and perhaps in the file too): duplicates, never a loss.
 */
async function archiveBatch(sql: Pool, ctx: TaskContext, rel: Relation, rule: RetentionRule, cutoff: Date, archive: Archive): Promise<number> {
  const where = (tx: Sql) => condition(tx, rule, cutoff, rel.schema);
  return sql.begin(async (tx) => {
    await query(tx, 'maintain/set-lock-timeout', [lockTimeout(ctx.config)]);
    await tx`create temp table tenantctl_retention_batch (like ${qualifiedIdent(tx, rel.schema, rel.table)}) on commit drop`;
    const moved = await tx`
      with doomed as (
        delete from ${qualifiedIdent(tx, rel.schema, rel.table)}
        where ctid = any(array(select ctid from ${qualifiedIdent(tx, rel.schema, rel.table)} where ${where(tx)} limit ${ctx.config.retention.batchSize} for update skip locked))
          and ${where(tx)}
        returning *
      )
      insert into tenantctl_retention_batch select * from doomed`;
    if (!moved.count) return 0;
    const statement = archive.started
      ? tx`copy tenantctl_retention_batch to stdout with (format csv)`
      : tx`copy tenantctl_retention_batch to stdout with (format csv, header true)`;
    const handle = await archive.open();
    // copyOut guards the postgres.js COPY TO stall that would hang the delete's commit. The
    // stream gets the bare descriptor and leaves it open: a FileHandle lent to a stream
    // would make the handle's sync() below wait forever (Node 20).
    await copyOut(statement, [], createWriteStream('', { fd: handle.fd, autoClose: false }), { end: true }).catch((error: unknown) => {
      // A disk error names the file; a database error stays what it is.
      throw (error as NodeJS.ErrnoException).syscall ? fileError(error, archive.path!, 'append to the archive') : error;
    });
    // On disk before the delete commits.
    await handle.sync();
    return moved.count;
  });
}

async function withLockRetries<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (pgCode(error) !== LOCK_NOT_AVAILABLE || attempt > LOCK_RETRIES) throw error;
      await sleep(250 * attempt);
    }
  }
}

/** Did `error` come from `schema` having been dropped meanwhile (a tenant erased during the run)? */
async function schemaGone(sql: Pool, schema: string, error: unknown): Promise<boolean> {
  if (!['3F000', '42P01'].includes(pgCode(error) ?? '')) return false;
  const [row] = (await sql`select to_regnamespace(${`"${schema.replaceAll('"', '""')}"`}) is null as gone`) as unknown as [{ gone: boolean }];
  return row.gone;
}

/** Delete (or count, with dry-run) everything past the rule in one relation, batch by batch. */
async function purge(ctx: TaskContext, rel: Relation, rule: RetentionRule, cutoff: Date): Promise<{ rows: number; file?: string }> {
  const { sql } = ctx;
  if (ctx.dryRun) {
    const [row] = (await sql`select count(*)::int as n from ${qualifiedIdent(sql, rel.schema, rel.table)} where ${condition(sql, rule, cutoff, rel.schema)}`) as unknown as [{ n: number }];
    return { rows: row.n };
  }
  let archive: Archive | undefined;
  if (ctx.archiveDir) {
    const dir = join(ctx.archiveDir, rel.schema);
    await assertFolderOnlyOurs(ctx.archiveDir, '--archive-dir');
    await ensurePrivateDir(ctx.archiveDir);
    archive = new Archive(join(dir, `${rel.table}-${ctx.startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`), () => ensureOwnSubdir(dir));
  }
  let rows = 0;
  try {
    for (;;) {
      const n = await withLockRetries(() => (archive ? archiveBatch(sql, ctx, rel, rule, cutoff, archive) : deleteBatch(sql, ctx, rel, rule, cutoff)));
      rows += n;
      if (n < ctx.config.retention.batchSize) break;
    }
  } finally {
    await archive?.close();
  }
  return { rows, file: archive?.path };
}

/** Columns a rule names that its tables lack (`schema.table.column`): the rule is skipped and reported. */
function missingColumns(rule: RetentionRule, table: CatalogRow, parent: CatalogRow): string[] {
  const wanted: [CatalogRow, string | undefined][] = rule.via
    ? [[table, rule.via.column], [parent, rule.via.key], [parent, rule.column]]
    : [[table, rule.column], [table, rule.orNotNull]];
  return wanted.filter(([t, c]) => c && !t.columns.includes(c)).map(([t, c]) => `${t.table}.${c}`);
}

/**
 * The retention task: every rule, in every schema it applies to (each tenant schema, or
 * public), deleting in bounded batches. A table that a schema lacks is skipped (a tenant on
 * an older migration); a rule naming a column the table lacks is a problem worth fixing.
 */
export async function runRetention(ctx: TaskContext): Promise<Omit<TaskResult, 'task' | 'durationMs'>> {
  const rules = ctx.config.retention.rules;
  const shared = ctx.sharedSchema ?? 'public';
  const tenantSchemas = ctx.tenants.filter((t) => t.schemaExists).map((t) => t.schema);
  const slugOf = new Map(ctx.tenants.map((t) => [t.schema, t.slug]));
  const schemas = [...new Set([...(rules.some((r) => r.scope === 'shared') ? [shared] : []), ...(rules.some((r) => r.scope === 'tenant') ? tenantSchemas : [])])];
  const named = rules.flatMap((r) => (r.via ? [r.table, r.via.table] : [r.table]));
  const catalog = await query<CatalogRow>(ctx.sql, 'maintain/retention-tables', [JSON.stringify(schemas), JSON.stringify([...new Set(named)])]);
  const byName = new Map(catalog.map((row) => [`${row.schema}.${row.table}`, row]));
  const cutoffs = new Map<string, Date>();
  for (const interval of new Set(rules.map((r) => r.olderThan))) {
    const [row] = await query<{ cutoff: Date }>(ctx.sql, 'maintain/cutoff', [interval]);
    cutoffs.set(interval, row!.cutoff);
  }

  const items: Record<string, unknown>[] = [];
  const problems: TaskProblem[] = [];
  let rows = 0;
  let tables = 0;
  let absent = 0;
  for (const rule of rules) {
    const cutoff = cutoffs.get(rule.olderThan)!;
    for (const schema of rule.scope === 'shared' ? [shared] : tenantSchemas) {
      const where = `${schema}.${rule.table}`;
      const found = byName.get(where);
      const parent = rule.via ? byName.get(`${schema}.${rule.via.table}`) : found;
      if (!found || !parent) {
        absent += 1;
        continue;
      }
      const missing = missingColumns(rule, found, parent);
      if (missing.length) {
        problems.push({ where, message: `retention rule for ${where} names column ${missing.join(', ')}, which does not exist; rule skipped.`, code: 'RETENTION_BAD_COLUMN' });
        continue;
      }
      tables += 1;
      for (const rel of found.kind === 'p' ? found.leaves : [{ schema, table: rule.table }]) {
        try {
          await failpoint(ctx.failpoints, 'maintain-retention:before-purge');
          const done = await purge(ctx, rel, rule, cutoff);
          rows += done.rows;
          if (done.rows) items.push({ schema, table: rel.table, tenant: slugOf.get(schema) ?? null, [ctx.dryRun ? 'wouldDelete' : 'deleted']: done.rows, before: cutoff.toISOString(), ...(done.file ? { archive: done.file } : {}) });
        } catch (error) {
          // A tenant erased while the run went through the fleet: its tables are gone, as if absent from the start.
          if (await schemaGone(ctx.sql, rel.schema, error)) {
            absent += 1;
            continue;
          }
          const busy = pgCode(error) === LOCK_NOT_AVAILABLE;
          problems.push({
            where: qualified(rel),
            message: busy ? `could not lock ${qualified(rel)} within ${ctx.config.lockTimeoutMs} ms (${LOCK_RETRIES + 1} tries); left for the next run.` : (error as Error).message,
            code: pgCode(error),
          });
        }
      }
    }
  }
  return {
    ok: problems.length === 0,
    dryRun: ctx.dryRun,
    summary: { rules: rules.length, schemas: schemas.length, tables, [ctx.dryRun ? 'wouldDelete' : 'deleted']: rows, absentTables: absent },
    items,
    problems,
  };
}
