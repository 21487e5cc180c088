import type { Sql } from '../db/connect.js';

import { TenantctlError } from '../errors.js';
import type { Classification, TableClass } from './classify.js';
import type { PersonalDataColumn, PooledDeclarations, PostStep } from './declarations.js';
import { deleteOrder, type CycleBreaker } from './order.js';
import { keptPeople, type KeptPeople } from './kept-people.js';
import { countPersonal, ordinaryWordIdentifiers } from './personal.js';
import { readFold } from './fold.js';
import { referenceRules, type EraseOptions, type ReferenceRule } from './references.js';
import { countRule, sampleRule } from './rule-sql.js';
import { makeScope, orphaned, owned, tableRef, type Scope } from './scope.js';
import { withRowSecurityOff } from './session.js';
import { unsearchedColumns } from './post-scan.js';
import { withDetachedPartitions } from './detached.js';
import { withPlaceholders } from './orphans.js';
import { unscrubbedColumns, withCatalogScrubs } from './catalog-scrubs.js';

/** A table holding the tenant's rows, and how many. */
export interface PlannedTable {
  table: string;
  class: TableClass;
  ownerPath: string;
  rows: number;
}

/** A reference rule with the rows it concerns now. */
export interface PlannedReference extends ReferenceRule {
  rows: number;
  /** Up to SAMPLE_ROWS of them: the row's key, its owner's registry key and handle (null: a platform row). */
  sample: { row: string; owner: string | null; ownerHandle: string | null }[];
}

export interface PlannedPersonalData extends PersonalDataColumn {
  rows: number;
  /** Free text searched for e-mails: of `rows`, how many hold an e-mail and how many a username (a row may hold both). */
  emailRows?: number;
  usernameRows?: number;
}

/**
 * What an erasure will do, computed without changing anything; printable (`--dry-run`) and
 * JSON-safe (`--json`). `blocked` plans (any refusal, or a cycle no nullable key breaks) are
 * refused by applyErase() before it writes anything.
 */
export interface ErasePlan {
  format: 'tenantctl.pooled-erase-plan/1';
  schema: string;
  tenant: { id: string; handle: string; status: string | null };
  options: Required<EraseOptions>;
  /** Every table holding the tenant's rows (direct and indirect), with counts. */
  tables: PlannedTable[];
  /** Every rule about rows outside the erasure; the ones with rows > 0 are what the user needs to see. */
  references: PlannedReference[];
  /** The references that block the erasure: table, rows, owners. */
  refusals: PlannedReference[];
  personalData: PlannedPersonalData[];
  /** Shared people kept because another tenant has them too, with their person-wide values (null: no shared identity). */
  keptPeople: KeptPeople | null;
  deleteOrder: string[];
  cycleBreakers: CycleBreaker[];
  postSteps: PostStep[];
  /** Why the plan cannot run besides refusals (unbreakable cycles). */
  problems: string[];
  /** What the plan cannot promise (unclassified tables, free text nobody declared); kept in the receipt, so no personal data. */
  notes: string[];
  /**
   * The erased people's identifiers (usernames) not searched in free text because they could
   * be ordinary words (personal.ts NOT_A_WORD). Shown by the dry run; the receipt keeps only
   * their number (it holds no personal data).
   */
  unsearchedIdentifiers: string[];
  blocked: boolean;
  totals: { tables: number; rows: number };
  classification: Classification;
  declarations: PooledDeclarations;
}

/** How many blocking rows a plan names per reference; the count is always exact. */
export const SAMPLE_ROWS = 20;

const OWNING = new Set(['registry', 'direct', 'indirect', 'shared-identity']);

async function count(fragment: PromiseLike<readonly unknown[]>): Promise<number> {
  const [row] = await fragment;
  return Number((row as { n: string }).n);
}

async function readTenant(s: Scope, decl: PooledDeclarations): Promise<ErasePlan['tenant']> {
  const r = decl.registry;
  const status = r.status ? s.sql`${s.sql(r.status)}::text` : s.sql`null::text`;
  const guard = r.nonErasable ? s.sql`${s.sql(r.nonErasable.column)}::text = any(${r.nonErasable.values}::text[])` : s.sql`false`;
  const [row] = await s.sql`select ${s.sql(r.key)}::text as id, ${s.sql(r.handle)}::text as handle, ${status} as status, ${guard} as protected
    from ${tableRef(s, r.table)} where ${s.sql(r.key)}::text = ${s.tenantId}`;
  const tenant = row as { id: string; handle: string; status: string | null; protected: boolean } | undefined;
  if (!tenant) {
    throw new TenantctlError('TENANT_NOT_FOUND', `No ${r.table} row has ${r.key} = ${s.tenantId} in schema ${s.schema}.`, { hint: 'List the tenants with `tenantctl tenant list`.', details: { tenantId: s.tenantId } });
  }
  const placeholder = decl.tombstone?.rows.some((p) => p.table === r.table && p.key === tenant.id);
  if (tenant.protected || placeholder) {
    const why = placeholder ? 'it is the placeholder that erased tenants\' shared rows point at' : r.nonErasable!.reason;
    throw new TenantctlError('TENANT_NOT_ERASABLE', `${r.table} ${tenant.handle} (${tenant.id}) cannot be erased: ${why}.`, { hint: 'Nothing was changed.', details: { tenantId: tenant.id } });
  }
  return { id: tenant.id, handle: tenant.handle, status: tenant.status };
}

async function planReference(s: Scope, cls: Classification, rule: ReferenceRule): Promise<PlannedReference> {
  const rows = await count(countRule(s, rule));
  const pk = cls.catalog.tables.find((t) => t.name === rule.table)?.primaryKey ?? [];
  const sample = rows ? ((await sampleRule(s, rule, pk, SAMPLE_ROWS)) as unknown as { row: string; owner: string | null }[]).map((r) => ({ row: r.row, owner: r.owner, ownerHandle: null })) : [];
  return { ...rule, rows, sample };
}

/** Put the owners' handles (what users know them by) beside their keys in the samples. */
async function nameOwners(s: Scope, decl: PooledDeclarations, references: PlannedReference[]): Promise<void> {
  const ids = [...new Set(references.flatMap((r) => r.sample.flatMap((x) => (x.owner ? x.owner.split(',') : []))))];
  if (!ids.length) return;
  const r = decl.registry;
  const rows = await s.sql`select ${s.sql(r.key)}::text as id, ${s.sql(r.handle)}::text as handle from ${tableRef(s, r.table)} where ${s.sql(r.key)}::text = any(${ids}::text[])`;
  const names = new Map((rows as unknown as { id: string; handle: string }[]).map((x) => [x.id, x.handle]));
  for (const ref of references) for (const x of ref.sample) x.ownerHandle = x.owner ? x.owner.split(',').map((o) => names.get(o) ?? o).join(', ') : null;
}

/**
 * Plan the erasure of one tenant: every table holding its rows with counts; every row of
 * another tenant (or platform row) that references a row being erased, through foreign keys
 * (ON DELETE CASCADE included), declared trigger-enforced references and co-owned rows, each
 * with its action; personal data outside the foreign keys; the delete order with cycle
 * breakers; post-steps. Reads only, with row_security off, in one snapshot.
 */
export async function planErase(sql: Sql, declared: PooledDeclarations, cls: Classification, tenantId: string, options: EraseOptions = {}): Promise<ErasePlan> {
  const decl = withCatalogScrubs(withDetachedPartitions(declared, cls.catalog), cls);
  const opts: Required<EraseOptions> = { sharedRows: options.sharedRows ?? 'refuse' };
  return withRowSecurityOff(sql, async (tx) => {
    const s = withPlaceholders({ ...makeScope(tx, cls, tenantId, decl.sharedIdentity), fold: await readFold(tx) }, cls, decl);
    const tenant = await readTenant(s, decl);
    const owning = cls.tables.filter((t) => OWNING.has(t.class));
    const tables = await Promise.all(owning.map(async (t) => ({ table: t.table, class: t.class, ownerPath: t.ownerPath, rows: await count(tx`select count(*)::bigint as n from ${tableRef(s, t.table)} c where ${owned(s, t.table, 'c')}`) })));
    const references = await Promise.all(referenceRules(cls, decl, opts).map((r) => planReference(s, cls, r)));
    await nameOwners(s, decl, references);
    const personalData = await Promise.all((decl.personalData ?? []).map(async (pd): Promise<PlannedPersonalData> => {
      const [row] = (await countPersonal(s, decl, cls.catalog, pd)) as unknown as { n: string; e?: string; u?: string }[];
      return { ...pd, rows: Number(row!.n), ...(row!.u === undefined ? {} : { emailRows: Number(row!.e), usernameRows: Number(row!.u) }) };
    }));
    const kept = await keptPeople(s, decl, SAMPLE_ROWS);
    const words = (await tx`select q.e from (${ordinaryWordIdentifiers(s, decl)}) q order by 1`).map((r) => (r as { e: string }).e);
    const orphans = (await Promise.all([...s.orphans.keys()].map(async (t) => ({ table: t, rows: await count(tx`select count(*)::bigint as n from ${tableRef(s, t)} c where ${orphaned(s, t, 'c')!}`) })))).filter((o) => o.rows > 0);
    const order = deleteOrder(cls, decl);
    const refusals = references.filter((r) => r.action === 'refuse' && r.rows > 0);
    const problems = order.unbreakable.map((c) => `the tables ${c.join(', ')} reference each other through NOT NULL keys only: no cycle breaker`);
    const holding = tables.filter((t) => t.rows > 0);
    return {
      format: 'tenantctl.pooled-erase-plan/1',
      schema: cls.schema,
      tenant,
      options: opts,
      tables: holding,
      references,
      refusals,
      personalData,
      keptPeople: kept,
      deleteOrder: order.tables,
      cycleBreakers: order.breakers,
      postSteps: decl.postSteps ?? [],
      problems,
      notes: planNotes(cls, decl, references, words.length, orphans),
      unsearchedIdentifiers: words,
      blocked: refusals.length > 0 || problems.length > 0,
      totals: { tables: holding.length, rows: holding.reduce((n, t) => n + t.rows, 0) },
      classification: cls,
      declarations: decl,
    };
  });
}

/** `words`: how many of the erased people's identifiers could be ordinary words (personal.ts NOT_A_WORD). */
function planNotes(cls: Classification, decl: PooledDeclarations, references: PlannedReference[], words: number, orphans: { table: string; rows: number }[]): string[] {
  const notes = cls.problems.map((p) => `${p.table} is not classified (${p.message}): its rows are never erased as the tenant's; rows referencing the tenant are handled as other tenants' rows`);
  const free = unsearchedColumns(cls, decl);
  if (free.length) notes.push(`free-text columns not searched for personal data (declare them as personal data to scrub them): ${free.join(', ')}`);
  const unscrubbed = unscrubbedColumns(decl, cls);
  if (unscrubbed.length) notes.push(`array columns searched by the post-scan but not scrubbed (their elements are neither text nor keys): ${unscrubbed.join(', ')}`);
  for (const o of orphans) notes.push(`${o.rows} ${o.table} row${o.rows === 1 ? '' : 's'} shared only with the erased-organization placeholder (an earlier tombstone) are erased with the tenant: no live organization needs them; the table counts above include them`);
  if (words) notes.push(`${words} username${words === 1 ? '' : 's'} not searched in free text: an ordinary word (a whole-word match would rewrite other tenants' text that never named the person; rows keyed to the person are still handled)`);
  for (const d of decl.detachedPartitions ?? []) notes.push(`${d.table} is a detached partition of ${d.parent} (an ordinary table a delete through ${d.parent} never reaches): erased, anonymized and scanned like ${d.parent}`);
  notes.push('retention archives that `tenantctl maintain --archive-dir` wrote are CSV files outside the database: this erasure does not reach them (remove the tenant\'s rows from them, or let them expire)');
  if (references.some((r) => r.kind === 'co-owned' && r.action === 'tombstone' && r.rows > 0)) {
    notes.push('tombstoned co-owned rows are kept, with the rows they own: the table counts above include them');
  }
  return notes;
}
