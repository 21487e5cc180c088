import type { RegistrySpec } from '../tenancy/profile.js';
import type { Pool } from '../db/connect.js';
import type { TenantRef } from '../tenancy/types.js';
import type { MaintainConfig } from './config.js';

/** The maintenance tasks, in the order a full run does them (ANALYZE after the deletes; the pool refill last, so it never delays them). */
export const TASKS = ['retention', 'partitions', 'matviews', 'analyze', 'pool'] as const;
export type TaskName = (typeof TASKS)[number];

/** Something a task could not do, and where. */
export interface TaskProblem {
  where: string;
  message: string;
  code?: string;
}

/** What one task did (or, with dry-run, would do). One JSON line per task with --json. */
export interface TaskResult {
  task: TaskName;
  ok: boolean;
  dryRun: boolean;
  durationMs: number;
  /** Totals, for a log line and for alerting. */
  summary: Record<string, number | string>;
  /** Only the items with something to report (work done, or found missing). */
  items: Record<string, unknown>[];
  problems: TaskProblem[];
}

/** What every task gets. */
export interface TaskContext {
  sql: Pool;
  config: MaintainConfig;
  dryRun: boolean;
  tenants: TenantRef[];
  /** The schema of `shared` retention rules: commerce's public, a pooled profile's one schema. @default 'public' */
  sharedSchema?: string;
  /** Write deleted rows as CSV here before deleting them (retention only). */
  archiveDir?: string;
  /** The tenant migrations the pool's spares are built at; absent where there are no tenant schemas. */
  spareMigrations?: SpareMigrations;
  /** When the run started: names archive files. */
  startedAt: Date;
  /** TENANTCTL_FAILPOINT (tests only; src/tenants/failpoint.ts). */
  failpoints?: string;
}

/** Where the tenant migration files are: the migrations folder (--migrations-dir, TENANTCTL_MIGRATIONS_DIR) and the profile's tenant folder in it. */
export interface SpareMigrations {
  dir: string;
  folder: string;
  /** The profile's registry: a spare-named schema it names is a tenant's, never an orphan to drop. */
  registry: RegistrySpec;
}

/** PostgreSQL error code for "could not obtain lock" (lock_timeout expired). */
export const LOCK_NOT_AVAILABLE = '55P03';

/** `lockTimeoutMs` as a lock_timeout setting value. */
export const lockTimeout = (config: MaintainConfig): string => `${config.lockTimeoutMs}ms`;

/** The PostgreSQL error code of a thrown value, if it has one. */
export const pgCode = (error: unknown): string | undefined => (error as { code?: string })?.code;
