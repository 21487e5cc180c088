import { aheadOfCheckout } from './checkout.js';
import { compareVersions, type Migration } from './files.js';
import type { FleetState, RecordedFailure } from './state.js';
import { schemaColumnLabel } from '../tenancy/schema-guard.js';

/** One line of the fleet summary: how many tenants stand at a version. */
export interface VersionCount {
  version: string | null;
  tenants: number;
}

/** `migrate status`: the shared schema and a fleet summary, computed from FleetState. Pure. */
export interface StatusReport {
  latest: { shared: string | null; tenant: string | null };
  shared: { version: string | null; pending: string[]; drifted: string[]; failure?: RecordedFailure & { at: string }; aheadOfCheckout: string | null };
  tenants: {
    total: number;
    /** At the newest file here, and at nothing newer. */
    atLatest: number;
    behind: { slug: string; version: string | null; pending: string[] }[];
    /** Tenants with a version newer than every file here: this checkout is older than the database. */
    ahead: { slug: string; version: string }[];
    /** Registry rows naming a schema that is not the tenant's own: migrate refuses them (schema-guard.ts). */
    /** `column`: the registry column naming the schema (commerce: tenants.schema_name). */
    schemaMismatch: { slug: string; registered: string; expected: string; column: string }[];
    failed: { slug: string; failure: RecordedFailure & { at: string } }[];
    missingSchema: string[];
    drifted: { slug: string; versions: string[] }[];
    byVersion: VersionCount[];
  };
  upToDate: boolean;
}

const highest = (versions: string[]): string | null => [...versions].sort(compareVersions).at(-1) ?? null;

export function summarizeStatus(state: FleetState, files: { shared: Migration[]; tenant: Migration[] }): StatusReport {
  const pending = (all: Migration[], applied: string[]): string[] => {
    const done = new Set(applied);
    return all.filter((m) => !done.has(m.version)).map((m) => m.version);
  };
  const counts = new Map<string | null, number>();
  const report: StatusReport = {
    latest: { shared: files.shared.at(-1)?.version ?? null, tenant: files.tenant.at(-1)?.version ?? null },
    shared: { version: highest(state.shared.applied), pending: pending(files.shared, state.shared.applied), drifted: state.shared.drifted, failure: state.shared.failure, aheadOfCheckout: aheadOfCheckout('shared', state.shared.applied, files.shared)?.database ?? null },
    tenants: { total: state.tenants.length, atLatest: 0, behind: [], ahead: [], schemaMismatch: [], failed: [], missingSchema: [], drifted: [], byVersion: [] },
    upToDate: true,
  };
  // Current tenants (counted by the fleet-state query) stand exactly at the newest tenant file.
  const current = state.current ?? 0;
  if (current) {
    report.tenants.total += current;
    report.tenants.atLatest += current;
    counts.set(report.latest.tenant, current);
  }
  for (const tenant of state.tenants) {
    if (tenant.mismatch) {
      report.tenants.schemaMismatch.push({ slug: tenant.slug, registered: tenant.schema, expected: tenant.mismatch.expected, column: schemaColumnLabel(state.registry) });
      continue;
    }
    if (!tenant.schemaExists) {
      report.tenants.missingSchema.push(tenant.slug);
      continue;
    }
    const version = highest(tenant.applied);
    counts.set(version, (counts.get(version) ?? 0) + 1);
    const left = pending(files.tenant, tenant.applied);
    const ahead = aheadOfCheckout('tenant', tenant.applied, files.tenant);
    if (left.length) report.tenants.behind.push({ slug: tenant.slug, version, pending: left });
    if (ahead) report.tenants.ahead.push({ slug: tenant.slug, version: ahead.database });
    if (!left.length && !ahead) report.tenants.atLatest += 1;
    if (tenant.failure) report.tenants.failed.push({ slug: tenant.slug, failure: tenant.failure });
    if (tenant.drifted.length) report.tenants.drifted.push({ slug: tenant.slug, versions: tenant.drifted });
  }
  report.tenants.byVersion = [...counts.entries()]
    .map(([version, tenants]) => ({ version, tenants }))
    .sort((a, b) => (a.version === null ? -1 : b.version === null ? 1 : compareVersions(a.version, b.version)));
  report.upToDate = report.shared.pending.length === 0 && report.tenants.behind.length === 0 && report.tenants.failed.length === 0 && !report.shared.failure && report.tenants.ahead.length === 0 && !report.shared.aheadOfCheckout && report.tenants.schemaMismatch.length === 0;
  return report;
}

/** A drifted migration: applied, then its file changed (or disappeared). */
export interface Drift {
  scope: 'shared' | 'tenant';
  version: string;
  file: string | null;
  schemas: string[];
  problem: 'changed' | 'missing';
}

/** `migrate verify`: every applied migration whose file changed or is gone since it ran (current tenants have none). Pure. */
export function findDrift(state: FleetState, files: { shared: Migration[]; tenant: Migration[] }): Drift[] {
  const drift = new Map<string, Drift>();
  const add = (scope: 'shared' | 'tenant', schema: string, applied: string[], changed: string[]): void => {
    const byVersion = new Map((scope === 'shared' ? files.shared : files.tenant).map((m) => [m.version, m]));
    for (const version of applied) {
      const file = byVersion.get(version);
      const problem = !file ? 'missing' : changed.includes(version) ? 'changed' : undefined;
      if (!problem) continue;
      const key = `${scope}:${version}`;
      const entry = drift.get(key) ?? { scope, version, file: file?.path ?? null, schemas: [], problem };
      entry.schemas.push(schema);
      drift.set(key, entry);
    }
  };
  add('shared', state.shared.schema, state.shared.applied, state.shared.drifted);
  for (const tenant of state.tenants) add('tenant', tenant.schema, tenant.applied, tenant.drifted);
  return [...drift.values()];
}
