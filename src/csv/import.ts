import type { Readable } from 'node:stream';
import type { Pool, Tx } from '../db/connect.js';
import { query, script } from '../db/queries.js';
import { isPgError, TenantctlError } from '../errors.js';
import { withTenantLock } from '../tenancy/locks.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { applyStaged, type ApplyCounts, type ImportMode } from './apply.js';
import { defaultActor } from '../context.js';
import { audit } from './audit.js';
import { parseDelimiter, type Delimiter } from './header.js';
import { directLoadApplies, loadDirect } from './direct-load.js';
import { spool, type Spool } from './spool.js';
import { fileInput, inputOf } from './input.js';
import { describeFinding, openRejects, type Finding, type RejectsWriter } from './rejects.js';
import type { EntitySpec } from './spec.js';

import { REJECTS, stageCsv, type Staged } from './staging.js';
import { assertMayImport, entityOf, resolveTenant, type TenantTarget } from './tenant.js';
import type { Scope } from './scope.js';
import { cheapCheckFails, dropRejected, validateKeys, validateStaged } from './validate.js';
import { explainApplyError, isDataError, isKeyConflict } from './apply-errors.js';
import { printablePath } from '../files/private.js';
import { explainRowSecurity } from '../pooled/session.js';

/** What `importCsv` needs. */
export interface ImportOptions {
  /** The profile whose tenants and entity mappings these are (resolved once per command). */
  profile: TenancyProfile;
  /** `products` or `orders` (or another of the profile's entities, or a declaration). */
  entity: string | EntitySpec;
  /** The tenant: its id or handle (slug, organization name, BIN). */
  tenant: string;
  /** A file path, or a byte stream (stdin). */
  input: string | Readable;
  /** @default 'upsert' */
  mode?: ImportMode;
  /** One of , ; | or tab. @default ',' */
  delimiter?: string;
  /** Rows that may be rejected before the import aborts. @default 0 */
  maxErrors?: number;
  /** Path of the CSV file that lists every rejected row. */
  rejects?: string;
  /** Validate and count, then roll back. @default false */
  dryRun?: boolean;
  /** Name recorded in the audit trail. @default the OS user */
  actor?: string;
  /**
   * Called a few times a second while the file streams in. After a direct load gives up,
   * the staged loader reads the file again from the start (`loader` tells them apart).
   */
  onProgress?: (progress: { rows: number; bytes: number; totalBytes: number | undefined; loader: Loader }) => void;
  /** Name of a stream input in messages and the audit trail. @default 'stdin' */
  sourceName?: string;
  /** Fail at once (exit 75) when another command holds the tenant's lock. @default false (wait) */
  noWait?: boolean;
  /** Told once when the import queues behind another command on this tenant. */
  onWait?: (message: string) => void;
}

/** The outcome of an import (also what `--json` prints). */
export interface ImportSummary extends ApplyCounts {
  entity: string;
  tenant: string;
  source: string;
  mode: ImportMode;
  dryRun: boolean;
  /** Data records read (header and blank lines not counted). */
  rows: number;
  /** Rows left out under --max-errors; when > 0 the file was NOT loaded whole (`complete` false, exit 1). */
  rejected: number;
  maxErrors: number;
  /** Every row of the file was loaded (false when --max-errors let rejected rows be skipped). */
  complete: boolean;
  bytes: number;
  seconds: number;
  loader: Loader;
  auditId?: string;
}

/** `direct`: COPY straight into the table; `staged`: through the staging table. */
export type Loader = 'direct' | 'staged';

class DryRunDone extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run: rolled back');
  }
}

const FINDINGS_SHOWN = 10;

/** Write every SQL finding (in line order) to the rejects file; return the first few. */
async function reportFindings(tx: Tx, staged: Staged, writer: RejectsWriter, shown: Finding[]): Promise<void> {
  const cursor = tx<{ _row: string; col: string | null; val: string | null; reason: string; ref_row: string | null }[]>`
    select _row, col, val, reason, ref_row from ${tx(REJECTS)} order by _row, col nulls first`.cursor(1000);
  for await (const rows of cursor) {
    for (const r of rows) {
      const ref = r.ref_row === null ? '' : ` (see line ${staged.lines.lineOf(Number(r.ref_row))})`;
      const finding: Finding = { line: staged.lines.lineOf(Number(r._row)), column: r.col ?? '', value: r.val, reason: r.reason + ref };
      if (shown.length < FINDINGS_SHOWN) shown.push(finding);
      await writer.write(finding);
    }
  }
}

function tooManyErrors(where: string, entity: EntitySpec, rejected: number, maxErrors: number, shown: Finding[], rejects: string | undefined): TenantctlError {
  const list = shown
    .sort((a, b) => a.line - b.line)
    .map((f) => `  ${describeFinding(f)}`)
    .join('\n');
  const more = rejected > shown.length ? `\n  … and more (${rejected} rows in all)` : '';
  return new TenantctlError('CSV_INVALID', `${where}: ${rejected} row${rejected === 1 ? ' is' : 's are'} invalid (--max-errors ${maxErrors}); nothing was imported into ${entity.name}.\n${list}${more}`, {
    hint: `${rejects ? `Every rejected row is listed in ${printablePath(rejects)}. ` : 'Pass --rejects FILE to list every rejected row. '}Fix them, or allow skipping them with --max-errors N.`,
    details: { rejected, maxErrors, findings: shown },
  });
}

/**
 * Import a CSV file of products or orders into one tenant, in ONE transaction: the file is
 * loaded entirely or not at all, except that `maxErrors` > 0 lets up to that many invalid
 * rows be left out while the rest commits (then `complete` is false). A file whose rows are all new inserts goes straight into
 * the table with COPY when every value is certainly valid (direct-load.ts). Otherwise bytes
 * stream into a staging table with COPY, every value is validated in SQL, then rows are
 * inserted or updated by natural key (only rows whose values differ are touched). Used by
 * `tenantctl import` and by the fixtures loader.
 */
export async function importCsv(sql: Pool, options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const { profile } = options;
  const entity = typeof options.entity === 'string' ? entityOf(profile, options.entity) : options.entity;
  const mode = options.mode ?? 'upsert';
  const maxErrors = options.maxErrors ?? 0;
  const delimiter = parseDelimiter(options.delimiter);
  if (mode === 'replace' && entity.noReplace) {
    throw new TenantctlError('CSV_NO_REPLACE', `--mode replace is refused for ${entity.name}: ${entity.noReplace}.`, { hint: 'Use --mode upsert (or insert). Nothing was changed.', exitCode: 2 });
  }
  const tenant = await resolveTenant(sql, profile, options.tenant, entity);
  const scope: Scope = { schema: tenant.schema, tenantId: tenant.id };
  if (!tenant.active) {
    throw new TenantctlError('TENANT_NOT_ACTIVE', `Tenant "${tenant.slug}" is ${tenant.status}; imports only go into active tenants.`, { hint: 'Reactivate the tenant first, or check the slug.' });
  }
  const input = await inputOf(options.input, options.sourceName);
  const where = input.where;
  const opened: Readable[] = [];
  let source = input;
  let spooled: Spool | undefined;
  const open = (): Readable => {
    const stream = source.open();
    opened.push(stream);
    return stream;
  };
  const writer = await openRejects(options.rejects, typeof options.input === 'string' ? options.input : undefined);
  const progressOf = (loader: Loader) => options.onProgress && ((rows: number, bytes: number) => options.onProgress!({ rows, bytes, totalBytes: source.size, loader }));
  try {
    // The tenant's lock first: erase, export and restore of this tenant queue on it (never a deadlock).
    // Pooled: the lock is all the serializing there is (one tenant's import never waits for another's).
    // Once it is held, the tenant's row must still be in the profile's registry.
    const lock = { what: `import ${entity.name}`, noWait: options.noWait, onWait: options.onWait, registry: profile.registry };
    return await withTenantLock(sql, { id: tenant.id, slug: tenant.slug, schema: tenant.schema }, lock, async (tx) => {
      await assertMayImport(tx, profile, tenant, entity);
      // Offset-less times are UTC; dates are read year-first whatever the server's DateStyle.
      // row_security off: a role that policies would filter gets an error, never a silent partial view (pooled tables have RLS).
      await tx`select set_config('timezone', 'UTC', true), set_config('datestyle', 'ISO, YMD', true), set_config('work_mem', '64MB', true), set_config('lock_timeout', '30s', true), set_config('row_security', 'off', true)`;
      await query(tx, 'tenancy/schema-first-search-path', [tenant.schema]);
      await script(tx, 'csv/session-functions');
      // A tenant's own table: one import at a time. A pooled table holds every tenant's rows: row locks only.
      if (!tenant.pooled) await lockTarget(tx, entity, tenant);
      const applies = await directLoadApplies(tx, { entity, scope, mode });
      if (applies && !input.reopenable) {
        // A pipe can be read once; the direct loader may need a second read.
        spooled = await spool(input.open(), where);
        source = fileInput(spooled.path, where, spooled.bytes);
      }
      const direct = applies ? await loadDirect(tx, open, { entity, scope, delimiter, where, onProgress: progressOf('direct') }) : undefined;
      const loaded: Loaded = direct
        ? { rows: direct.rows, rejected: 0, bytes: direct.bytes, loader: 'direct', counts: { inserted: direct.rows, updated: 0, unchanged: 0, deleted: 0, retired: 0 } }
        : await loadStaged(tx, open(), { entity, tenant, scope, mode, delimiter, where, maxErrors, onProgress: progressOf('staged'), writer, rejects: options.rejects });
      const { counts, rejected } = loaded;
      const summary: ImportSummary = {
        entity: entity.name,
        tenant: tenant.slug,
        source: where,
        mode,
        dryRun: Boolean(options.dryRun),
        rows: loaded.rows,
        rejected,
        maxErrors,
        complete: rejected === 0,
        ...counts,
        bytes: loaded.bytes,
        seconds: (Date.now() - started) / 1000,
        loader: loaded.loader,
      };
      if (options.dryRun) throw new DryRunDone(summary);
      if (entity.audited === false) return { ...summary, seconds: (Date.now() - started) / 1000 };
      summary.auditId = await audit(tx, {
        tenantId: tenant.id,
        action: 'csv.import',
        entity: entity.name,
        counts: { inserted: counts.inserted, updated: counts.updated, unchanged: counts.unchanged, deleted: counts.deleted, retired: counts.retired, rejected, ...(counts.childRows === undefined ? {} : { lines: counts.childRows }) },
        metadata: { actor: options.actor ?? defaultActor(), tool: 'tenantctl', source: where, mode, loader: loaded.loader, rows: summary.rows, bytes: loaded.bytes, max_errors: maxErrors, seconds: summary.seconds },
      });
      summary.seconds = (Date.now() - started) / 1000;
      return summary;
    });
  } catch (error) {
    if (error instanceof DryRunDone) return error.summary;
    throw explainRowSecurity(error);
  } finally {
    for (const stream of opened) stream.destroy();
    await writer.close();
    await spooled?.remove();
  }
}

/** What a load put into the tenant's tables. */
interface Loaded {
  /** Data records read (header and blank lines not counted). */
  rows: number;
  rejected: number;
  bytes: number;
  counts: ApplyCounts;
  loader: Loader;
}

interface StagedLoadOptions {
  entity: EntitySpec;
  tenant: TenantTarget;
  scope: Scope;
  mode: ImportMode;
  delimiter: Delimiter;
  where: string;
  maxErrors: number;
  onProgress: ((rows: number, bytes: number) => void) | undefined;
  writer: RejectsWriter;
  rejects: string | undefined;
}

/**
 * The general path: COPY into a staging table, a cheap check, then the typed INSERT or
 * upsert; on any problem, the precise validation names every bad value and (within
 * --max-errors) the rest is written without them.
 */
async function loadStaged(tx: Tx, stream: Readable, options: StagedLoadOptions): Promise<Loaded> {
  const { entity, tenant, scope, mode, maxErrors, writer } = options;
  const shown: Finding[] = [];
  const onStructural = (r: { line: number; reason: string; raw: string }): void => {
    const finding: Finding = { line: r.line, column: '', value: r.raw, reason: r.reason };
    if (shown.length < FINDINGS_SHOWN) shown.push(finding);
    void writer.write(finding);
  };
  const staged = await stageCsv(tx, stream, { entity, delimiter: options.delimiter, where: options.where, onReject: onStructural, onProgress: options.onProgress });
  let rejected = staged.structural;
  let counts: ApplyCounts | undefined;
  // `rejected` as it stands when the rows are written (replace removes nothing when any was rejected).
  const apply = (): Promise<ApplyCounts> => tx.savepoint((sp) => applyStaged(sp, entity, staged, scope, mode, rejected));
  // Fast path: a cheap check, then the typed INSERT does the rest of the validation.
  if (rejected <= maxErrors && !(await cheapCheckFails(tx, entity, staged, scope))) {
    counts = await apply().catch((error: unknown) => {
      if (isDataError(error)) return undefined;
      throw explainApplyError(error, entity, tenant);
    });
  }
  if (!counts) {
    // Something is wrong: find every bad value, with its line and column.
    await validateStaged(tx, entity, staged, scope);
    rejected = staged.structural + (await dropRejected(tx, entity));
    if (rejected <= maxErrors) {
      try {
        counts = await apply();
      } catch (error) {
        if (!isKeyConflict(error)) throw explainApplyError(error, entity, tenant);
        // A key occurs twice in the file, or (insert mode) already exists: find where.
        await validateKeys(tx, entity, scope, mode);
        const after = staged.structural + (await dropRejected(tx, entity));
        if (after === rejected) throw explainApplyError(error, entity, tenant);
        rejected = after;
        if (rejected <= maxErrors) counts = await apply().catch((e: unknown) => Promise.reject(explainApplyError(e, entity, tenant)));
      }
    }
  }
  await reportFindings(tx, staged, writer, shown);
  if (!counts) throw tooManyErrors(options.where, entity, rejected, maxErrors, shown, options.rejects);
  return { rows: staged.rows + staged.structural, rejected, bytes: staged.bytes, counts, loader: 'staged' };
}

/** One import per tenant table at a time; readers are not blocked. */
async function lockTarget(tx: Tx, entity: EntitySpec, tenant: TenantTarget): Promise<void> {
  try {
    await tx`lock table ${tx(tenant.schema)}.${tx(entity.table)} in share row exclusive mode`;
  } catch (error) {
    if (isPgError(error) && error.code === '55P03') {
      throw new TenantctlError('CSV_BUSY', `Another import (or a long transaction) is writing ${tenant.schema}.${entity.table}; gave up after 30 s.`, { hint: 'Wait for it to finish and run the import again.' });
    }
    throw error;
  }
}
