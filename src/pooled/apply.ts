import type { Sql } from '../db/connect.js';
import type { Fragment } from '../csv/sql-parts.js';
import { isPgError, TenantctlError } from '../errors.js';
import type { PooledDeclarations } from './declarations.js';
import { erasedNames } from './names.js';
import { erasedEmails, scrubPersonal } from './personal.js';
import { readFold } from './fold.js';
import type { ErasePlan, PlannedReference } from './plan.js';
import type { ReferenceRule } from './references.js';
import { linkChain } from './owners.js';
import { breakCycle, countRule, deleteOwned, ruleStatement, type OwnerSide } from './rule-sql.js';
import { col, makeScope, owned, tableRef, type Scope } from './scope.js';
import { withRowSecurityOff } from './session.js';
import { withPlaceholders } from './orphans.js';

/** What an erasure did, per step; no personal data. */
export interface EraseCounts {
  deleted: Record<string, number>;
  references: { table: string; columns: string[]; action: string; rows: number }[];
  personalData: { table: string; column: string; action: string; holds: string; of?: string; rows: number }[];
  cycleBreakers: { table: string; columns: string[]; rows: number }[];
  placeholders: number;
  postSteps: string[];
}

/**
 * The outcome of applyErase(). `erasedValues` (the erased people's keys and e-mails) exist
 * only for postScan() in the same process: never print or store them.
 */
export interface EraseResult {
  counts: EraseCounts;
  erasedValues: string[];
  /** The erased people's full names (lower-cased), searched for in the columns declared to hold names. */
  erasedNames: string[];
}

/** Describe the blocking rows: which rows of which tenant, per reference. */
export function refusalText(refusals: PlannedReference[]): string {
  return refusals.map((r) => `${r.rows} row${r.rows === 1 ? '' : 's'} of ${r.table} (${r.columns.join(', ')} → ${r.parent}; ${r.why}): ${r.sample.map((x) => `${x.row} of ${x.ownerHandle ?? 'the platform'}${x.owner ? ` (${x.owner})` : ''}`).join(', ')}${r.rows > r.sample.length ? ', …' : ''}`).join('; ');
}

function refused(plan: ErasePlan, refusals: PlannedReference[]): TenantctlError {
  const problems = plan.problems.length ? ` ${plan.problems.join('; ')}.` : '';
  return new TenantctlError('ERASE_REFUSED', `Erasing ${plan.tenant.handle} (${plan.tenant.id}) would break other tenants' rows: ${refusalText(refusals)}.${problems}`, {
    hint: plan.options.sharedRows === 'tombstone'
      ? 'Nothing was changed. --shared-rows tombstone cannot keep these rows (no placeholder fits them): resolve them with their owners first.'
      : 'Nothing was changed. Resolve those rows with their owners first, or run with --shared-rows tombstone where the profile has placeholders.',
    details: { tenantId: plan.tenant.id, refusals: refusals.map((r) => ({ table: r.table, columns: r.columns, parent: r.parent, rows: r.rows, sample: r.sample })), problems: plan.problems },
  });
}

const rowsOf = async (q: PromiseLike<readonly unknown[]>): Promise<number> => Number(((await q)[0] as { n: string } | undefined)?.n ?? 0);
const affected = async (q: PromiseLike<{ count: number }>): Promise<number> => (await q).count;

/** The erased people's keys and e-mails (not those another tenant's person shares), read before they go; for the post-scan only. */
async function erasedValues(s: Scope, plan: ErasePlan): Promise<string[]> {
  const values: string[] = [];
  for (const p of plan.declarations.people ?? []) {
    const key = plan.classification.catalog.tables.find((t) => t.name === p.table)?.primaryKey[0] ?? 'id';
    const rows = await s.sql`select ${col(s, 'c', key)}::text as k from ${tableRef(s, p.table)} c where ${owned(s, p.table, 'c')}`;
    values.push(...(rows as unknown as { k: string }[]).map((r) => r.k));
  }
  const emails = await s.sql`select q.e from (${erasedEmails(s, plan.declarations)}) q`;
  values.push(...(emails as unknown as { e: string }[]).map((r) => r.e));
  return values;
}

/** Copy the erased persons' keys aside: their memberships are deleted before them. */
async function materializeIdentity(s: Scope, decl: PooledDeclarations): Promise<void> {
  const identity = decl.sharedIdentity;
  if (!identity) return;
  const temp = `tenantctl_erase_${identity.table}`;
  await s.sql`drop table if exists pg_temp.${s.sql(temp)}`;
  await s.sql`create temp table ${s.sql(temp)} on commit drop as select ${col(s, 'c', identity.key)} as key from ${tableRef(s, identity.table)} c where ${owned(s, identity.table, 'c')}`;
  s.materialized.set(identity.table, temp);
}

async function insertPlaceholders(s: Scope, plan: ErasePlan): Promise<number> {
  if (!plan.references.some((r) => r.action === 'tombstone')) return 0;
  let n = 0;
  for (const row of plan.declarations.tombstone?.rows ?? []) {
    const key = plan.classification.catalog.tables.find((t) => t.name === row.table)?.primaryKey[0] ?? 'id';
    // Only an existing placeholder (its key) is skipped: a row of a tenant holding one of its
    // unique values (an organization named "Erased organization") must not pass silently, or
    // the re-pointed rows would point at nothing.
    try {
      n += await affected(s.sql`insert into ${tableRef(s, row.table)} ${s.sql({ ...row.values, [key]: row.key } as Record<string, never>)} on conflict (${s.sql(key)}) do nothing`);
    } catch (error) {
      if (!isPgError(error) || error.code !== '23505') throw error;
      throw new TenantctlError('ERASE_PLACEHOLDER_TAKEN', `--shared-rows tombstone needs its placeholder row in ${row.table} (${key} ${row.key}), and another row already holds one of its unique values${error.detail ? `: ${error.detail}` : ''}. Nothing was erased: the transaction rolled back.`, {
        hint: `Rename that ${row.table} row (it is a real one, not the placeholder), then run the erasure again.`,
        details: { table: row.table, placeholder: row.key, constraint: error.constraint_name ?? null },
        cause: error,
      });
    }
  }
  return n;
}

/** What makes a co-owned row the tenant's: its tenant column, or its owner link and fallbacks. */
function ownerLinkOf(plan: ErasePlan, rule: ReferenceRule): OwnerSide[] {
  const t = plan.classification.tables.find((x) => x.table === rule.table);
  if (t?.class === 'direct') return t.tenantColumn ? [{ columns: [t.tenantColumn], parent: plan.classification.registry.table }] : [];
  return t?.owner ? linkChain(t.owner) : [];
}

/** Turn a foreign key violation during the deletes into an error that says nothing was erased. */
function explainDeleteError(error: unknown, table: string): unknown {
  if (!isPgError(error) || (error.code !== '23503' && error.code !== 'P0001')) return error;
  return new TenantctlError('ERASE_BLOCKED', `Deleting the tenant's rows from ${table} failed: ${error.message}${error.detail ? ` (${error.detail})` : ''}.`, {
    hint: 'A row outside the plan still needs them (written since the plan, or a reference the profile does not declare). Nothing was erased: the transaction rolled back. Run the plan again.',
    details: { table, constraint: error.constraint_name ?? null, code: error.code },
    cause: error,
  });
}

async function run(table: string, statement: Fragment): Promise<number> {
  try {
    return await affected(statement as unknown as PromiseLike<{ count: number }>);
  } catch (error) {
    throw explainDeleteError(error, table);
  }
}

/**
 * Carry out a plan inside the caller's transaction, with row_security off: refuse a blocked
 * plan before writing anything and re-check its refusals (rows written since the plan); then
 * carry out each reference rule, scrub personal data, break cycles, delete the tenant's rows
 * table by table (children first, one set-based statement each) and run the post-steps. Any
 * failure throws, and the caller's transaction rolls everything back.
 */
export async function applyErase(tx: Sql, plan: ErasePlan): Promise<EraseResult> {
  if (plan.blocked) throw refused(plan, plan.refusals);
  return withRowSecurityOff(tx, async (sql) => {
    const s = withPlaceholders({ ...makeScope(sql, plan.classification, plan.tenant.id, plan.declarations.sharedIdentity), fold: await readFold(sql) }, plan.classification, plan.declarations);
    const r = plan.declarations.registry;
    const [locked] = await sql`select 1 as ok from ${tableRef(s, r.table)} where ${sql(r.key)}::text = ${plan.tenant.id} for update`;
    if (!locked) throw new TenantctlError('TENANT_GONE', `${r.table} ${plan.tenant.handle} (${plan.tenant.id}) disappeared while the erasure was being prepared (erased by another run?).`, { hint: 'Nothing was changed.' });
    const late = (await Promise.all(plan.references.filter((x) => x.action === 'refuse').map(async (x) => ({ ...x, rows: await rowsOf(countRule(s, x)), sample: [] })))).filter((x) => x.rows > 0);
    if (late.length) throw refused(plan, late);
    const values = await erasedValues(s, plan);
    const names = (await sql`select q.n from (${erasedNames(s, plan.declarations)}) q`).map((r) => (r as { n: string }).n);
    await materializeIdentity(s, plan.declarations);
    const counts: EraseCounts = { deleted: {}, references: [], personalData: [], cycleBreakers: [], placeholders: await insertPlaceholders(s, plan), postSteps: [] };
    // Co-owned rows first: a tombstone makes them (and what they own) stay, which the later steps then see.
    const rules = [...plan.references.filter((x) => x.kind === 'co-owned'), ...plan.references.filter((x) => x.kind === 'reference')];
    for (const rule of rules) {
      const statement = ruleStatement(s, rule, ownerLinkOf(plan, rule));
      if (statement) counts.references.push({ table: rule.table, columns: rule.columns, action: rule.action, rows: await run(rule.table, statement) });
    }
    // Scrubbed after the tombstones: a kept co-owned row (and what it owns) is no longer the tenant's,
    // so its free text is scrubbed like any other tenant's. The people are still there to match.
    for (const pd of plan.declarations.personalData ?? []) {
      if (pd.action === 'report') continue;
      counts.personalData.push({ table: pd.table, column: pd.column, action: pd.action, holds: pd.holds, ...(pd.of ? { of: pd.of } : {}), rows: await run(pd.table, scrubPersonal(s, plan.declarations, plan.classification.catalog, pd)) });
    }
    for (const b of plan.cycleBreakers) counts.cycleBreakers.push({ table: b.table, columns: b.columns, rows: await run(b.table, breakCycle(s, b.table, b.columns)) });
    for (const table of plan.deleteOrder) {
      try {
        counts.deleted[table] = await rowsOf(deleteOwned(s, table));
      } catch (error) {
        throw explainDeleteError(error, table);
      }
    }
    for (const step of plan.postSteps) {
      await sql`refresh materialized view ${tableRef(s, step.view)}`;
      counts.postSteps.push(`refreshed ${step.view}`);
    }
    return { counts, erasedValues: values, erasedNames: names };
  });
}
