import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { type Io, noPromptsBecause } from '../context.js';
import type { Pool } from '../db/connect.js';
import { TenantctlError, usageError } from '../errors.js';
import { bloatReport } from '../monitor/bloat.js';
import { cacheHits } from '../monitor/cache.js';
import type { CheckConfig, CheckReport } from '../monitor/check.js';
import { indexReport } from '../monitor/indexes.js';
import * as metrics from '../monitor/metrics.js';
import { requireSchemas } from '../monitor/schemas.js';
import { sequenceReport } from '../monitor/sequences.js';
import { DEFAULT_LOCK_TIMEOUT, prepareSession } from '../monitor/session.js';
import { activityReport, connectionReport } from '../monitor/sessions.js';
import { unknownReport } from '../monitor/unknown-report.js';
import { tableSizes, tenantSizes, type TenantSizesOptions } from '../monitor/sizes.js';
import { resetStatStatements, slowQueries } from '../monitor/stat-statements.js';
import { NAGIOS, parseThreshold, thresholdError } from '../monitor/thresholds.js';
import { vacuumReport } from '../monitor/vacuum.js';
import { emit, writeErr, writeOut, type OutputOptions } from '../output/emit.js';
import { formatPrometheus, type Column, type Metric } from '../output/format.js';
import { registerMonitorNodes } from './monitor-nodes.js';
import * as render from './monitor-render.js';
import { collect, confirmOrRequireYes, lockDuration, optionsOf, positiveInt, withDatabase, withProfile, type GlobalOptions } from './shared.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { resolveTenants } from '../tenancy/registry.js';
import { assertTenantSchema } from '../tenancy/schema-guard.js';

interface CommonFlags extends OutputOptions {
  lockTimeout: string;
  schema?: string[];
  tenant?: string[];
  limit?: number;
}
type Flags<T = object> = CommonFlags & T & GlobalOptions;

/** commander parser for a size (`10MB`, `1 GB`) or a duration (`30s`, `5min`). */
function measureFlag(name: string, unit: 'bytes' | 'ms'): (value: string) => number {
  return (value: string) => {
    try {
      return parseThreshold(value, unit, name) ?? 0;
    } catch (error) {
      throw new InvalidArgumentError((error as TenantctlError).message);
    }
  };
}

/** The schemas named by --schema and --tenant (a tenant's schema as its registry row names it). */
async function schemasOf(sql: Pool, profile: TenancyProfile, options: CommonFlags): Promise<string[] | undefined> {
  await requireSchemas(sql, options.schema ?? []);
  const tenants = options.tenant?.length ? await resolveTenants(sql, profile, options.tenant, '--tenant') : [];
  // A registry row naming public, a system schema or another tenant's: never report that as the tenant's.
  if (profile.mode === 'schema-per-tenant') for (const t of tenants) assertTenantSchema(profile.lifecycle.targets, { id: t.id, slug: t.handle, schema: t.schema });
  const schemas = [...new Set([...(options.schema ?? []), ...tenants.map((t) => t.schema)])];
  return schemas.length ? schemas : undefined;
}

/**
 * The output format the command line asks for, as far as commander had read it when it
 * found the mistake (the options before a missing value; every option otherwise). --json
 * wins (the error handler prints its document); --csv with --prometheus chooses neither.
 */
function requestedFormat(command: Command): 'json' | 'prometheus' | 'csv' | 'plain' {
  const options = command.optsWithGlobals<OutputOptions>();
  if (options.json) return 'json';
  return options.prometheus && !options.csv ? 'prometheus' : options.csv && !options.prometheus ? 'csv' : 'plain';
}

/**
 * A wrong `monitor check` command line on stdout, in the format asked for: Nagios reads the
 * first line of plain output (without one its alert says "(No output returned from plugin)"),
 * a textfile collector reads the UNKNOWN state as metrics. Under --json the error handler
 * prints the one JSON document, and CSV has no row for it: nothing here.
 */
function reportUsageUnknown(io: Io, format: ReturnType<typeof requestedFormat>, message: string): void {
  if (format === 'plain') io.stdout.write(`UNKNOWN: ${message}\n`);
  if (format === 'prometheus') writeOut(io, formatPrometheus(metrics.checkMetrics(unknownReport(message))));
}

function output(command: Command, filter = false, limit?: number): Command {
  if (filter) {
    command.option('--schema <name>', 'only this schema (repeatable, or comma-separated)', collect).option('--tenant <slug>', "only this tenant's schema (repeatable, or comma-separated)", collect);
  }
  if (limit) command.option('--limit <n>', 'show the top N rows', positiveInt('--limit'), limit);
  return command
    .option('--csv', 'print CSV with a header row (raw numbers: bytes, milliseconds)')
    .option('--prometheus', 'print Prometheus text exposition format (node_exporter textfile collector)')
    // Checked as migrate's is: a typo is a usage error, not a statement the server refuses.
    .option('--lock-timeout <duration>', 'give up on a statement that waits this long for a lock (e.g. 500ms, 5s)', lockDuration('--lock-timeout'), DEFAULT_LOCK_TIMEOUT);
}

/**
 * The reports and checks only read, and hold no session lock: even after a failure the command
 * need not wait for the server to end its backends (tens of ms after a catalog-wide read).
 */
const READ_ONLY = { waitForClose: false } as const;

/**
 * One monitor report: connect with a single connection (so the session settings hold), read,
 * print. A report that runs statements side by side asks for more `connections` (opened at
 * once) and prepares each one's session itself.
 */
async function report<T>(io: Io, options: Flags, read: (sql: Pool, profile: TenancyProfile) => Promise<T>, human: (data: T) => string, rows: (data: T) => { rows: readonly object[]; columns: readonly Column<any>[] }, metricsOf: (data: T) => readonly Metric[], connections = 1): Promise<void> {
  const data = await withProfile(io, options, async (sql, profile) => {
    const first = prepareSession(sql, options.lockTimeout);
    // The other connections open (and are prepared) while the first is busy, so that a
    // report's second statement does not wait for a connection to open; the report starts
    // as soon as the first is ready. One Promise.all: a failure of either is the command's.
    const others = Promise.all(Array.from({ length: connections - 1 }, () => prepareSession(sql, options.lockTimeout)));
    const [, data] = await Promise.all([others, first.then(() => read(sql, profile))]);
    return data;
  }, connections, READ_ONLY);
  emit(io, options, data, human, { rows: () => rows(data), metrics: () => metricsOf(data) });
  // --csv and --prometheus carry only rows; say where estimated figures come from on stderr.
  const note = (data as { note?: string | null }).note;
  if (note && (options.csv || options.prometheus)) writeErr(io, `note: ${note}`);
}

const csv = <Row>(rows: readonly Row[], columns: readonly Column<Row>[]) => ({ rows, columns: render.raw(columns) });

async function readConfig(io: Io, path: string): Promise<CheckConfig> {
  const file = resolve(io.cwd, path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw thresholdError(`Cannot read the check config ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, 'Pass the path of a JSON file with --config.');
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
    return parsed as CheckConfig;
  } catch (error) {
    throw thresholdError(`${file} is not a valid check config: ${(error as Error).message}.`, 'Write {"connections": {"warning": "80%", "critical": "90%"}, "sequences": {"enabled": false}}.');
  }
}

/** `tenantctl monitor …`: the DBA's morning questions, and health checks for cron/Nagios. */
export function registerMonitor(program: Command, io: Io): void {
  const monitor = program.command('monitor').description('slow queries, sizes per table and tenant, indexes, bloat, sessions, vacuum, sequences; health checks for cron/Nagios');
  // Citus clusters: per-worker load.
  registerMonitorNodes(monitor, io);

  output(monitor.command('slow-queries').description('top statements from pg_stat_statements (this database unless --all-databases)'), false, 20)
    .addOption(new Option('--sort <by>', 'order by total time, mean time or calls').choices(['total', 'mean', 'calls']).default('total'))
    .option('--all-databases', "every database's statements, not only this one's")
    .option('--query-length <n>', 'characters of query text to keep', positiveInt('--query-length'), 200)
    .action(async (_o, command: Command) => {
      const o = optionsOf<Flags<{ sort: 'total' | 'mean' | 'calls'; allDatabases?: boolean; queryLength: number }>>(command);
      await report(io, o, async (sql) => ({ ...(await slowQueries(sql, { sort: o.sort, limit: o.limit, allDatabases: o.allDatabases, queryLength: o.queryLength })), allDatabases: Boolean(o.allDatabases) }),
        (d) => render.renderSlowQueries(io, d), (d) => csv(d.statements, render.slowQueryColumns), (d) => metrics.slowQueryMetrics(d.statements));
    });

  output(monitor.command('table-sizes').description('largest tables: table, indexes, TOAST, total (estimated from the catalog unless --exact)'), true, 20)
    .option('--exact', 'exact sizes from the files (opens every relation: use with --schema/--tenant on a big fleet)')
    .action(async (_o, command: Command) => {
      const o = optionsOf<Flags<{ exact?: boolean }>>(command);
      if (o.exact && !o.schema?.length && !o.tenant?.length) writeErr(io, 'note: --exact without --schema/--tenant sizes every table from its files; this is slow with thousands of tenant schemas');
      await report(io, o, async (sql, profile) => tableSizes(sql, profile.lifecycle.targets, { schemas: await schemasOf(sql, profile, o), limit: o.limit, exact: o.exact }),
        (d) => render.renderTableSizes(io, d), (d) => csv(d.rows, render.tableSizeColumns), metrics.tableSizeMetrics);
    });

  output(monitor.command('tenant-sizes').description('one row per tenant: total size, largest table, estimated rows (pooled: each tenant\'s share of the shared tables, from pg_stats)'), false)
    .option('--tenant <handle>', 'only this tenant (repeatable, or comma-separated)', collect)
    .addOption(new Option('--sort <by>', 'order by').choices(['size', 'rows', 'name']).default('size'))
    .option('--limit <n>', 'show the top N tenants', positiveInt('--limit'))
    .option('--exact', 'exact sizes from the files; pooled: exact row counts, needs --tenant')
    .action(async (_o, command: Command) => {
      const o = optionsOf<Flags<{ sort: 'size' | 'rows' | 'name'; exact?: boolean }>>(command);
      // --tenant takes ids as well as handles: resolved once, the one TENANT_NOT_FOUND for unknown ones.
      const sizesOf = async (sql: Pool, profile: TenancyProfile): Promise<TenantSizesOptions> => ({ tenants: o.tenant?.length ? (await resolveTenants(sql, profile, o.tenant, '--tenant')).map((t) => t.handle) : undefined, sort: o.sort, limit: o.limit, exact: o.exact });
      // A pooled profile keeps every tenant in the same tables: shares of each table, not schemas
      // (its classifier loaded only then).
      const pooledSizes = async (sql: Pool, profile: TenancyProfile) => (await import('../monitor/pooled-sizes.js')).pooledTenantSizes(sql, profile, await sizesOf(sql, profile));
      await report(io, o, async (sql, profile) => (profile.mode === 'pooled' ? pooledSizes(sql, profile) : tenantSizes(sql, profile.lifecycle.targets, await sizesOf(sql, profile))),
        (d) => render.renderTenantSizes(io, d), (d) => csv(d.rows, render.tenantSizeColumns(d)), metrics.tenantSizeMetrics);
    });

  output(monitor.command('indexes').description('unused, duplicate/redundant and invalid indexes, and the index hit rate'), true, 50)
    .action(async (_o, command: Command) => {
      const o = optionsOf<Flags>(command);
      await report(io, o, async (sql, profile) => indexReport(sql, { schemas: await schemasOf(sql, profile, o), limit: o.limit, lockTimeout: o.lockTimeout }),
        (d) => render.renderIndexes(io, d), (d) => csv(d.findings, render.indexColumns), metrics.indexMetrics, 2);
    });

  output(monitor.command('bloat').description('estimated table and b-tree index bloat (from statistics; nothing is scanned)'), true, 20)
    .option('--min-size <size>', 'leave out relations smaller than this (e.g. 10MB)', measureFlag('--min-size', 'bytes'), 1024 * 1024)
    .action(async (_o, command: Command) => {
      const o = optionsOf<Flags<{ minSize: number }>>(command);
      await report(io, o, async (sql, profile) => bloatReport(sql, { schemas: await schemasOf(sql, profile, o), minBytes: o.minSize, limit: o.limit }),
        (d) => render.renderBloat(io, d), (d) => csv(d.rows, render.bloatColumns), (d) => metrics.bloatMetrics(d.rows));
    });

  output(monitor.command('connections').description('client connections by state and application, % of max_connections'))
    .action(async (_o, command: Command) => {
      const o = optionsOf<Flags>(command);
      await report(io, o, connectionReport, (d) => render.renderConnections(io, d), (d) => csv(d.groups, render.connectionColumns), metrics.connectionMetrics);
    });

  output(monitor.command('cache').description('buffer cache hit ratios: heap, index, TOAST, whole database'), true)
    .action(async (_o, command: Command) => {
      const o = optionsOf<Flags>(command);
      await report(io, o, async (sql, profile) => cacheHits(sql, await schemasOf(sql, profile, o)), (d) => render.renderCache(io, d), (d) => csv(d.ratios, render.cacheColumns), (d) => metrics.cacheMetrics(d.ratios));
    });

  output(monitor.command('activity').description('long-running queries, idle in transaction, blocking/blocked pairs'))
    .option('--min-duration <duration>', 'hide sessions busy for less than this, e.g. 30s (blocked ones always show)', measureFlag('--min-duration', 'ms'), 0)
    .option('--query-length <n>', 'characters of query text to keep', positiveInt('--query-length'), 200)
    .action(async (_o, command: Command) => {
      const o = optionsOf<Flags<{ minDuration: number; queryLength: number }>>(command);
      await report(io, o, (sql) => activityReport(sql, { minDurationMs: o.minDuration, queryLength: o.queryLength }),
        (d) => render.renderActivity(io, d), (d) => csv(d.sessions, render.activityColumns), metrics.activityMetrics);
    });

  output(monitor.command('vacuum').description('dead tuples, last (auto)vacuum/analyze, transaction-id wraparound age per database and table'), true, 20)
    .addOption(new Option('--sort <by>', 'dead tuples, xid age, or longest since analyze').choices(['dead', 'age', 'stale']).default('dead'))
    .action(async (_o, command: Command) => {
      const o = optionsOf<Flags<{ sort: 'dead' | 'age' | 'stale' }>>(command);
      await report(io, o, async (sql, profile) => vacuumReport(sql, { schemas: await schemasOf(sql, profile, o), sort: o.sort, limit: o.limit }),
        (d) => render.renderVacuum(io, d), (d) => csv(d.tables, render.vacuumColumns), (d) => metrics.vacuumMetrics(d.databases, d.tables));
    });

  output(monitor.command('sequences').description("how close each sequence is to its type's (or its column's) limit"), true, 20)
    .action(async (_o, command: Command) => {
      const o = optionsOf<Flags>(command);
      await report(io, o, async (sql, profile) => sequenceReport(sql, { schemas: await schemasOf(sql, profile, o), limit: o.limit }),
        (d) => render.renderSequences(io, d), (d) => csv(d.sequences, render.sequenceColumns), (d) => metrics.sequenceMetrics(d.sequences));
    });

  const check = output(monitor.command('check').description('health checks against thresholds; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Nagios)'))
    .option('--warning <check=value>', 'warning threshold of a check, e.g. connections=70% (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--critical <check=value>', 'critical threshold of a check, e.g. long-queries=10min (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--config <file>', 'JSON thresholds: {"connections": {"warning": "80%", "critical": "90%"}, "sequences": {"enabled": false}}')
    .option('--only <checks>', 'run only these checks (comma-separated)', collect)
    .option('--skip <checks>', 'skip these checks (comma-separated)', collect)
    .option('--verbose', 'print every check, not only problems')
    // Alerting reads the exit code: a mistyped option is UNKNOWN (3), never a false CRITICAL (2).
    .exitOverride((error) => {
      if (error.exitCode !== 0) {
        error.exitCode = NAGIOS.UNKNOWN;
        reportUsageUnknown(io, requestedFormat(check), error.message.replace(/^error: /, ''));
      }
      throw error;
    })
    .addHelpText('after', '\nChecks and default thresholds: see docs/monitor.md (or --json for the values used).\nExamples:\n  tenantctl monitor check\n  tenantctl monitor check --warning connections=70% --critical long-queries=10min\n  tenantctl monitor check --config /etc/tenantctl/check.json --prometheus > /var/lib/node_exporter/tenantctl.prom')
    .action(async (_o, command: Command) => {
      const o = optionsOf<Flags<{ warning?: string[]; critical?: string[]; config?: string; only?: string[]; skip?: string[]; verbose?: boolean }>>(command);
      let result: CheckReport;
      // Loaded when checks run: the check list reaches into most of monitor/ and citus/.
      const { resolveSettings, runChecks, unknownReport } = await import('../monitor/check.js');
      // Every failure here is UNKNOWN (3) for Nagios, never the generic 1/2 of the error handler.
      try {
        const settings = resolveSettings({ config: o.config ? await readConfig(io, o.config) : undefined, warning: o.warning, critical: o.critical, only: o.only, skip: o.skip });
        result = await withProfile(io, o, async (sql, profile) => {
          await prepareSession(sql, o.lockTimeout);
          return runChecks(sql, profile.lifecycle.targets, settings, o.lockTimeout);
        }, 3, READ_ONLY); // the sequence, and a connection for each catalog-wide check beside it
      } catch (error) {
        if (o.debug) writeErr(io, (error as Error).stack ?? String(error));
        const known = error instanceof TenantctlError ? error : undefined;
        result = unknownReport(known ? `${known.message}${known.hint ? ` ${known.hint}` : ''}` : String((error as Error).message ?? error));
      }
      emit(io, o, result, (r) => render.renderCheck(io, r, Boolean(o.verbose)), { rows: () => csv(result.checks, render.checkColumns), metrics: () => metrics.checkMetrics(result) });
      process.exitCode = result.exitCode;
    });

  monitor.command('reset-stats')
    .description("forget pg_stat_statements' statistics (this database unless --all-databases)")
    .option('--all-databases', "reset every database's statements")
    .option('--yes', 'do not ask for confirmation')
    .action(async (_o, command: Command) => {
      const o = optionsOf<{ allDatabases?: boolean; yes?: boolean }>(command);
      if (!o.yes && !io.interactive) throw usageError(`monitor reset-stats needs confirmation: pass --yes (${noPromptsBecause(io)}).`, 'Nothing was reset. Re-run with --yes.');
      const data = await withDatabase(io, o, async (sql, config) => {
        await confirmOrRequireYes(io, o, `Reset pg_stat_statements for ${o.allDatabases ? 'EVERY database' : `database "${config.database}"`}? Slow-query history is lost.`, 'monitor reset-stats');
        return resetStatStatements(sql, o.allDatabases);
      }, 1);
      emit(io, o, { reset: true, ...data }, (d) => `pg_stat_statements reset for ${d.scope === 'all' ? 'every database' : `database "${d.database}"`}`);
    });
}
