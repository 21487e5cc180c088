import { Option, type Command } from 'commander';
import type { DownImpact } from '../migrate/down-impact.js';
import type { DownConsent } from './migrate-consent.js';
import type { Io } from '../context.js';
import type { Sql } from '../db/connect.js';
import { usageError } from '../errors.js';
import { refuseUnadoptedDbmateLedger } from '../migrate/adopt.js';
import { checkSections, type Migration, type MigrationScope } from '../migrate/files.js';
import { planDown, planUp, type Plan, type Selection } from '../migrate/plan.js';
import { runPlan, type RunReport } from '../migrate/run.js';
import { readFleetState } from '../migrate/state.js';
import { pendingFiles, scopedStatus } from '../migrate/status-scope.js';
import { findDrift } from '../migrate/status.js';
import { emit, writeErr } from '../output/emit.js';
import { progress } from '../output/progress.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { DEFAULT_PROFILE } from '../tenancy/profiles/index.js';
import { resolveTenants } from '../tenancy/registry.js';
import { recordProfile } from '../tenancy/resolve-profile.js';
import { defaultActor } from '../context.js';
import { impactJson, renderDrift, renderImpact, renderPlan, renderReport, renderStatus } from './migrate-render.js';
import { registerMigrateAdoption } from './migrate-adopt.js';
import { addFolderFlags, loadMigrationsFor, migrationsDir, type FolderOptions } from './migrate-files.js';
import { collect, optionsOf, positiveInt, profileRequested, withProfile, type GlobalOptions } from './shared.js';
import { printablePath } from '../files/private.js';

interface ScopeFlags extends FolderOptions {
  tenant?: string[];
  sharedOnly?: boolean;
  tenantsOnly?: boolean;
  onlyFailed?: boolean;
  to?: string;
}

interface RunFlags extends ScopeFlags, DownConsent {
  actor?: string;
  concurrency: number;
  batchSize: number;
  dryRun?: boolean;
  continueOnError?: boolean;
  wait: boolean;
  steps?: number;
  yes?: boolean;
}

export { migrationsDir } from './migrate-files.js';

/**
 * Where the fleet stands, for the profile: its shared target and its tenant schemas (none when
 * pooled). Only the --tenant ones when named; else, with `countCurrent`, the tenants already at
 * the files are one count, not one row each (status, up and verify need no more of them).
 */
const fleetState = (sql: Sql, profile: TenancyProfile, files: { shared: Migration[]; tenant: Migration[] }, o: ScopeFlags, countCurrent: boolean) =>
  readFleetState(sql, profile.lifecycle.targets, files, profile.registry.schema, o.tenant?.length ? { only: o.tenant } : { countCurrent });

/**
 * --tenant names tenants by id or handle (resolved like every tenant argument, one
 * unknown-tenant error); the plan works on handles. --tenant / --tenants-only mean nothing
 * where the profile has no per-tenant migrations.
 */
async function checkTargets(sql: Sql, profile: TenancyProfile, o: ScopeFlags): Promise<void> {
  if (profile.migrations.tenant === null && (o.tenant?.length || o.tenantsOnly)) {
    throw usageError(`Profile ${profile.name} is ${profile.mode}: its migrations have one target, the schema ${profile.registry.schema}, not one per tenant; --tenant and --tenants-only do not apply.`, 'Drop --tenant / --tenants-only.');
  }
  if (o.tenant?.length) o.tenant = (await resolveTenants(sql, profile, o.tenant, '--tenant')).map((t) => t.handle);
}

const selectionOf = (o: ScopeFlags): Selection => ({ tenants: o.tenant, sharedOnly: o.sharedOnly, tenantsOnly: o.tenantsOnly, onlyFailed: o.onlyFailed, to: o.to });

function addScopeFlags(command: Command): Command {
  return command
    .option('--tenant <slug>', 'only this tenant (repeatable, or comma-separated)', collect)
    .option('--shared-only', 'only the shared public schema')
    .option('--tenants-only', 'only tenant schemas');
}

function addScopeAndFolderFlags(command: Command): Command {
  return addFolderFlags(addScopeFlags(command));
}

function addRunFlags(command: Command): Command {
  return addScopeAndFolderFlags(command)
    .option('--to <version>', 'stop at this version')
    .option('--concurrency <n>', 'parallel tenant workers', positiveInt('--concurrency'), 8)
    .option('--batch-size <n>', 'up: tenants per transaction, a savepoint each (locks are held until the batch commits; 1 = each alone)', positiveInt('--batch-size'), 16)
    .option('--dry-run', 'print the SQL that would run, per scope, and change nothing')
    .option('--continue-on-error', 'keep migrating other tenants after one fails')
    .option('--only-failed', 'only the schemas whose last run failed')
    .option('--no-wait', 'fail at once (exit 75) if another migrate run holds the lock')
    .option('--actor <who>', 'who runs it, for tenantctl.migration_runs (default: your OS user)');
}

async function execute(io: Io, options: RunFlags & GlobalOptions, direction: 'up' | 'down'): Promise<void> {
  await withProfile(
    io,
    options,
    async (sql, profile) => {
      await checkTargets(sql, profile, options);
      const files = await loadMigrationsFor(io, options, profile.migrations, { lazy: true });
      const state = await fleetState(sql, profile, files, options, direction === 'up');
      const plan: Plan = direction === 'up' ? planUp(state, files, selectionOf(options)) : planDown(state, files, { ...selectionOf(options), steps: options.steps });
      // Anything to run (or to show): every file is split and linted first, so a refused one stops it before anything runs.
      if (options.dryRun || plan.tenants.length || plan.shared?.migrations.length) checkSections([...files.shared, ...files.tenant]);
      if (direction === 'up') await refuseUnadoptedDbmateLedger(sql, state.shared.applied, plan.shared?.migrations ?? []);
      // Before anything runs: what the down sections would drop or empty, counted now.
      const impact: DownImpact | undefined = direction === 'down' ? await (await import('../migrate/down-impact.js')).measureDownImpact(sql, plan) : undefined;
      if (options.dryRun) return emit(io, options, { dryRun: true, plan: planJson(plan), ...(impact ? { destroys: impactJson(impact) } : {}) }, () => renderPlan(plan) + (impact ? `\n${renderImpact(impact)}` : ''));
      if (impact) await (await import('./migrate-consent.js')).confirmDown(io, options, plan, impact);
      // The first `migrate up` records the profile, so later commands need no --profile.
      if (direction === 'up') await recordProfile(sql, profile);
      const bar = progress(io, `migrate ${direction}: tenants`, plan.tenants.length);
      let report: RunReport;
      try {
        report = await runPlan(sql, plan, {
          concurrency: options.concurrency,
          batchSize: options.batchSize,
          continueOnError: options.continueOnError,
          noWait: !options.wait,
          onWait: () => writeErr(io, 'waiting for another tenantctl migrate run to finish (pass --no-wait to fail instead)…'),
          onProgress: (done, _total, failed) => bar.update(done, `${failed} failed`),
          audit: { actor: options.actor ?? defaultActor(io.env), impact, selection: { ...selectionOf(options), steps: options.steps } },
        });
      } finally {
        bar.done();
      }
      // The warm pool's spares (schema-per-tenant only: a pooled system has no tenant schemas) follow the whole
      // fleet: up to the latest tenant migrations; down, a spare holding a reverted migration is dropped (it holds no
      // data), else it would make the fleet look ahead of this checkout and no create could take it.
      const wholeFleet = profile.mode === 'schema-per-tenant' && report.ok && !options.tenant?.length && !options.sharedOnly && !options.onlyFailed && (direction === 'down' || !options.to);
      if (wholeFleet) {
        const reverted = new Set(direction === 'down' ? plan.tenants.flatMap((t) => t.migrations.map((m) => m.version)) : []);
        report.pool = await (await import('../tenants/pool.js')).migratePool(sql, files.tenant.filter((m) => !reverted.has(m.version)));
      }
      // Citus: shared tables the run created become reference tables (null elsewhere).
      const referenceTables = direction === 'up' && report.ok ? await (await import('../citus/reference.js')).referenceNewSharedTables(sql) : null;
      const referenceLines = referenceTables?.length ? (await import('./citus-render.js')).renderReferenceTables(referenceTables) : '';
      emit(io, options, referenceTables?.length ? { ...report, referenceTables } : report, (r) => renderReport(io, r) + referenceLines);
      if (!report.ok) process.exitCode = 1;
    },
    options.concurrency + 2,
  );
}

function planJson(plan: Plan): unknown {
  const pick = (p: { schema: string; slug?: string; migrations: Plan['tenants'][number]['migrations'] }) => ({
    schema: p.schema,
    slug: p.slug,
    migrations: p.migrations.map((m) => ({ version: m.version, file: m.path, transaction: (plan.direction === 'up' ? m.up : m.down!).transaction, sql: (plan.direction === 'up' ? m.up : m.down!).sql.trim() })),
  });
  return { direction: plan.direction, shared: plan.shared ? pick(plan.shared) : null, tenants: plan.tenants.map(pick), unchanged: plan.unchanged.length, skipped: plan.skipped };
}

/** `tenantctl migrate status|up|down|new|verify`. */
export function registerMigrate(program: Command, io: Io): void {
  const migrate = program.command('migrate').description('migrate the shared schema and every tenant schema (status, up, down, new, verify, adopt, baseline)');

  addScopeAndFolderFlags(migrate.command('status').description('where the shared schema and every tenant stand: versions, behind, failed, drift')).action(async (_o, command: Command) => {
    const options = optionsOf<ScopeFlags>(command);
    await withProfile(io, options, async (sql, profile) => {
      await checkTargets(sql, profile, options);
      // Versions and checksums are all status needs, until a file is pending (below).
      const files = await loadMigrationsFor(io, options, profile.migrations, { lazy: true });
      // Staging schemas of killed `backup restore-tenant` runs: not tenants, but they hold tenant data.
      const status = scopedStatus(await fleetState(sql, profile, files, options, true), files, selectionOf(options));
      // A pending file is split and linted, so status names a refused one as up would; a current fleet parses none.
      checkSections(pendingFiles(status, files));
      const [{ restoreLeftovers }, { renderRestoreLeftovers }] = await Promise.all([import('../backup/restore-staging.js'), import('./backup-render.js')]);
      const report = { ...status, restoreLeftovers: await restoreLeftovers(sql) };
      emit(io, options, report, (r) => renderStatus(io, r) + renderRestoreLeftovers(r.restoreLeftovers));
    });
  });

  addRunFlags(migrate.command('up').description('apply pending migrations: shared first, then every tenant schema in parallel'))
    .addHelpText('after', '\nExamples:\n  tenantctl migrate up\n  tenantctl migrate up --tenant acme --tenant globex --dry-run\n  tenantctl migrate up --concurrency 8 --continue-on-error --json')
    .action(async (_o, command: Command) => execute(io, optionsOf<RunFlags>(command), 'up'));

  addRunFlags(migrate.command('down').description('revert the last migration per schema (tenants first, then shared)'))
    .option('--steps <n>', 'how many migrations to revert per schema', positiveInt('--steps'))
    .option('--yes', 'do not ask for confirmation')
    .option('--drop-data', 'acknowledge that the down sections destroy the rows listed (needed with --yes when they hold data)')
    .addHelpText('after', '\nReverting the first (baseline) migration of a scope needs --to 0.\n\nExamples:\n  tenantctl migrate down --tenants-only --dry-run     what the last tenant migration\'s down section drops, with row counts\n  tenantctl migrate down --tenants-only --yes         revert it (add --drop-data if the dry run lists rows)\n  tenantctl migrate down --to 0001 --dry-run')
    .action(async (_o, command: Command) => execute(io, optionsOf<RunFlags>(command), 'down'));

  migrate
    .command('new <name>')
    .description('create the next migration file with -- migrate:up / -- migrate:down sections')
    .addOption(new Option('--scope <scope>', 'shared (public, or a pooled profile\'s one schema) or tenant (every tenant schema) (default: tenant where the profile has tenant schemas, else shared)').choices(['shared', 'tenant']))
    .option('--migrations-dir <dir>', 'folder with the profile\'s migration folders (shared/ and tenant/, or e.g. imsop/)')
    .action(async (name: string, _o, command: Command) => {
      const options = optionsOf<{ scope?: MigrationScope; migrationsDir?: string }>(command);
      // Works offline: the profile comes from --profile / TENANTCTL_PROFILE, else commerce.
      const profile = profileRequested(io, options) ?? DEFAULT_PROFILE;
      const scope = options.scope ?? (profile.migrations.tenant === null ? 'shared' : 'tenant');
      const folder = scope === 'shared' ? profile.migrations.shared : profile.migrations.tenant;
      if (folder === null) throw usageError(`Profile ${profile.name} has no per-tenant migrations (it is ${profile.mode}).`, 'Use --scope shared (the default for this profile).');
      const { createMigration } = await import('../migrate/create.js');
      const path = await createMigration(migrationsDir(io, options.migrationsDir), scope, name, io.now(), folder);
      emit(io, options, { created: path }, (d) => `created ${printablePath(d.created)}`);
    });

  registerMigrateAdoption(migrate, io);

  addScopeAndFolderFlags(migrate.command('verify').description('fail (exit 1) if an applied migration file changed or disappeared since it ran')).action(async (_o, command: Command) => {
    const options = optionsOf<ScopeFlags>(command);
    await withProfile(io, options, async (sql, profile) => {
      await checkTargets(sql, profile, options);
      const files = await loadMigrationsFor(io, options, profile.migrations, { lazy: true });
      const drift = findDrift(await fleetState(sql, profile, files, options, true), files);
      emit(io, options, { ok: drift.length === 0, drift }, (d) => renderDrift(d.drift));
      // Drift is a finding, not a crash: the report above names every file; the exit code says it.
      if (drift.length) process.exitCode = 1;
    });
  });
}
