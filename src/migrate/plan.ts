import { usageError } from '../errors.js';
import type { TenantRef } from '../tenancy/strategy.js';
import { compareVersions, type Migration, type MigrationScope } from './files.js';
import type { FleetState, SchemaState } from './state.js';

/** One schema and the migrations to run on it, in order. */
export interface SchemaPlan {
  scope: MigrationScope;
  schema: string;
  slug?: string;
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
  /** Selected tenant schemas with nothing to do. */
  unchanged: { schema: string; slug: string }[];
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

function selectedTenants(state: FleetState, selection: Selection): { chosen: (TenantRef & SchemaState)[]; skipped: Skipped[] } {
  const wanted = selection.tenants?.length ? new Set(selection.tenants) : undefined;
  const chosen: (TenantRef & SchemaState)[] = [];
  const skipped: Skipped[] = [];
  for (const tenant of state.tenants) {
    if (wanted && !wanted.has(tenant.slug)) continue;
    if (selection.onlyFailed && !tenant.failure) continue;
    if (!tenant.schemaExists) skipped.push({ schema: tenant.schema, slug: tenant.slug, reason: 'schema does not exist' });
    else chosen.push(tenant);
  }
  return { chosen, skipped };
}

const pendingFor = (files: Migration[], applied: string[], to?: string): Migration[] => {
  const done = new Set(applied);
  return files.filter((m) => !done.has(m.version) && (to === undefined || compareVersions(m.version, to) <= 0));
};

/** Plan `migrate up`: shared first, then every selected tenant schema with its pending files. */
export function planUp(state: FleetState, files: { shared: Migration[]; tenant: Migration[] }, selection: Selection = {}): Plan {
  checkSelection(selection, state, files);
  const plan: Plan = { direction: 'up', tenants: [], unchanged: [], skipped: [] };
  const sharedWanted = !selection.tenantsOnly && !selection.tenants?.length && (!selection.onlyFailed || state.shared.failure);
  if (sharedWanted) plan.shared = { scope: 'shared', schema: 'public', migrations: pendingFor(files.shared, state.shared.applied, selection.to) };
  if (!selection.sharedOnly) {
    const { chosen, skipped } = selectedTenants(state, selection);
    plan.skipped = skipped;
    for (const tenant of chosen) {
      const migrations = pendingFor(files.tenant, tenant.applied, selection.to);
      if (migrations.length) plan.tenants.push({ scope: 'tenant', schema: tenant.schema, slug: tenant.slug, migrations });
      else plan.unchanged.push({ schema: tenant.schema, slug: tenant.slug });
    }
  }
  return plan;
}

/**
 * Plan `migrate down`: per schema, the last `steps` applied migrations (default 1), or all
 * above `--to`. Every one must exist as a file with a down section, or nothing runs.
 */
export function planDown(state: FleetState, files: { shared: Migration[]; tenant: Migration[] }, selection: Selection & { steps?: number } = {}): Plan {
  checkSelection(selection, state, files);
  const steps = selection.steps ?? 1;
  if (!Number.isInteger(steps) || steps < 1) throw usageError(`--steps ${selection.steps} must be a whole number of at least 1.`);
  const plan: Plan = { direction: 'down', tenants: [], unchanged: [], skipped: [] };
  const revert = (scope: MigrationScope, applied: string[]): Migration[] => {
    const byVersion = new Map((scope === 'shared' ? files.shared : files.tenant).map((m) => [m.version, m]));
    const ordered = [...applied].sort(compareVersions).reverse();
    const chosen = selection.to !== undefined ? ordered.filter((v) => compareVersions(v, selection.to!) > 0) : ordered.slice(0, steps);
    return chosen.map((version) => {
      const migration = byVersion.get(version);
      if (!migration) throw usageError(`Cannot revert ${scope} version ${version}: its file is no longer in migrations/${scope}/.`, 'Restore the file from version control first.');
      if (!migration.down) throw usageError(`Cannot revert ${migration.path}: it has no "-- migrate:down" section.`, 'Add a down section, or write a new migration that undoes it.');
      return migration;
    });
  };
  if (!selection.sharedOnly) {
    const { chosen, skipped } = selectedTenants(state, selection);
    plan.skipped = skipped;
    for (const tenant of chosen) {
      const migrations = revert('tenant', tenant.applied);
      if (migrations.length) plan.tenants.push({ scope: 'tenant', schema: tenant.schema, slug: tenant.slug, migrations });
      else plan.unchanged.push({ schema: tenant.schema, slug: tenant.slug });
    }
  }
  if (!selection.tenantsOnly && !selection.tenants?.length) plan.shared = { scope: 'shared', schema: 'public', migrations: revert('shared', state.shared.applied) };
  return plan;
}
