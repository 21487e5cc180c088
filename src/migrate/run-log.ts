import type { Pool, Sql } from '../db/connect.js';
import { ensureTables } from '../db/bootstrap.js';
import { query } from '../db/queries.js';
import type { DownImpact } from './down-impact.js';
import type { Plan } from './plan.js';

/** Who started a fleet run and what it was measured to destroy, for tenantctl.migration_runs. */
export interface RunAudit {
  /** @default 'tenantctl' */
  actor?: string;
  /** Measured before a down run (down-impact.ts). @default nothing destroyed */
  impact?: DownImpact;
  /** The flags that chose the schemas, as given. */
  selection?: Record<string, unknown>;
}

/** The plan as recorded: versions per scope and how many schemas each touches, not every schema's name. */
function planRecord(plan: Plan, selection: Record<string, unknown> | undefined): Record<string, unknown> {
  const versions = (ps: { migrations: { version: string }[] }[]) => [...new Set(ps.flatMap((p) => p.migrations.map((m) => m.version)))].sort();
  return {
    shared: plan.shared?.migrations.length ? versions([plan.shared]) : [],
    tenant: versions(plan.tenants),
    tenantSchemas: plan.tenants.length,
    unchanged: plan.unchanged.length + (plan.current ?? 0),
    skipped: plan.skipped.length,
    selection: selection ?? {},
  };
}

/** Record the start of a fleet run; returns its id for `finishRun`. */
export async function startRun(sql: Pool, plan: Plan, audit: RunAudit = {}): Promise<string> {
  await ensureTables(sql, 'tenantctl.migration_runs', 'migrate/bootstrap-runs');
  const destroyed = (audit.impact?.losses ?? []).map((l) => ({ schema: l.schema, table: l.table, column: l.column, action: l.action, rows: l.rows }));
  const [row] = await query<{ id: string }>(sql, 'migrate/run-start', [`migrate.${plan.direction}`, audit.actor ?? 'tenantctl', JSON.stringify(planRecord(plan, audit.selection)), audit.impact?.rows ?? 0, JSON.stringify(destroyed)]);
  return row!.id;
}

/**
 * Record how a fleet run ended, committed synchronously whatever the session's setting (the
 * run's tenant transactions committed asynchronously: this commit makes them durable, see
 * runPlan). @returns the synchronous_commit its commit used
 */
export async function finishRun(sql: Sql, id: string, ok: boolean, counts: Record<string, unknown>): Promise<string | undefined> {
  const [row] = await query<{ commit_mode: string }>(sql, 'migrate/run-end', [id, ok, JSON.stringify(counts)]);
  return row?.commit_mode;
}
