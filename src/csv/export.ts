import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { Pool, Tx } from '../db/connect.js';
import { query, script } from '../db/queries.js';
import { isPgError, TenantctlError, usageError } from '../errors.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { defaultActor } from '../context.js';
import { audit } from './audit.js';
import { copyOut } from '../db/copy-out.js';
import { estimateStatement, exportShape, exportStatement, PARAMS, type ExportSettings, type ExportShape } from './export-sql.js';
import { cutPoints, MAX_JOBS, setBounds } from './export-parts.js';
import { RecordCounter } from './record-counter.js';
import { parseDelimiter } from './header.js';
import { allColumns, csvColumns, type ColumnSpec, type EntitySpec } from './spec.js';
import { commaList, type Fragment } from './sql-parts.js';
import { delimiterOption } from './staging.js';
import { withTenantLock } from '../tenancy/locks.js';
import { entityOf, resolveTenant } from './tenant.js';
import { TENANT_SETTING, type Scope } from './scope.js';
import { explainRowSecurity } from '../pooled/session.js';
import { fileError, makePrivateTempDir, stageFile, type StagedFile } from '../files/private.js';

/** What `exportCsv` needs. */
export interface ExportOptions {
  /** The profile whose tenants and entity mappings these are (resolved once per command). */
  profile: TenancyProfile;
  entity: string | EntitySpec;
  /** The tenant: its id or handle. */
  tenant: string;
  /** A file path (written under a private temporary name beside it, renamed when complete; a FIFO or device there is written in place) or a stream. */
  output: string | Writable;
  /** Rows whose date column (products: created_at, orders: order_date) is at or after this. */
  since?: string;
  /** … and before this. */
  until?: string;
  /** Only these statuses (entities with a status column). */
  status?: readonly string[];
  /** Apply the tenant's data_masking_rules to personal columns. @default false */
  mask?: boolean;
  /** @default ',' */
  delimiter?: string;
  /** @default the OS user */
  actor?: string;
  /**
   * Every quarter second: rows and bytes written, and the rows the planner expects in all
   * (for a percentage and an ETA) once it has said. Leave it out when nobody looks: the
   * estimate is then not asked for.
   */
  onProgress?: (progress: { rows: number; bytes: number; estimatedRows?: number }) => void;
  /**
   * Prefix text cells that start with =, +, -, @, tab or CR with a single quote, so that a
   * spreadsheet shows them instead of running them (CSV injection). The file is then no
   * longer a byte-exact round trip. @default false
   */
  excelSafe?: boolean;
  /** Parts exported at once, 1 to 4. @default by table size: one part under 64 MiB, else one per core */
  jobs?: number;
  /** Fail at once (exit 75) when another command holds the tenant's lock. @default false (wait) */
  noWait?: boolean;
  /** Told once when the export queues behind another command on this tenant. */
  onWait?: (message: string) => void;
  /** TENANTCTL_FAILPOINT value (tests only). */
  failpoints?: string;
}

export interface ExportSummary {
  entity: string;
  tenant: string;
  output: string;
  rows: number;
  bytes: number;
  seconds: number;
  /** Parts the rows went out in, each on its own connection. */
  jobs: number;
  columns: string[];
  filters: Record<string, unknown>;
  /** CSV column → rule (field_name) that masked it. */
  masked: Record<string, string>;
  /** The tenant's export_logs row (profiles that have the table). */
  exportLogId?: string;
  /** The public.audit_logs row (profiles whose entities are audited there). */
  auditId?: string;
  /** What the file holds that will not import back as it is (rows naming another tenant's rows). */
  warnings?: string[];
}

interface MaskRule {
  field_name: string;
  field_type: string;
  mask_pattern: string;
}

/** Personal columns → the tenant rule for them: same field name first, else same field type. */
function pickMasks(entity: EntitySpec, rules: MaskRule[]): Map<ColumnSpec, MaskRule> {
  const picked = new Map<ColumnSpec, MaskRule>();
  for (const spec of allColumns(entity).filter((c) => c.personal)) {
    const rule = rules.find((r) => r.field_name === spec.csv || r.field_name === spec.column) ?? rules.find((r) => r.field_type === spec.personal);
    if (rule) picked.set(spec, rule);
  }
  return picked;
}

async function setParams(tx: Tx, options: ExportOptions, masks: Map<ColumnSpec, MaskRule>): Promise<void> {
  const maskCols = [...masks.keys()].map((c) => `mask_${c.csv}`);
  const columns: Fragment[] = [tx`since timestamptz`, tx`until timestamptz`, tx`status text[]`, ...maskCols.map((c) => tx`${tx(c)} text`)];
  await tx`create temp table ${tx(PARAMS)} (${commaList(tx, columns)}) on commit drop`;
  const values: Fragment[] = [tx`${options.since ?? null}::text::timestamptz`, tx`${options.until ?? null}::text::timestamptz`, tx`${options.status ? [...options.status] : null}::text[]`, ...[...masks.values()].map((r) => tx`${r.mask_pattern}::text`)];
  // No savepoint: a bad date ends the export anyway, and a parallel export can only export
  // its snapshot outside any subtransaction.
  try {
    await tx`insert into ${tx(PARAMS)} values (${commaList(tx, values)})`;
  } catch (error) {
    if (isPgError(error) && error.code.startsWith('22')) throw usageError(`--since/--until must be ISO 8601 dates or times (${error.message}).`, 'Example: --since 2024-01-01 --until 2024-04-01T00:00:00+05:30');
    throw error;
  }
}

/** The session setup every part's connection needs: time zone, helpers, the tenant's schema first in the path, the tenant's id for COPY. */
async function prepareSession(tx: Tx, scope: Scope): Promise<void> {
  await tx`select set_config('timezone', 'UTC', true), set_config(${TENANT_SETTING}, ${scope.tenantId}, true), set_config('row_security', 'off', true)`;
  await script(tx, 'csv/session-functions');
  await query(tx, 'csv/use-tenant-schema', [scope.schema]);
}

/** How long the planner may take to estimate an export's rows before progress goes on without a total. */
const ESTIMATE_TIMEOUT = '2s';

/**
 * The planner's row estimate for the export, undefined when it cannot say. It runs in a
 * transaction of its own on another connection and the export never waits for it: a planner
 * that is slow to answer (on a Citus coordinator EXPLAIN asks the workers) costs a missing
 * total, never a late or stuck export.
 */
async function estimateRows(sql: Pool, scope: Scope, options: ExportOptions, masks: Map<ColumnSpec, MaskRule>, plan: (tx: Tx) => ExportShape): Promise<number | undefined> {
  try {
    return await sql.begin(async (tx) => {
      await tx`select set_config('statement_timeout', ${ESTIMATE_TIMEOUT}, true)`;
      await prepareSession(tx, scope);
      await setParams(tx, options, masks);
      const [row] = (await tx`${estimateStatement(tx, plan(tx))}`) as unknown as [{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }];
      const rows = row?.['QUERY PLAN']?.[0]?.Plan?.['Plan Rows'];
      return typeof rows === 'number' && rows > 0 ? rows : undefined;
    });
  } catch {
    return undefined;
  }
}

/** A snapshot id from pg_export_snapshot(), checked before it goes into SET TRANSACTION SNAPSHOT (no parameters there). */
function snapshotLiteral(id: string): string {
  if (!/^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i.test(id)) throw new Error(`unexpected snapshot id ${JSON.stringify(id)}`);
  return `'${id}'`;
}

/**
 * Export one tenant's products or orders as CSV with COPY … TO STDOUT, streamed to a file
 * or stream, and record it in the tenant's export_logs and in public.audit_logs. A big
 * table goes out in parts at once, on as many connections, all in the first one's snapshot
 * (export-parts.ts); the parts after the first are spooled next to the output and appended
 * in order, so the bytes are those of a single COPY.
 */
export async function exportCsv(sql: Pool, options: ExportOptions): Promise<ExportSummary> {
  const started = Date.now();
  const { profile } = options;
  const entity = typeof options.entity === 'string' ? entityOf(profile, options.entity) : options.entity;
  const delimiter = parseDelimiter(options.delimiter);
  if (options.status?.length) {
    const spec = entity.columns.find((c) => c.column === entity.statusColumn);
    if (!spec) throw usageError(`--status does not apply to ${entity.name}: they have no status column.`);
    // A status column of free text (ABParts orders) takes any value; a list of them is checked against it.
    const bad = spec.values ? options.status.filter((s) => !spec.values!.includes(s)) : [];
    if (bad.length) throw usageError(`--status ${bad.join(',')} is not a status of ${entity.name}.`, `Use one or more of: ${spec.values!.join(', ')}.`);
  }
  if (options.jobs !== undefined && !(Number.isInteger(options.jobs) && options.jobs >= 1 && options.jobs <= MAX_JOBS)) {
    throw usageError(`--jobs must be a whole number from 1 to ${MAX_JOBS} (got ${options.jobs}).`, 'Leave it out to let tenantctl choose by table size.');
  }
  const tenant = await resolveTenant(sql, profile, options.tenant, entity);
  // COPY takes no parameters: its statements read the tenant's id from a setting.
  const scope: Scope = { schema: tenant.schema, tenantId: tenant.id, viaSetting: true };
  const path = typeof options.output === 'string' ? options.output : undefined;
  // Before any row is read: a missing folder or a planted link fails here, and nothing appears at `path` until the end.
  const staged: StagedFile | undefined = path ? await stageFile(path) : undefined;
  const target = staged ? staged.stream : (options.output as Writable);
  const counters: RecordCounter[] = [new RecordCounter()];
  const total = (key: 'records' | 'bytes'): number => counters.reduce((sum, c) => sum + c[key], 0);
  let estimatedRows: number | undefined;
  const report = options.onProgress ? setInterval(() => options.onProgress!({ rows: Math.max(0, total('records') - 1), bytes: total('bytes'), estimatedRows }), 250) : undefined;
  let spoolDir: string | undefined;
  try {
    // Repeatable read: every part, this one included, reads the snapshot exported below.
    // Readers share the tenant's lock; an erase or import of the tenant waits for the export, or it for them.
    // Once it is held, the tenant's row must still be in the profile's registry.
    const lock = { what: `export ${entity.name}`, shared: true, noWait: options.noWait, onWait: options.onWait, registry: profile.registry, failpoints: options.failpoints };
    const summary = await withTenantLock(sql, { id: tenant.id, slug: tenant.slug, schema: tenant.schema }, lock, async (tx) => {
      await prepareSession(tx, scope);
      // Masking rules are the tenant's (commerce: data_masking_rules); an entity without personal columns has nothing to mask.
      const rules = options.mask && allColumns(entity).some((c) => c.personal) ? await query<MaskRule>(tx, 'csv/masking-rules') : [];
      const masks = pickMasks(entity, rules);
      await setParams(tx, options, masks);
      const settings = shapeSettings(options, masks);
      const shape = exportShape(tx, entity, scope, settings);
      if (options.onProgress) {
        void estimateRows(sql, scope, options, masks, (db) => exportShape(db, entity, scope, settings)).then((rows) => {
          estimatedRows = rows;
        });
      }
      const cuts = await cutPoints(tx, entity, tenant.schema, shape, options.jobs, sql.options.max);
      /** COPY part `index` of the cuts (the whole export when there are none) into `destination`; the first part writes the header. */
      const copyPart = async (db: Tx, index: number, counter: RecordCounter, destination: Writable, end: boolean): Promise<void> => {
        const bounds = await setBounds(db, cuts, index);
        const statement = exportStatement(db, index === 0 ? shape : exportShape(db, entity, scope, settings), delimiterOption(db, delimiter), { ...bounds, header: index === 0 });
        await copyOut(statement as unknown as Parameters<typeof copyOut>[0], [counter], destination, { end });
      };
      let others: Promise<string>[] = [];
      if (cuts.length) {
        const [{ id }] = (await tx`select pg_export_snapshot() as id`) as unknown as [{ id: string }];
        // Beside a file (same disk); a FIFO or device's folder (/dev) is no place for spool files.
        spoolDir = await makePrivateTempDir(staged && !staged.inPlace ? dirname(staged.path) : tmpdir(), '.tenantctl-export-');
        others = cuts.map(async (_cut, i) => {
          const counter = new RecordCounter();
          counters.push(counter);
          const spool = await stageFile(join(spoolDir!, `part-${i + 1}.csv`));
          await sql.begin('isolation level repeatable read', async (part) => {
            await part.unsafe(`set transaction snapshot ${snapshotLiteral(id)}`);
            await prepareSession(part, scope);
            await setParams(part, options, masks);
            await copyPart(part, i + 1, counter, spool.stream, true);
          }).catch(async (error: unknown) => {
            await spool.abort();
            throw error;
          });
          await spool.commit();
          return spool.path;
        });
        for (const other of others) other.catch(() => undefined);
      }
      // stdout stays open for whatever the command prints next; a file is closed by commit() after the other parts.
      const first = copyPart(tx, 0, counters[0]!, target, false);
      const settled = await Promise.allSettled([first, ...others]);
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      for (const spool of settled.slice(1) as PromiseFulfilledResult<string>[]) await pipeline(createReadStream(spool.value), target, { end: false });
      if (staged) {
        // Every byte written (or the write error seen) before the export is logged as done.
        target.end();
        await finished(target);
      }
      const rows = Math.max(0, total('records') - 1);
      const bytes = total('bytes');
      const warnings = await foreignNameWarnings(tx, shape, entity.name);
      const columns = csvColumns(entity);
      const filters = { ...(options.since ? { since: options.since } : {}), ...(options.until ? { until: options.until } : {}), ...(options.status?.length ? { status: options.status } : {}), ...(options.mask ? { masked: true } : {}), ...(options.excelSafe ? { excelSafe: true } : {}) };
      const masked = Object.fromEntries([...masks].map(([c, r]) => [c.csv, r.field_name]));
      const seconds = (Date.now() - started) / 1000;
      const jobs = cuts.length + 1;
      const output = path ?? 'stdout';
      // Pooled profiles keep no export_logs and no platform audit trail of tenantctl's (audited: false).
      if (!entity.exportType || entity.audited === false) return { entity: entity.name, tenant: tenant.slug, output, rows, bytes, seconds, jobs, columns, filters, masked, ...warnings };
      const [user] = await query<{ id: string }>(tx, 'csv/export-user');
      const userId = user?.id ?? (await query<{ id: string }>(tx, 'csv/system-user'))[0]!.id;
      const [log] = await query<{ id: string }>(tx, 'csv/export-log', [userId, entity.exportType, 'csv', rows, bytes, JSON.stringify(filters), JSON.stringify(columns)]);
      const auditId = await audit(tx, {
        tenantId: tenant.id,
        action: 'csv.export',
        entity: entity.name,
        counts: { rows, bytes },
        metadata: { actor: options.actor ?? defaultActor(), tool: 'tenantctl', output: path ?? 'stdout', filters, masked, jobs, seconds, export_log_id: log!.id },
      });
      return { entity: entity.name, tenant: tenant.slug, output: path ?? 'stdout', rows, bytes, seconds, jobs, columns, filters, masked, exportLogId: log!.id, auditId, ...warnings };
    }, 'isolation level repeatable read');
    await staged?.commit();
    return summary as ExportSummary;
  } catch (error) {
    // The file refused a write (a full disk): that is the failure, whatever the COPY made of its
    // stream closing; named with the file, the reason and what to do, as the commit names it.
    if (staged?.stream.errored) error = fileError(staged.stream.errored, staged.path, 'write');
    await staged?.abort();
    error = explainRowSecurity(error);
    if (isPgError(error)) throw new TenantctlError('CSV_EXPORT_FAILED', `Export of ${tenant.schema}.${entity.table} failed: ${error.message}.`, { details: { code: error.code }, cause: error });
    throw error;
  } finally {
    if (report) clearInterval(report);
    if (spoolDir) await rm(spoolDir, { recursive: true, force: true });
  }
}

/**
 * Rows of the export (same snapshot, same filters) that name a row of another tenant where the
 * file has a name (exportShape's foreignNames): they went out with it empty. The import refuses
 * an empty required name, and reads an empty optional one as no link. Said, not hidden: the
 * file does not import back as it is, or importing it back clears those links.
 */
async function foreignNameWarnings(tx: Tx, shape: ExportShape, entity: string): Promise<{ warnings?: string[] }> {
  const warnings: string[] = [];
  for (const f of shape.foreignNames) {
    // Only the joins the condition needs (not the export's lookups): an index probe per row that names another row.
    const [{ n }] = (await tx`select count(*)::int as n from ${shape.table} ${shape.params} ${f.join} where ${shape.where.map((w, i) => (i ? tx` and ${w}` : w))} and ${f.when}`) as unknown as [{ n: number }];
    if (!n) continue;
    if (f.keptAsStored) {
      warnings.push(`${n} ${entity} row(s) link ${f.csv} to a row of another tenant: written with the value stored on the row, so importing the file back links them to this tenant's row of that value instead, or refuses them where it has none`);
      continue;
    }
    const consequence = f.required ? 'so the file does not import back until they are fixed' : `so importing the file back clears their ${f.csv}`;
    warnings.push(`${n} ${entity} row(s) name a row of another tenant in ${f.csv}: written with ${f.csv} empty (another tenant's value is never exported), ${consequence}`);
  }
  return warnings.length ? { warnings } : {};
}

function shapeSettings(options: ExportOptions, masks: Map<ColumnSpec, MaskRule>): ExportSettings {
  return { since: Boolean(options.since), until: Boolean(options.until), status: Boolean(options.status?.length), masked: new Set([...masks.keys()].map((c) => c.csv)), excelSafe: Boolean(options.excelSafe) };
}
