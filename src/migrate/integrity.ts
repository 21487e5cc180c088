import type { Sql } from '../db/connect.js';
import { query, registryName, registryQuery } from '../db/queries.js';
import type { SchemaPlan } from './plan.js';

/** What the migration's transaction knew when it began (migrate/lock-and-check). */
export interface Baseline {
  /** The highest OID in use. */
  watermark: string | number;
  /** The schema's own relations then (OIDs as text). */
  inside: string[];
  /** Rows written so far in this transaction per bookkeeping/registry table (toolWrites). */
  writes: Map<string, string>;
}

/** The registry whose rows a plan's migration must not write: a tenant schema's (shared migrations own theirs). */
const guardedRegistry = (plan: SchemaPlan): string | null => (plan.scope === 'tenant' && plan.registry && !plan.spare ? registryName(plan.registry) : null);

/**
 * Rows this transaction has written so far per table of tenantctl's bookkeeping (and, for a
 * tenant migration, of the registry), as "schema.table" → count. Taken before and after a
 * migration's statements: see migrate/tool-writes.sql.
 */
export async function toolWrites(tx: Sql, plan: SchemaPlan): Promise<Map<string, string>> {
  const rows = await query<{ schema: string; name: string; writes: string }>(tx, 'migrate/tool-writes', [guardedRegistry(plan)]);
  return new Map(rows.map((r) => [`${r.schema}.${r.name}`, r.writes]));
}

/** The tables whose rows the migration wrote between the baseline and now. */
async function toolRowsWritten(tx: Sql, plan: SchemaPlan, before: Map<string, string>): Promise<string | undefined> {
  const after = await toolWrites(tx, plan);
  const written = [...after].filter(([table, n]) => n !== (before.get(table) ?? '0')).map(([table]) => table);
  return written.length ? `it wrote rows of ${written.join(', ')} (tenantctl's bookkeeping${guardedRegistry(plan) ? ' or the tenant registry' : ''}), which only tenantctl itself may change` : undefined;
}

/**
 * What a migration broke, checked inside its transaction after its statements and before
 * its commit, so that the caller can roll back: the tenant registry and tenantctl's
 * bookkeeping must still exist; a tenant migration must leave its registry row in place,
 * create nothing outside its own schema, and drop or alter nothing outside it (another
 * tenant's tables, shared tables). (Shared migrations own public, including the registry:
 * the shared baseline's down section drops it on purpose.)
 * Rows written to tenantctl's tables (and, by a tenant migration, to the registry) are
 * caught by the transaction's own row counters.
 * Not caught: changes that take no ACCESS EXCLUSIVE lock (CREATE TRIGGER on a shared table,
 * GRANT, COMMENT, rows written to shared tables other than the registry), and objects
 * whose OID came from a wrapped-around OID counter.
 * @returns why the migration must be rolled back, or undefined
 */
export async function integrityProblem(tx: Sql, plan: SchemaPlan, baseline: Baseline): Promise<string | undefined> {
  const basic = (await registryProblem(tx, plan)) ?? (await toolRowsWritten(tx, plan, baseline.writes));
  if (basic || plan.scope !== 'tenant') return basic;
  const outside = await query<{ kind: string; schema: string; name: string }>(tx, 'migrate/created-outside', [plan.schema, baseline.watermark]);
  if (outside.length) return `it created objects outside ${plan.schema}: ${outside.map((o) => `${o.schema}.${o.name} (${o.kind})`).join(', ')}`;
  const touched = await query<{ action: 'changed' | 'dropped'; schema: string | null; name: string | null; oid: string }>(tx, 'migrate/changed-outside', [plan.schema, baseline.watermark, baseline.inside]);
  if (!touched.length) return undefined;
  const changed = touched.filter((t) => t.action === 'changed').map((t) => `${t.schema}.${t.name}`);
  const dropped = touched.filter((t) => t.action === 'dropped').map((t) => t.oid);
  return [
    changed.length ? `it altered or truncated ${changed.join(', ')}, outside ${plan.schema}` : '',
    dropped.length ? `it dropped ${dropped.length} relation(s) outside ${plan.schema} (OIDs ${dropped.join(', ')}; their names went with them)` : '',
  ].filter(Boolean).join('; ');
}

/** The registry and tenantctl's bookkeeping are there, and a tenant schema's registry row. */
export async function registryProblem(sql: Sql, plan: SchemaPlan): Promise<string | undefined> {
  const registry = plan.registry ? registryName(plan.registry) : null;
  const [catalog] = await query<{ registry: boolean | null; bookkeeping: boolean }>(sql, 'migrate/integrity-catalog', [registry]);
  if (!catalog!.bookkeeping) return "it dropped tenantctl's bookkeeping (tenantctl.schema_migrations / schema_state)";
  if (plan.scope !== 'tenant') return undefined;
  if (catalog!.registry === false) return `it dropped the tenant registry ${plan.registry!.schema}.${plan.registry!.table}`;
  if (!plan.spare && !plan.registry) throw new Error(`tenant plan for ${plan.schema} names no registry: build it with planUp/planDown from readFleetState, or the strategy's createStorage`);
  const [row] = plan.registry && !plan.spare
    ? await registryQuery<{ present: boolean }>(sql, 'migrate/integrity-tenant-row', plan.registry, [plan.schema])
    : await query<{ present: boolean }>(sql, 'pool/integrity-row', [plan.schema]);
  if (!row!.present) return `it removed the registry row of ${plan.schema} from ${plan.registry && !plan.spare ? `${plan.registry.schema}.${plan.registry.table}` : 'tenantctl.tenant_pool'}`;
  return undefined;
}

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
