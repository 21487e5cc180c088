import { Option, type Command } from 'commander';
import type { Io } from '../context.js';
import { refuseUnadoptedDbmateLedger } from '../migrate/adopt.js';
import { createMigration } from '../migrate/create.js';
import type { MigrationScope } from '../migrate/files.js';
import { planDown, planUp, type Plan, type Selection } from '../migrate/plan.js';
import { runPlan, type RunReport } from '../migrate/run.js';
import { readFleetState } from '../migrate/state.js';
import { scopedStatus } from '../migrate/status-scope.js';
import { findDrift } from '../migrate/status.js';
import { restoreLeftovers } from '../backup/restore-staging.js';
import { renderRestoreLeftovers } from './backup-render.js';
import { measureDownImpact, type DownImpact } from '../migrate/down-impact.js';
import { emit, writeErr } from '../output/emit.js';
import { progress } from '../output/progress.js';
import { schemaPerTenant } from '../tenancy/strategy.js';
import { defaultActor } from '../context.js';
import { confirmDown, type DownConsent } from './migrate-consent.js';
import { impactJson, renderDrift, renderImpact, renderPlan, renderReport, renderStatus } from './migrate-render.js';
import { registerMigrateAdoption } from './migrate-adopt.js';
import { addFolderFlags, loadMigrationsFor, migrationsDir, type FolderOptions } from './migrate-files.js';
import { collect, optionsOf, positiveInt, withDatabase, type GlobalOptions } from './shared.js';
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
  dryRun?: boolean;
  continueOnError?: boolean;
  wait: boolean;
  steps?: number;
  yes?: boolean;
}

export { migrationsDir } from './migrate-files.js';

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
    .option('--dry-run', 'print the SQL that would run, per scope, and change nothing')
    .option('--continue-on-error', 'keep migrating other tenants after one fails')
    .option('--only-failed', 'only the schemas whose last run failed')
    .option('--no-wait', 'fail at once (exit 75) if another migrate run holds the lock')
    .option('--actor <who>', 'who runs it, for tenantctl.migration_runs (default: your OS user)');
}

async function execute(io: Io, options: RunFlags & GlobalOptions, direction: 'up' | 'down'): Promise<void> {
  const files = await loadMigrationsFor(io, options);
  await withDatabase(
    io,
    options,
    async (sql) => {
      const state = await readFleetState(sql, schemaPerTenant, files);
      const plan: Plan = direction === 'up' ? planUp(state, files, selectionOf(options)) : planDown(state, files, { ...selectionOf(options), steps: options.steps });
      if (direction === 'up') await refuseUnadoptedDbmateLedger(sql, state.shared.applied, plan.shared?.migrations ?? []);
      // Before anything runs: what the down sections would drop or empty, counted now.
      const impact: DownImpact | undefined = direction === 'down' ? await measureDownImpact(sql, plan) : undefined;
      if (options.dryRun) return emit(io, options, { dryRun: true, plan: planJson(plan), ...(impact ? { destroys: impactJson(impact) } : {}) }, () => renderPlan(plan) + (impact ? `\n${renderImpact(impact)}` : ''));
      if (impact) await confirmDown(io, options, plan, impact);
      const bar = progress(io, `migrate ${direction}: tenants`, plan.tenants.length);
      let report: RunReport;
      try {
        report = await runPlan(sql, plan, {
          concurrency: options.concurrency,
          continueOnError: options.continueOnError,
          noWait: !options.wait,
          onWait: () => writeErr(io, 'waiting for another tenantctl migrate run to finish (pass --no-wait to fail instead)…'),
          onProgress: (done, _total, failed) => bar.update(done, `${failed} failed`),
          audit: { actor: options.actor ?? defaultActor(io.env), impact, selection: { ...selectionOf(options), steps: options.steps } },
        });
      } finally {
        bar.done();
      }
      emit(io, options, report, (r) => renderReport(io, r));
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
    const files = await loadMigrationsFor(io, options);
    await withDatabase(io, options, async (sql) => {
      // Staging schemas of killed `backup restore-tenant` runs: not tenants, but they hold tenant data.
      const report = { ...scopedStatus(await readFleetState(sql, schemaPerTenant, files), files, selectionOf(options)), restoreLeftovers: await restoreLeftovers(sql) };
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
    .addOption(new Option('--scope <scope>', 'shared (public) or tenant (every tenant schema)').choices(['shared', 'tenant']).default('tenant'))
    .option('--migrations-dir <dir>', 'folder with shared/ and tenant/ migration files')
    .action(async (name: string, _o, command: Command) => {
      const options = optionsOf<{ scope: MigrationScope; migrationsDir?: string }>(command);
      const path = await createMigration(migrationsDir(io, options.migrationsDir), options.scope, name, io.now());
      emit(io, options, { created: path }, (d) => `created ${printablePath(d.created)}`);
    });

  registerMigrateAdoption(migrate, io);

  addScopeAndFolderFlags(migrate.command('verify').description('fail (exit 1) if an applied migration file changed or disappeared since it ran')).action(async (_o, command: Command) => {
    const options = optionsOf<ScopeFlags>(command);
    const files = await loadMigrationsFor(io, options);
    await withDatabase(io, options, async (sql) => {
      const drift = findDrift(await readFleetState(sql, schemaPerTenant, files), files);
      emit(io, options, { ok: drift.length === 0, drift }, (d) => renderDrift(d.drift));
      // Drift is a finding, not a crash: the report above names every file; the exit code says it.
      if (drift.length) process.exitCode = 1;
    });
  });
}
