import { readFile } from 'node:fs/promises';
import { usageError } from '../errors.js';

/**
 * One retention rule: delete the rows of `table` whose `column` is older than `olderThan`
 * (and, with `orNotNull`, also those where that column is set, e.g. terminated sessions).
 * `olderThan: "0 days"` means "already in the past": expired tokens.
 */
export interface RetentionRule {
  /** Every tenant schema, or the shared schema (commerce: public; pooled: the profile's one schema). */
  scope: 'tenant' | 'shared';
  table: string;
  /** The date column compared with the cutoff: on `table`, or on the parent with `via`. */
  column: string;
  /** A PostgreSQL interval: "1 year", "6 months", "30 days", "0 days". */
  olderThan: string;
  orNotNull?: string;
  /**
   * Child rows dated by their parent (purchase order lines by their order's date): the rows of
   * `table` whose `via.column` points at a `via.table` row (`via.key`) with `column` past the
   * cutoff. Put such a rule before the parent's so the lines are archived before the delete
   * of their parent would cascade to them unseen.
   */
  via?: { column: string; table: string; key: string };
}

/** Everything `maintain` can be told by `--config file.json`. */
export interface MaintainConfig {
  retention: {
    rules: RetentionRule[];
    /** Rows per DELETE: small enough that no batch holds row locks for long. @default 5000 */
    batchSize: number;
  };
  partitions: {
    /** Months to create ahead of the current one. @default 3 */
    ahead: number;
  };
  analyze: {
    /** A table is stale once this many rows plus `changedFraction` of its rows changed since the last ANALYZE. @default 50 */
    minChangedRows: number;
    /** @default 0.1 (autovacuum's own analyze_scale_factor) */
    changedFraction: number;
  };
  /** How long any statement may wait for a lock before the table is skipped for this run. @default 2000 */
  lockTimeoutMs: number;
}

/**
 * Seed 000's data retention ("archive old shipment tracking (>1 year)", analytics events
 * >6 months), applied to the tables of seed 004 that grow without bound: tracking events,
 * notification and security logs, expired tokens and sessions.
 */
export const DEFAULT_RETENTION: readonly RetentionRule[] = [
  { scope: 'tenant', table: 'shipment_tracking', column: 'event_time', olderThan: '1 year' },
  { scope: 'tenant', table: 'notification_logs', column: 'created_at', olderThan: '6 months' },
  { scope: 'tenant', table: 'security_violations', column: 'created_at', olderThan: '6 months' },
  { scope: 'tenant', table: 'refresh_tokens', column: 'expires_at', olderThan: '0 days' },
  { scope: 'tenant', table: 'user_sessions', column: 'expires_at', olderThan: '0 days', orNotNull: 'terminated_at' },
];

/** The configuration used without --config. */
export function defaultConfig(rules: readonly RetentionRule[] = DEFAULT_RETENTION): MaintainConfig {
  return {
    retention: { rules: rules.map((r) => ({ ...r, ...(r.via ? { via: { ...r.via } } : {}) })), batchSize: 5000 },
    partitions: { ahead: 3 },
    analyze: { minChangedRows: 50, changedFraction: 0.1 },
    lockTimeoutMs: 2000,
  };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const INTERVAL = /^\d+\s+(minute|hour|day|week|month|year)s?$/;

type Json = Record<string, unknown>;

function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw usageError(`${where} must be a JSON object.`);
  return value as Json;
}

function only(value: Json, keys: string[], where: string): void {
  const unknown = Object.keys(value).filter((k) => !keys.includes(k));
  if (unknown.length) throw usageError(`${where}: unknown key "${unknown[0]}".`, `Known keys: ${keys.join(', ')}.`);
}

function number(value: unknown, where: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw usageError(`${where} must be a number between ${min} and ${max} (got ${JSON.stringify(value)}).`);
  return value;
}

function identifier(value: unknown, where: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) throw usageError(`${where} must be a lower-case table or column name (got ${JSON.stringify(value)}).`);
  return value;
}

function rule(value: unknown, where: string): RetentionRule {
  const r = object(value, where);
  only(r, ['scope', 'table', 'column', 'olderThan', 'orNotNull', 'via'], where);
  if (r.scope !== 'tenant' && r.scope !== 'shared') throw usageError(`${where}.scope must be "tenant" or "shared" (got ${JSON.stringify(r.scope)}).`);
  if (typeof r.olderThan !== 'string' || !INTERVAL.test(r.olderThan.trim())) {
    throw usageError(`${where}.olderThan must look like "6 months", "1 year" or "0 days" (got ${JSON.stringify(r.olderThan)}).`);
  }
  return {
    scope: r.scope,
    table: identifier(r.table, `${where}.table`),
    column: identifier(r.column, `${where}.column`),
    olderThan: r.olderThan.trim(),
    ...(r.orNotNull === undefined ? {} : { orNotNull: identifier(r.orNotNull, `${where}.orNotNull`) }),
    ...(r.via === undefined ? {} : { via: via(r.via, `${where}.via`) }),
  };
}

function via(value: unknown, where: string): NonNullable<RetentionRule['via']> {
  const v = object(value, where);
  only(v, ['column', 'table', 'key'], where);
  return { column: identifier(v.column, `${where}.column`), table: identifier(v.table, `${where}.table`), key: identifier(v.key, `${where}.key`) };
}

/**
 * Parse a config document over the defaults (`rules`: the profile's retention rules). Pure.
 * A `retention.rules` list replaces the default rules entirely (so a rule can be dropped);
 * other keys override one by one. Unknown keys are usage errors that name the key, so a typo
 * never silently does nothing.
 */
export function parseConfig(text: string, file: string, rules?: readonly RetentionRule[]): MaintainConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw usageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const root = object(raw, file);
  only(root, ['retention', 'partitions', 'analyze', 'lockTimeoutMs'], file);
  const config = defaultConfig(rules);
  if (root.retention !== undefined) {
    const r = object(root.retention, `${file}: retention`);
    only(r, ['rules', 'batchSize'], `${file}: retention`);
    if (r.rules !== undefined) {
      if (!Array.isArray(r.rules)) throw usageError(`${file}: retention.rules must be a list.`);
      config.retention.rules = r.rules.map((x, i) => rule(x, `${file}: retention.rules[${i}]`));
    }
    if (r.batchSize !== undefined) config.retention.batchSize = Math.floor(number(r.batchSize, `${file}: retention.batchSize`, 1, 1_000_000));
  }
  if (root.partitions !== undefined) {
    const p = object(root.partitions, `${file}: partitions`);
    only(p, ['ahead'], `${file}: partitions`);
    if (p.ahead !== undefined) config.partitions.ahead = Math.floor(number(p.ahead, `${file}: partitions.ahead`, 0, 120));
  }
  if (root.analyze !== undefined) {
    const a = object(root.analyze, `${file}: analyze`);
    only(a, ['minChangedRows', 'changedFraction'], `${file}: analyze`);
    if (a.minChangedRows !== undefined) config.analyze.minChangedRows = Math.floor(number(a.minChangedRows, `${file}: analyze.minChangedRows`, 0));
    if (a.changedFraction !== undefined) config.analyze.changedFraction = number(a.changedFraction, `${file}: analyze.changedFraction`, 0, 100);
  }
  if (root.lockTimeoutMs !== undefined) config.lockTimeoutMs = Math.floor(number(root.lockTimeoutMs, `${file}: lockTimeoutMs`, 1, 600_000));
  return config;
}

/** Read `--config` over the defaults, whose retention rules are the profile's (`rules`). */
export async function loadConfig(path: string | undefined, rules?: readonly RetentionRule[]): Promise<MaintainConfig> {
  if (!path) return defaultConfig(rules);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw usageError(`--config ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, 'Give the path of a JSON file; its keys are in README.md, section "tenantctl maintain" (every key is optional).');
  }
  return parseConfig(text, path, rules);
}
