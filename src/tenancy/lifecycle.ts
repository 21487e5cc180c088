import type { Pool } from '../db/connect.js';
import type { AuditContext } from '../tenants/audit.js';
import type { ExportManifest } from '../tenants/export.js';
import type { Change } from '../tenants/lifecycle.js';
import type { ListFilter, TenantSummary } from '../tenants/read.js';
import type { TenancyProfile } from './profile.js';
import type { TenantSource } from '../migrate/state.js';
import type { Tenant } from './registry.js';
import type { TenantEvent } from '../tenants/events.js';

/**
 * The tenant operations of one tenancy layout. Commands call these through the resolved
 * profile (`profile.lifecycle.list(…)`), so they never know whether tenants are schemas or
 * rows. Result shapes: `list` and `setStatus` are the same for every layout; the others
 * return the layout's own record, rendered by the command for people and printed as-is
 * under --json.
 */
export interface TenantLifecycle {
  /** The per-tenant migration targets (tenant schemas); none for pooled (its one target is the shared scope). */
  readonly targets: TenantSource;
  /** Provision a tenant in one transaction from the values of `profile.provisioning.fields`. */
  create(sql: Pool, profile: TenancyProfile, values: ProvisionValues, options: LifecycleOptions): Promise<CreatedView>;
  list(sql: Pool, profile: TenancyProfile, filter: ListFilter): Promise<TenantSummary[]>;
  show(sql: Pool, profile: TenancyProfile, tenant: Tenant): Promise<DetailsView>;
  setStatus(sql: Pool, profile: TenancyProfile, tenant: Tenant, status: 'active' | 'suspended', context: AuditContext): Promise<Change>;
  /** Every row the tenant owns, one CSV per table, plus manifest.json; `dir` new or empty. */
  export(sql: Pool, profile: TenancyProfile, tenant: Tenant, dir: string, now: () => Date, lock?: LockWait): Promise<ExportView>;
  /** A printable plan (--dry-run); changes nothing. */
  planErase(sql: Pool, profile: TenancyProfile, tenant: Tenant, options?: ErasePlanOptions): Promise<ErasePlanView>;
  erase(sql: Pool, profile: TenancyProfile, plan: ErasePlanView, options: EraseRequest): Promise<ErasureView>;
  /** `profile check`: every table classified, and what would make an erasure incomplete or unsafe. Reads only. */
  check(sql: Pool, profile: TenancyProfile): Promise<ProfileCheckView>;
}

/** Field values of `tenant create`, keyed by ProvisionField.key; `handle` is the first argument. */
export type ProvisionValues = Readonly<Record<string, string | number | undefined>>;

export interface LifecycleOptions extends LockWait {
  /** Root folder of the profile's migrations. */
  migrationsDir: string;
  actor: string;
  /** TENANTCTL_FAILPOINT value (tests only). */
  failpoints?: string;
}

/** How a command waits for a tenant's lock held by another command. */
export interface LockWait {
  /** Fail at once (exit 75) instead of queueing. @default false */
  noWait?: boolean;
  /** Told once when the command queues behind another. */
  onWait?: (message: string) => void;
}


export interface ErasePlanOptions {
  /**
   * What happens to rows other tenants must keep that reference the tenant: refuse the
   * erasure, or re-point them at the profile's placeholder rows (only where it declares
   * some). @default 'refuse'
   */
  sharedRows?: 'refuse' | 'tombstone';
}

export interface EraseRequest extends LockWait {
  actor: string;
  reason: string;
  ticket?: string;
  now?: () => Date;
  failpoints?: string;
  /** Told once the erasure has committed (its receipt's sequence), before the scan that follows: an interrupted command can then say which it was. */
  onCommitted?: (receipt: number) => void;
}

/** Every layout's records carry at least these; the rest is the layout's own. */
export interface CreatedView {
  id: string;
  slug: string;
  name: string;
  status: string;
  durationMs: number;
}

export interface DetailsView {
  id: string;
  slug: string;
  name: string;
  status: string;
  /** The latest suspends and resumes (who, when, why) from tenantctl.tenant_events, newest first. */
  statusHistory: TenantEvent[];
}

/** Every layout writes the same export: CSV files plus manifest.json. */
export type ExportView = ExportManifest & { dir: string };

export interface ErasePlanView {
  tenant: { id: string; slug: string; name: string; status: string };
  totals: { tables: number; rows: number };
}

/** One table as `profile check` classifies it (pooled: registry, direct, indirect, global, …; schema per tenant adds tenant-schema). */
export interface CheckedTable {
  table: string;
  class: string;
  tenantColumn: string | null;
  /** indirect: how its rows reach a tenant, for people. */
  ownerPath: string;
  reason: string;
}

/** Something that would make an erasure incomplete, unsafe or slow. */
export interface CheckFinding {
  kind: string;
  /** error: an erasure would miss or wrongly keep rows (or fail); warning: unsafe or slow; info: known and declared. */
  severity: 'error' | 'warning' | 'info';
  table: string;
  columns: string[];
  message: string;
  advice: string;
}

/** What `profile check` reports, for every layout; each adds its own details to `classification`. */
export interface ProfileCheckView {
  classification: { tables: CheckedTable[] } & Record<string, unknown>;
  findings: CheckFinding[];
  summary: { tables: number; byClass: Record<string, number>; errors: number; warnings: number };
}

export interface ErasureView {
  receipt: { sequence: number; digest: string };
  scan: { found: unknown[] };
}
