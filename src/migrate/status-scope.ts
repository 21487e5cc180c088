import type { Migration } from './files.js';
import { checkSelection, type Selection } from './plan.js';
import type { FleetState } from './state.js';
import { summarizeStatus, type StatusReport } from './status.js';

/** `migrate status` narrowed by the same flags as `up`: only the shared schema, only tenants, or named tenants. */
export type ScopedStatus = Omit<StatusReport, 'shared' | 'tenants'> & { shared?: StatusReport['shared']; tenants?: StatusReport['tenants'] };

/**
 * The status of what the flags select, and nothing else: `--shared-only` leaves the tenants
 * out, `--tenants-only` and `--tenant` leave the shared schema out (and `--tenant` every other
 * tenant). An unknown `--tenant` is the same error as for `migrate up`. Pure.
 */
export function scopedStatus(state: FleetState, files: { shared: Migration[]; tenant: Migration[] }, selection: Selection): ScopedStatus {
  checkSelection(selection, state, files);
  const wanted = selection.tenants?.length ? new Set(selection.tenants) : undefined;
  const withShared = !selection.tenantsOnly && !wanted;
  const withTenants = !selection.sharedOnly;
  const narrowed: FleetState = {
    registry: state.registry,
    shared: withShared ? state.shared : { schema: state.shared.schema, applied: [], drifted: [] },
    tenants: withTenants ? state.tenants.filter((t) => !wanted || wanted.has(t.slug)) : [],
    current: withTenants && !wanted ? state.current : 0,
  };
  const report = summarizeStatus(narrowed, { shared: withShared ? files.shared : [], tenant: withTenants ? files.tenant : [] });
  return {
    latest: report.latest,
    ...(withShared ? { shared: report.shared } : {}),
    ...(withTenants ? { tenants: report.tenants } : {}),
    upToDate: report.upToDate,
  };
}

/** The files a run would apply somewhere, as the status found them: what `migrate status` splits and lints. Pure. */
export function pendingFiles(status: ScopedStatus, files: { shared: Migration[]; tenant: Migration[] }): Migration[] {
  const shared = new Set(status.shared?.pending ?? []);
  const tenant = new Set((status.tenants?.behind ?? []).flatMap((b) => b.pending));
  return [...files.shared.filter((m) => shared.has(m.version)), ...files.tenant.filter((m) => tenant.has(m.version))];
}
