import { TenantctlError, usageError } from '../errors.js';
import { schemaColumnLabel, schemaMismatchError } from '../tenancy/schema-guard.js';
import { aheadOfCheckout, refuseOlderCheckout } from './checkout.js';
import type { TenantRef } from '../tenancy/types.js';
import { compareVersions, type Migration, type MigrationScope } from './files.js';
import type { FleetState, SchemaState } from './state.js';
import type { RegistrySpec } from '../tenancy/profile.js';

/** One schema and the migrations to run on it, in order. */
export interface SchemaPlan {
  scope: MigrationScope;
  schema: string;
  slug?: string;
  /** A spare schema of the warm pool (src/tenants/pool.ts): its registry row is in tenantctl.tenant_pool, not the tenant registry. */
  spare?: boolean;
  /** Its last run failed (tenantctl.schema_state): a run with no files still marks it healthy again. */
  failed?: boolean;
  /**
   * The profile's registry. Tenant scope: its row naming this schema a migration must leave in
   * place; shared scope: an `up` must not make it vanish (integrity.ts).
   */
  registry?: RegistrySpec;
  migrations: Migration[];
}

/** A schema left out of the run, and why. */
export interface Skipped {
  schema: string;
  slug: string;
  reason: string;
}

/** What a `migrate up` or `migrate down` will do. Pure data: printable with --dry-run. */
export interface Plan {
  direction: 'up' | 'down';
  shared?: SchemaPlan;
  tenants: SchemaPlan[];
  /** Selected tenant schemas with nothing to do; `staleFailure`: its recorded failure is of a migration no longer pending (run.ts clears it). */
  unchanged: { schema: string; slug: string; staleFailure?: boolean }[];
  /** Current tenants (FleetState.current): nothing to do either, counted, not listed. @default 0 */
  current?: number;
  skipped: Skipped[];
}

/** Which schemas a run covers. */
export interface Selection {
  tenants?: string[];
  sharedOnly?: boolean;
  tenantsOnly?: boolean;
  onlyFailed?: boolean;
  to?: string;
}

/** Contradictory flags, unknown tenants and unknown --to versions are usage errors, before anything runs. */
export function checkSelection(selection: Selection, state: FleetState, files: { shared: Migration[]; tenant: Migration[] }): void {
  if (selection.sharedOnly && selection.tenantsOnly) throw usageError('--shared-only and --tenants-only exclude each other.', 'Pass one of them, or neither for both scopes.');
  if (selection.sharedOnly && selection.tenants?.length) throw usageError('--shared-only and --tenant exclude each other.', 'Drop --shared-only to migrate the named tenants.');
  if (selection.tenants?.length && state.current) throw new Error('a --tenant selection needs every selected tenant listed: read the fleet with `only`, not `countCurrent`');
  const known = new Set(state.tenants.map((t) => t.slug));
  const unknown = (selection.tenants ?? []).filter((slug) => !known.has(slug));
  if (unknown.length) {
    throw usageError(`Unknown tenant${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`, 'List tenants with `tenantctl migrate status` or `tenantctl tenant list`.', { unknown });
  }
  if (selection.to !== undefined) {
    if (!/^\d+$/.test(selection.to)) throw usageError(`--to ${selection.to} is not a version number.`, 'Give the numeric prefix of a migration file, e.g. --to 0003.');
    const all = [...files.shared, ...files.tenant].map((m) => m.version);
    // `--to 0` means "before the first migration" (revert everything with down).
    if (BigInt(selection.to) !== 0n && !all.some((v) => compareVersions(v, selection.to!) === 0)) {
      throw usageError(`--to ${selection.to} matches no migration file.`, `Known versions: ${[...new Set(all)].join(', ') || '(none)'}.`);
    }
  }
}

/**
 * The selected tenants. A selected tenant whose registry row names a schema that is not its
 * own refuses the whole run before anything runs (every such tenant is named), so that no
 * migration ever lands in public, a system schema or another tenant's schema.
 */
function selectedTenants(state: FleetState, selection: Selection): { chosen: (TenantRef & SchemaState)[]; skipped: Skipped[] } {
  const wanted = selection.tenants?.length ? new Set(selection.tenants) : undefined;
  const chosen: (TenantRef & SchemaState)[] = [];
  const skipped: Skipped[] = [];
  const refused: FleetState['tenants'] = [];
  for (const tenant of state.tenants) {
    if (wanted && !wanted.has(tenant.slug)) continue;
    if (selection.onlyFailed && !tenant.failure) continue;
    if (tenant.mismatch) refused.push(tenant);
    else if (!tenant.schemaExists) skipped.push({ schema: tenant.schema, slug: tenant.slug, reason: 'schema does not exist' });
    else chosen.push(tenant);
  }
  if (refused.length) throw refuseMismatched(refused, state.registry);
  return { chosen, skipped };
}

function refuseMismatched(refused: FleetState['tenants'], registry: RegistrySpec | undefined): TenantctlError {
  const first = refused[0]!;
  const error = schemaMismatchError(first, first.mismatch!.reason, first.mismatch!.expected, registry);
  if (refused.length === 1) return error;
  const names = refused.map((t) => `${t.slug} (${t.schema}, expected ${t.mismatch!.expected})`).join(', ');
  return new TenantctlError(error.code, `Refusing to migrate: ${refused.length} tenants' registry rows name schemas that are not theirs: ${names}. Nothing was changed.`, {
    hint: `Correct ${schemaColumnLabel(registry)} of these rows, or leave them out with --tenant <slug> for the others.`,
    details: { tenants: refused.map((t) => ({ tenant: t.slug, tenantId: t.id, registered: t.schema, expected: t.mismatch!.expected })) },
  });
}

const pendingFor = (files: Migration[], applied: string[], to?: string): Migration[] => {
  const done = new Set(applied);
  return files.filter((m) => !done.has(m.version) && (to === undefined || compareVersions(m.version, to) <= 0));
};

/**
 * The files a plan runs, each once: what must split and lint cleanly before anything runs.
 * Files already applied everywhere are left alone: a fleet run no longer re-reads its whole
 * history (a project with hundreds of migrations paid for all of them on every run).
 */
export function planFiles(plan: Plan): Migration[] {
  const files = new Set<Migration>(plan.shared?.migrations ?? []);
  for (const schema of plan.tenants) for (const migration of schema.migrations) files.add(migration);
  return [...files];
}

/** Plan `migrate up`: shared first, then every selected tenant schema with its pending files. */
export function planUp(state: FleetState, files: { shared: Migration[]; tenant: Migration[] }, selection: Selection = {}): Plan {
  checkSelection(selection, state, files);
  refuseOlderCheckout(aheadOfCheckout('shared', state.shared.applied, files.shared), 'migrate up');
  refuseOlderCheckout(aheadOfCheckout('tenant', state.tenants.flatMap((t) => t.applied), files.tenant), 'migrate up');
  const plan: Plan = { direction: 'up', tenants: [], unchanged: [], skipped: [] };
  const sharedWanted = !selection.tenantsOnly && !selection.tenants?.length && (!selection.onlyFailed || state.shared.failure);
  if (sharedWanted) plan.shared = { scope: 'shared', schema: state.shared.schema, registry: state.registry, failed: Boolean(state.shared.failure), migrations: pendingFor(files.shared, state.shared.applied, selection.to) };
  if (!selection.sharedOnly) {
    const { chosen, skipped } = selectedTenants(state, selection);
    plan.skipped = skipped;
    // --only-failed leaves them out: a current tenant's last run did not fail.
    if (!selection.onlyFailed) plan.current = state.current ?? 0;
    for (const tenant of chosen) {
      const migrations = pendingFor(files.tenant, tenant.applied, selection.to);
      if (migrations.length) plan.tenants.push({ scope: 'tenant', schema: tenant.schema, slug: tenant.slug, registry: state.registry, migrations });
      // A failure with nothing pending at all (not only up to --to) is stale: its migration is gone or applied.
      else plan.unchanged.push({ schema: tenant.schema, slug: tenant.slug, ...(tenant.failure && pendingFor(files.tenant, tenant.applied).length === 0 ? { staleFailure: true } : {}) });
    }
  }
  return plan;
}

/**
 * Reverting a scope's baseline (its first migration) drops every table it created, with the
 * data: only on an explicit `--to 0`, never as "the last migration" of a fresh fleet.
 */
function refuseBaseline(scope: MigrationScope, files: Migration[], chosen: string[], selection: Selection): void {
  const baseline = files[0];
  if (!baseline || !chosen.includes(baseline.version)) return;
  if (selection.to !== undefined && BigInt(selection.to) === 0n) return;
  throw usageError(
    `Refusing to revert the ${scope} baseline ${baseline.file}: it is the first ${scope} migration, and its down section drops every table it created, with the data.`,
    `To undo a later change, revert that migration instead (migrate status shows what is applied). To really revert everything, say so with --to 0 (and check the rows it destroys first with --dry-run).`,
    { scope, baseline: baseline.version },
  );
}

/**
 * Plan `migrate down`: per schema, the last `steps` applied migrations (default 1), or all
 * above `--to`. Every one must exist as a file with a down section, or nothing runs; the
 * baseline only goes with `--to 0`.
 */
export function planDown(state: FleetState, files: { shared: Migration[]; tenant: Migration[] }, selection: Selection & { steps?: number } = {}): Plan {
  if (state.current) throw new Error('migrate down reverts current tenants too: read the fleet without `countCurrent`');
  checkSelection(selection, state, files);
  const steps = selection.steps ?? 1;
  if (!Number.isInteger(steps) || steps < 1) throw usageError(`--steps ${selection.steps} must be a whole number of at least 1.`);
  const plan: Plan = { direction: 'down', tenants: [], unchanged: [], skipped: [] };
  const revert = (scope: MigrationScope, applied: string[]): Migration[] => {
    const byVersion = new Map((scope === 'shared' ? files.shared : files.tenant).map((m) => [m.version, m]));
    const ordered = [...applied].sort(compareVersions).reverse();
    const chosen = selection.to !== undefined ? ordered.filter((v) => compareVersions(v, selection.to!) > 0) : ordered.slice(0, steps);
    const migrations = chosen.map((version) => {
      const migration = byVersion.get(version);
      if (!migration) throw usageError(`Cannot revert ${scope} version ${version}: its file is no longer in migrations/${scope}/.`, 'Restore the file from version control first.');
      if (!migration.down) throw usageError(`Cannot revert ${migration.path}: it has no "-- migrate:down" section.`, 'Add a down section, or write a new migration that undoes it.');
      return migration;
    });
    refuseBaseline(scope, scope === 'shared' ? files.shared : files.tenant, chosen, selection);
    return migrations;
  };
  if (!selection.sharedOnly) {
    const { chosen, skipped } = selectedTenants(state, selection);
    plan.skipped = skipped;
    for (const tenant of chosen) {
      const migrations = revert('tenant', tenant.applied);
      if (migrations.length) plan.tenants.push({ scope: 'tenant', schema: tenant.schema, slug: tenant.slug, registry: state.registry, migrations });
      else plan.unchanged.push({ schema: tenant.schema, slug: tenant.slug });
    }
  }
  if (!selection.tenantsOnly && !selection.tenants?.length) plan.shared = { scope: 'shared', schema: state.shared.schema, registry: state.registry, failed: Boolean(state.shared.failure), migrations: revert('shared', state.shared.applied) };
  return plan;
}
