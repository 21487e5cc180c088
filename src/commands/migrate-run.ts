import type { DownImpact } from '../migrate/down-impact.js';
import type { Io } from '../context.js';
import type { Pool, Sql } from '../db/connect.js';
import { defaultActor } from '../context.js';
import { EXIT, TenantctlError, usageError } from '../errors.js';
import { refuseUnadoptedDbmateLedger } from '../migrate/adopt.js';
import { defaultConcurrency, MAX_DEFAULT_CONCURRENCY } from '../migrate/concurrency.js';
import { checkSections, type Migration, type MigrationScope } from '../migrate/files.js';
import { planDown, planFiles, planUp, type Plan, type Selection } from '../migrate/plan.js';
import { runPlan, SUBXID_CACHE, type RunReport } from '../migrate/run.js';
import { readFleetState } from '../migrate/state.js';
import { pendingFiles, scopedStatus } from '../migrate/status-scope.js';
import { findDrift } from '../migrate/status.js';
import { emit, writeErr } from '../output/emit.js';
import { progress } from '../output/progress.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { DEFAULT_PROFILE } from '../tenancy/profiles/index.js';
import { resolveTenants } from '../tenancy/registry.js';
import { forgetProfileIfUnused, recordProfile, recordProfileRow } from '../tenancy/resolve-profile.js';
import { requireServerFor } from '../tenancy/server-minimum.js';
import { printablePath } from '../files/private.js';
import { impactJson, renderDrift, renderImpact, renderPlan, renderReport, renderStatus } from './migrate-render.js';
import { loadMigrationsFor, migrationsDir, type FolderOptions } from './migrate-files.js';
import type { DownConsent } from './migrate-consent.js';
import { withGracefulStop } from './graceful-stop.js';
import { profileRequested, withProfile, type GlobalOptions } from './shared.js';

// What `migrate status|up|down|new|verify` run, loaded when one runs (commands/migrate.ts registers them).

export interface ScopeFlags extends FolderOptions {
  tenant?: string[];
  sharedOnly?: boolean;
  tenantsOnly?: boolean;
  onlyFailed?: boolean;
  to?: string;
}

export interface RunFlags extends ScopeFlags, DownConsent {
  actor?: string;
  /** --concurrency; when absent, defaultConcurrency() of the server's address. */
  concurrency?: number;
  batchSize?: number;
  dryRun?: boolean;
  continueOnError?: boolean;
  wait: boolean;
  steps?: number;
  yes?: boolean;
  /** --lock-timeout, checked by lockDuration: every session's lock_timeout. */
  lockTimeout?: string;
}

/**
 * Where the fleet stands, for the profile: its shared target and its tenant schemas (none when
 * pooled). Only the --tenant ones when named; else, with `countCurrent`, the tenants already at
 * the files are one count, not one row each (status, up and verify need no more of them).
 */
const fleetState = (sql: Pool, profile: TenancyProfile, files: { shared: Migration[]; tenant: Migration[] }, o: ScopeFlags, countCurrent: boolean) =>
  readFleetState(sql, profile.lifecycle.targets, files, profile.registry.schema, o.tenant?.length ? { only: o.tenant } : { countCurrent });

/**
 * --tenant names tenants by id or handle (resolved like every tenant argument, one
 * unknown-tenant error); the plan works on handles. --tenant / --tenants-only mean nothing
 * where the profile has no per-tenant migrations.
 */
async function checkTargets(sql: Pool, profile: TenancyProfile, o: ScopeFlags): Promise<void> {
  if (profile.migrations.tenant === null && (o.tenant?.length || o.tenantsOnly)) {
    throw usageError(`Profile ${profile.name} is ${profile.mode}: its migrations have one target, the schema ${profile.registry.schema}, not one per tenant; --tenant and --tenants-only do not apply.`, 'Drop --tenant / --tenants-only.');
  }
  if (o.tenant?.length) o.tenant = (await resolveTenants(sql, profile, o.tenant, '--tenant')).map((t) => t.handle);
}

const selectionOf = (o: ScopeFlags): Selection => ({ tenants: o.tenant, sharedOnly: o.sharedOnly, tenantsOnly: o.tenantsOnly, onlyFailed: o.onlyFailed, to: o.to });

export async function execute(io: Io, options: RunFlags & GlobalOptions, direction: 'up' | 'down'): Promise<void> {
  // Asked for, so run as asked; but a batch that large slows every session of the server, not just this run.
  if (direction === 'up' && options.batchSize !== undefined && options.batchSize > SUBXID_CACHE) {
    writeErr(io, `warning: --batch-size ${options.batchSize} puts ${options.batchSize} savepoints (subtransactions) in one transaction. Past ${SUBXID_CACHE}, every snapshot taken anywhere in the database reads pg_subtrans while a batch is open, which slows the application's queries too. Keep it well under ${SUBXID_CACHE} (the default batches up to 32 tenants).`);
  }
  await withProfile(
    io,
    options,
    async (sql, profile, config) => {
      // A server too old for the profile: refused before the profile is recorded or anything applied.
      if (direction === 'up') await requireServerFor(sql, profile);
      await checkTargets(sql, profile, options);
      const files = await loadMigrationsFor(io, options, profile.migrations, { lazy: true });
      const planNow = async () => {
        const state = await fleetState(sql, profile, files, options, direction === 'up');
        const plan: Plan = direction === 'up' ? planUp(state, files, selectionOf(options)) : planDown(state, files, { ...selectionOf(options), steps: options.steps });
        // Every file the plan runs (or shows) is split and linted first, so a refused one stops it before anything runs.
        checkSections(planFiles(plan));
        return { state, plan };
      };
      const { state, plan } = await planNow();
      if (direction === 'up') await refuseUnadoptedDbmateLedger(sql, state.shared.applied, plan.shared?.migrations ?? []);
      // Before anything runs: what the down sections would drop or empty, counted now.
      const impact: DownImpact | undefined = direction === 'down' ? await (await import('../migrate/down-impact.js')).measureDownImpact(sql, plan) : undefined;
      if (options.dryRun) return emit(io, options, { dryRun: true, plan: planJson(plan), ...(impact ? { destroys: impactJson(impact) } : {}) }, () => renderPlan(plan) + (impact ? `\n${renderImpact(impact)}` : ''));
      if (impact) await (await import('./migrate-consent.js')).confirmDown(io, options, plan, impact);
      // The first `migrate up` records the profile, so later commands need no --profile; before
      // it runs, so that two first runs of different profiles cannot both proceed, and again
      // under the fleet lock (a run it queued behind may have removed its record). A run that
      // made the record and then applies nothing at all removes it, still under the lock. Under the
      // lock, on the connection that holds it: a run with nothing to do needs no other.
      let recordedNow = direction === 'up' && (await recordProfile(sql, profile));
      const locked = direction === 'up' ? {
        first: async (lockConnection: Sql) => {
          if (await recordProfileRow(lockConnection, profile)) recordedNow = true;
        },
        last: async (lockConnection: Sql) => {
          if (recordedNow) await forgetProfileIfUnused(lockConnection, profile);
        },
      } : undefined;
      const bar = progress(io, `migrate ${direction}: tenants`, plan.tenants.length);
      let report: RunReport;
      let received: NodeJS.Signals | undefined;
      try {
        ({ result: report, received } = await withGracefulStop(io, `migrate ${direction}`, (signal) => runPlan(sql, plan, {
          signal,
          concurrency: options.concurrency ?? defaultConcurrency(config),
          batchSize: options.batchSize,
          continueOnError: options.continueOnError,
          noWait: !options.wait,
          onWait: () => writeErr(io, 'waiting for another tenantctl migrate run to finish (pass --no-wait to fail instead)…'),
          // The run it waited for changed the fleet: up plans again; down was consented to for what it showed, so a changed plan stops it.
          replan: async () => {
            if (direction === 'up') return (await planNow()).plan;
            // A plan refused now (the baseline is all that is left to revert) is a changed plan too.
            const now = await planNow().then((r) => r.plan, (error: unknown) => {
              if (error instanceof TenantctlError) return undefined;
              throw error;
            });
            return sameDownPlan(plan, now);
          },
          onProgress: (done, _total, failed) => bar.update(done, `${failed} failed`),
          audit: { actor: options.actor ?? defaultActor(io.env), impact, selection: { ...selectionOf(options), steps: options.steps } },
          locked,
        })));
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
      // Citus: shared tables the run created become reference tables (null elsewhere, and for a pooled profile: they stay local).
      const referenceTables = direction === 'up' && report.ok ? await (await import('../citus/reference.js')).referenceNewSharedTables(sql, profile.mode, report.shared?.outcome === 'applied') : null;
      const referenceLines = referenceTables?.length ? (await import('./citus-render.js')).renderReferenceTables(referenceTables) : '';
      emit(io, options, referenceTables?.length ? { ...report, referenceTables } : report, (r) => renderReport(io, r) + referenceLines);
      if (received) process.exitCode = received === 'SIGINT' ? 130 : 143;
      else if (!report.ok) process.exitCode = 1;
    },
    // The pool opens connections as workers ask for them: room for the most a default can choose.
    (options.concurrency ?? MAX_DEFAULT_CONCURRENCY) + 2,
    { settings: options.lockTimeout ? { lock_timeout: options.lockTimeout } : undefined },
  );
}

/** The down plan made after waiting for the lock, when it reverts exactly what was shown and consented to. */
function sameDownPlan(shown: Plan, now: Plan | undefined): Plan {
  const steps = (p: Plan) => JSON.stringify([p.shared?.migrations.map((m) => m.version) ?? [], p.tenants.map((t) => [t.schema, t.migrations.map((m) => m.version)])]);
  if (now && steps(shown) === steps(now)) return now;
  throw new TenantctlError('MIGRATE_FLEET_CHANGED', 'The fleet changed while this migrate down waited for another run to finish: what it would revert now is not what it showed.', {
    hint: 'Run it again (with --dry-run first) to see what it would revert now. Nothing was changed.',
    exitCode: EXIT.locked,
  });
}

function planJson(plan: Plan): unknown {
  const pick = (p: { schema: string; slug?: string; migrations: Plan['tenants'][number]['migrations'] }) => ({
    schema: p.schema,
    slug: p.slug,
    migrations: p.migrations.map((m) => ({ version: m.version, file: m.path, transaction: (plan.direction === 'up' ? m.up : m.down!).transaction, sql: (plan.direction === 'up' ? m.up : m.down!).sql.trim() })),
  });
  return { direction: plan.direction, shared: plan.shared ? pick(plan.shared) : null, tenants: plan.tenants.map(pick), unchanged: plan.unchanged.length, skipped: plan.skipped };
}

/** `migrate status`. */
export async function runStatus(io: Io, options: ScopeFlags & GlobalOptions): Promise<void> {
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
}

/** `migrate new`. */
export async function runNew(io: Io, name: string, options: { scope?: MigrationScope; migrationsDir?: string } & GlobalOptions): Promise<void> {
  // Works offline: the profile comes from --profile / TENANTCTL_PROFILE, else commerce.
  const profile = profileRequested(io, options) ?? DEFAULT_PROFILE;
  const scope = options.scope ?? (profile.migrations.tenant === null ? 'shared' : 'tenant');
  const folder = scope === 'shared' ? profile.migrations.shared : profile.migrations.tenant;
  if (folder === null) throw usageError(`Profile ${profile.name} has no per-tenant migrations (it is ${profile.mode}).`, 'Use --scope shared (the default for this profile).');
  const { createMigration } = await import('../migrate/create.js');
  const path = await createMigration(migrationsDir(io, options.migrationsDir), scope, name, io.now(), folder);
  emit(io, options, { created: path }, (d) => `created ${printablePath(d.created)}`);
}

/** `migrate verify`. */
export async function runVerify(io: Io, options: ScopeFlags & GlobalOptions): Promise<void> {
  await withProfile(io, options, async (sql, profile) => {
    await checkTargets(sql, profile, options);
    const files = await loadMigrationsFor(io, options, profile.migrations, { lazy: true });
    const drift = findDrift(await fleetState(sql, profile, files, options, true), files);
    emit(io, options, { ok: drift.length === 0, drift }, (d) => renderDrift(d.drift));
    // Drift is a finding, not a crash: the report above names every file; the exit code says it.
    if (drift.length) process.exitCode = 1;
  });
}
