import type { Sql } from '../db/connect.js';
import { query, registryName, registryQuery } from '../db/queries.js';
import type { SchemaPlan } from './plan.js';

/** What the migration's transaction knew when it began (migrate/lock-and-check). */
export interface Baseline {
  /** The schema's own relations then (OIDs as text); null when they were not listed (see BaselineNeeded). */
  inside: string[] | null;
  /** tenantctl's tables and the guarded registry ("schema.table"), in the order integrity-after reads them again (the OID watermark and their OIDs stay on the server: tenantctl.baseline). */
  guarded: string[];
  /** Rows written so far in this transaction per bookkeeping/registry table (lock-and-check's `writes`). */
  writes: Map<string, string>;
  /** A shared migration: whether its profile's registry existed before it (null for tenant schemas). */
  registryBefore: boolean | null;
}

/**
 * The migration dropped relations that existed before it, and the baseline did not list the
 * schema's own relations, so whether they were outside cannot be told: the caller rolls the
 * transaction back and runs the migration again with them listed.
 */
export class BaselineNeeded extends Error {
  constructor() {
    super('the schema\'s relations must be listed before this migration');
  }
}

/** The registry whose rows a plan's migration must not write: a tenant schema's (shared migrations own theirs). */
export const guardedRegistry = (plan: SchemaPlan): string | null => (plan.scope === 'tenant' && plan.registry && !plan.spare ? registryName(plan.registry) : null);

/** The registry a shared migration must not make vanish (see registryVerdict), as lock-and-check takes it; null for tenant schemas. */
export const watchedRegistry = (plan: SchemaPlan): string | null => (plan.scope === 'shared' && plan.registry ? registryName(plan.registry) : null);

/** Row counters ("schema.table" → count) from the tables' names and their counts, in one order (migrate/lock-and-check, migrate/integrity-after). */
export const countersByTable = (names: readonly string[], writes: readonly string[]): Map<string, string> => new Map(names.map((name, i) => [name, writes[i]!]));

/** The tables whose rows the migration wrote between the baseline and now. Pure. */
function toolRowsWritten(plan: SchemaPlan, before: Map<string, string>, after: Map<string, string>): string | undefined {
  const written = [...after].filter(([table, n]) => n !== (before.get(table) ?? '0')).map(([table]) => table);
  return written.length ? `it wrote rows of ${written.join(', ')} (tenantctl's bookkeeping${guardedRegistry(plan) ? ' or the tenant registry' : ''}), which only tenantctl itself may change` : undefined;
}

/** One row of migrate/integrity-after. */
interface After {
  registry: boolean | null;
  bookkeeping: boolean;
  writes: string[];
  created: string | null;
  changed: string | null;
}

/**
 * What a migration broke, checked inside its transaction after its statements and before
 * its commit, so that the caller can roll back: the tenant registry and tenantctl's
 * bookkeeping must still exist; a tenant migration must leave its registry row in place,
 * create nothing outside its own schema, and drop or alter nothing outside it (another
 * tenant's tables, shared tables). (Shared migrations own public, including the registry:
 * the shared baseline's down section drops it on purpose; only a shared `up` may not leave
 * the registry gone, see registryVerdict.)
 * Rows written to tenantctl's tables (and, by a tenant migration, to the registry) are
 * caught by the transaction's own row counters.
 * Not caught: changes that take no ACCESS EXCLUSIVE lock (CREATE TRIGGER on a shared table,
 * GRANT, COMMENT, rows written to shared tables other than the registry), and objects
 * whose OID came from a wrapped-around OID counter.
 * Two statements, sent at once (pipelined: one round trip): migrate/integrity-after and the
 * registry row's. They are read in order, so a row check that failed because the registry is
 * gone is explained by the first. Both are sent before this function first waits: they may go
 * out before lock-and-check's answer, `baseline`, has arrived. (A batch of tenants checks them
 * all at once instead: batch.ts, batch-after.sql.)
 * @param direction which section ran (a shared `down` may drop the registry)
 * @returns why the migration must be rolled back, or undefined
 * @throws BaselineNeeded when it dropped relations and `inside` is null
 */
export async function integrityProblem(tx: Sql, plan: SchemaPlan, inside: string[] | null, baseline: Baseline | Promise<Baseline>, direction: 'up' | 'down' = 'up'): Promise<string | undefined> {
  const tenant = plan.scope === 'tenant';
  const after = settle(query<After>(tx, 'migrate/integrity-after', [plan.registry ? registryName(plan.registry) : null, tenant ? plan.schema : null, inside]));
  const row = tenant ? startRowCheck(tx, plan) : undefined;
  const known = await baseline;
  const [checked] = unwrap(await after);
  const basic = registryVerdict(plan, checked!, row && (await row), { before: known.registryBefore, direction }) ?? toolRowsWritten(plan, known.writes, countersByTable(known.guarded, checked!.writes));
  if (basic || !tenant) return basic;
  const outside = JSON.parse(checked!.created!) as { kind: string; schema: string; name: string }[];
  if (outside.length) return `it created objects outside ${plan.schema}: ${outside.map((o) => `${o.schema}.${o.name} (${o.kind})`).join(', ')}`;
  const touched = JSON.parse(checked!.changed!) as { action: 'changed' | 'dropped'; schema: string | null; name: string | null; oid: string }[];
  if (!touched.length) return undefined;
  if (inside === null && touched.some((t) => t.action === 'dropped')) throw new BaselineNeeded();
  const altered = touched.filter((t) => t.action === 'changed').map((t) => `${t.schema}.${t.name}`);
  const dropped = touched.filter((t) => t.action === 'dropped').map((t) => t.oid);
  return [
    altered.length ? `it altered or truncated ${altered.join(', ')}, outside ${plan.schema}` : '',
    dropped.length ? `it dropped ${dropped.length} relation(s) outside ${plan.schema} (OIDs ${dropped.join(', ')}; their names went with them)` : '',
  ].filter(Boolean).join('; ');
}

/** A statement's outcome, kept so that a failure is read (or ignored) in order, never left unhandled. */
type Settled<T> = Promise<PromiseSettledResult<T>>;
export const settle = <T>(promise: Promise<T>): Settled<T> => promise.then((value) => ({ status: 'fulfilled' as const, value }), (reason: unknown) => ({ status: 'rejected' as const, reason }));
export const unwrap = <T>(result: PromiseSettledResult<T>): T => {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
};

/** Is a tenant schema's row (in the registry, or the pool's for a spare) still there? Started, read later by registryVerdict. */
function startRowCheck(sql: Sql, plan: SchemaPlan): Settled<{ present: boolean }[]> {
  if (!plan.spare && !plan.registry) throw new Error(`tenant plan for ${plan.schema} names no registry: build it with planUp/planDown from readFleetState, or the strategy's createStorage`);
  return plan.registry && !plan.spare
    ? settle(registryQuery<{ present: boolean }>(sql, 'migrate/integrity-tenant-row', plan.registry, [plan.schema]))
    : settle(query<{ present: boolean }>(sql, 'pool/integrity-row', [plan.schema]));
}

/** Whether the registry existed before a shared migration, and which way it runs (registryVerdict). */
interface SharedContext {
  before: boolean | null;
  direction: 'up' | 'down';
}

/**
 * What the registry checks say: the catalog first (a missing registry fails the row's statement).
 * Shared migrations own the registry, and the shared baseline's down section drops it on
 * purpose; but a shared `up` that leaves no registry where there was one (DROP, RENAME, SET
 * SCHEMA) takes every tenant out of sight of every command: `migrate status` would count
 * none and the next `migrate up` migrate none, with their schemas and data still there.
 */
function registryVerdict(plan: SchemaPlan, catalog: { registry: boolean | null; bookkeeping: boolean }, row: PromiseSettledResult<{ present: boolean }[]> | undefined, shared?: SharedContext): string | undefined {
  if (!catalog.bookkeeping) return "it dropped tenantctl's bookkeeping (tenantctl.schema_migrations / schema_state)";
  if (plan.scope !== 'tenant') {
    if (shared?.direction === 'up' && shared.before === true && catalog.registry === false) {
      return `it dropped, renamed or moved the tenant registry ${plan.registry!.schema}.${plan.registry!.table}, which every tenantctl command reads its tenants from (a shared migration may change the registry, not remove it)`;
    }
    return undefined;
  }
  if (catalog.registry === false) return `it dropped the tenant registry ${plan.registry!.schema}.${plan.registry!.table}`;
  if (!row) return undefined;
  const [present] = unwrap(row);
  if (!present!.present) return `it removed the registry row of ${plan.schema} from ${plan.registry && !plan.spare ? `${plan.registry.schema}.${plan.registry.table}` : 'tenantctl.tenant_pool'}`;
  return undefined;
}

/** The registry and tenantctl's bookkeeping are there, and a tenant schema's registry row (for `transaction:false` sections). */
export async function registryProblem(sql: Sql, plan: SchemaPlan, shared?: SharedContext): Promise<string | undefined> {
  const catalog = settle(registryCatalog(sql, plan));
  const row = plan.scope === 'tenant' ? startRowCheck(sql, plan) : undefined;
  const [checked] = unwrap(await catalog);
  return registryVerdict(plan, checked!, row && (await row), shared);
}

/** Whether the plan's registry and tenantctl's bookkeeping exist now (migrate/integrity-catalog). */
export const registryCatalog = (sql: Sql, plan: SchemaPlan) =>
  query<{ registry: boolean | null; bookkeeping: boolean }>(sql, 'migrate/integrity-catalog', [plan.registry ? registryName(plan.registry) : null]);

/** Relation OID → its name and a digest of its definition (migrate/outside-fingerprint). */
export type Fingerprint = Map<string, { label: string; digest: string }>;

/**
 * For `transaction:false` sections, whose statements commit one by one: every relation
 * outside the schema, the system's and the other tenants' schemas, with a digest of its
 * definition. Compared before and after each statement (`fingerprintChanges`).
 */
export async function outsideFingerprint(sql: Sql, schema: string): Promise<Fingerprint> {
  const rows = await query<{ oid: string; schema: string; name: string; digest: string }>(sql, 'migrate/outside-fingerprint', [schema]);
  return new Map(rows.map((r) => [r.oid, { label: `${r.schema}.${r.name}`, digest: r.digest }]));
}

/** What changed between two fingerprints, for a message; undefined when nothing did. Pure. */
export function fingerprintChanges(before: Fingerprint, after: Fingerprint, schema: string): string | undefined {
  const changed: string[] = [];
  const dropped: string[] = [];
  const created: string[] = [];
  for (const [oid, was] of before) {
    const now = after.get(oid);
    if (!now) dropped.push(was.label);
    else if (now.digest !== was.digest) changed.push(now.label === was.label ? now.label : `${was.label} (now ${now.label})`);
  }
  for (const [oid, now] of after) if (!before.has(oid)) created.push(now.label);
  const parts = [
    changed.length ? `altered or truncated ${changed.slice(0, 10).join(', ')}` : '',
    dropped.length ? `dropped ${dropped.slice(0, 10).join(', ')}` : '',
    created.length ? `created ${created.slice(0, 10).join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? `it ${parts.join('; ')}, outside ${schema}` : undefined;
}
