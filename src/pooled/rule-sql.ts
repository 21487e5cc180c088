import { seq, type Fragment } from '../csv/sql-parts.js';
import type { ReferenceRule } from './references.js';
import { col, cols, notOwned, owned, ownerOf, rowKey, selectList, tableRef, type Scope } from './scope.js';

/**
 * The statements behind a reference rule, under alias `c` for the referencing table: which
 * rows it concerns, how many, a sample with owners, and the one set-based statement that
 * carries out its action.
 */

/** Rows the rule concerns (alias `c`). */
export function ruleCondition(s: Scope, rule: ReferenceRule): Fragment {
  if (rule.kind === 'co-owned') {
    // An erased row whose other column points at a row that stays (another tenant's). A placeholder
    // row is nobody's stake (orphans.ts): a row shared only with it simply goes with the tenant.
    const placeholder = s.placeholders.get(rule.parent);
    const live = placeholder && rule.parentColumns.length === 1 ? s.sql` and ${col(s, 'p', rule.parentColumns[0]!)} <> ${placeholder}` : s.sql``;
    return s.sql`${owned(s, rule.table, 'c')} and exists (select 1 from ${tableRef(s, rule.parent)} p where ${cols(s, 'p', rule.parentColumns)} = ${cols(s, 'c', rule.columns)} and ${notOwned(s, rule.parent, 'p')}${live})`;
  }
  return s.sql`${cols(s, 'c', rule.columns)} in (select ${selectList(s, 'rp', rule.parentColumns)} from ${tableRef(s, rule.parent)} rp where ${owned(s, rule.parent, 'rp')}) and ${notOwned(s, rule.table, 'c')}`;
}

export const countRule = (s: Scope, rule: ReferenceRule): Fragment =>
  s.sql`select count(*)::bigint as n from ${tableRef(s, rule.table)} c where ${ruleCondition(s, rule)}`;

/**
 * Up to `limit` concerned rows: their key and the registry key of the tenant they stand for
 * (NULL: a platform row): the row's owner, or for a co-owned row the co-owner (the owner of
 * the row its other column points at).
 */
export function sampleRule(s: Scope, rule: ReferenceRule, primaryKey: readonly string[], limit: number): Fragment {
  const owner = rule.kind === 'co-owned'
    ? s.sql`(select ${ownerOf(s, rule.parent, 'p')} from ${tableRef(s, rule.parent)} p where ${cols(s, 'p', rule.parentColumns)} = ${cols(s, 'c', rule.columns)} limit 1)`
    : ownerOf(s, rule.table, 'c');
  return s.sql`select ${rowKey(s, primaryKey, 'c')} as row, ${owner} as owner from ${tableRef(s, rule.table)} c where ${ruleCondition(s, rule)} order by 1 limit ${limit}`;
}

function assignments(s: Scope, values: [string, Fragment][]): Fragment {
  return s.sql`${values.map(([name, value], i) => (i === 0 ? s.sql`${s.sql(name)} = ${value}` : s.sql`, ${s.sql(name)} = ${value}`))}`;
}

const declared = (s: Scope, rule: ReferenceRule): [string, Fragment][] =>
  Object.entries(rule.set).map(([name, value]) => [name, value === null ? s.sql`null` : s.sql`${value}`]);

/** One way a row is the tenant's: a tenant column, or one link of an owner path (with its fallbacks, in order). */
export interface OwnerSide {
  columns: string[];
  parent: string;
}

/**
 * A co-owned row's tombstone: the side that makes it the tenant's re-pointed at the placeholder
 * of that side's parent. With an owner path and fallbacks (an ABParts creation is its target
 * warehouse's), that is the first link that is set: each link's column becomes the placeholder
 * only where every link before it is NULL, so a creation keeps its NULL source
 * (valid_transaction_warehouses). A link without a placeholder (or of several columns) keeps
 * its value: such rows stay the tenant's and go with it.
 */
function repointOwner(s: Scope, sides: readonly OwnerSide[]): [string, Fragment][] {
  return sides.flatMap((side, k): [string, Fragment][] => {
    const placeholder = s.placeholders.get(side.parent);
    if (!placeholder || side.columns.length !== 1) return [];
    const column = side.columns[0]!;
    const unset = seq(s.sql, sides.slice(0, k).flatMap((b) => b.columns).map((c) => s.sql` and ${col(s, 'c', c)} is null`));
    return [[column, s.sql`case when ${col(s, 'c', column)} is not null${unset} then ${placeholder} else ${col(s, 'c', column)} end`]];
  });
}

/**
 * The statement that carries out the rule's action on every concerned row, or null when
 * nothing is to be done before the deletes (refuse, or a co-owned row that simply goes).
 * `owner`: for a co-owned tombstone, what makes the row the tenant's (repointOwner).
 */
export function ruleStatement(s: Scope, rule: ReferenceRule, owner: readonly OwnerSide[]): Fragment | null {
  const table = tableRef(s, rule.table);
  const where = ruleCondition(s, rule);
  const extra = declared(s, rule);
  const keep = (name: string) => !(name in rule.set);
  switch (rule.action) {
    case 'refuse':
      return null;
    case 'unlink':
      return rule.kind === 'co-owned' ? null : s.sql`delete from ${table} c where ${where}`;
    case 'nullify':
    case 'anonymize':
      return s.sql`update ${table} c set ${assignments(s, [...rule.columns.filter(keep).map((n): [string, Fragment] => [n, s.sql`null`]), ...extra])} where ${where}`;
    case 'tombstone': {
      if (!rule.placeholder) return null;
      const targets: [string, Fragment][] = rule.kind === 'co-owned' ? repointOwner(s, owner) : [[rule.columns[0]!, s.sql`${rule.placeholder}`]];
      if (!targets.length) return null;
      const names = new Set(targets.map(([n]) => n));
      return s.sql`update ${table} c set ${assignments(s, [...targets, ...extra.filter(([n]) => !names.has(n))])} where ${where}`;
    }
  }
}

/** `update … set cols = null` on the tenant's own rows (a cycle breaker). */
export const breakCycle = (s: Scope, table: string, columns: string[]): Fragment =>
  s.sql`update ${tableRef(s, table)} c set ${assignments(s, columns.map((n): [string, Fragment] => [n, s.sql`null`]))} where ${owned(s, table, 'c')} and ${s.sql`(${columns.map((n, i) => (i === 0 ? s.sql`${col(s, 'c', n)} is not null` : s.sql` or ${col(s, 'c', n)} is not null`))})`}`;

/** Delete the tenant's rows of one table, returning how many went. */
export const deleteOwned = (s: Scope, table: string): Fragment =>
  s.sql`with d as (delete from ${tableRef(s, table)} c where ${owned(s, table, 'c')} returning 1) select count(*)::bigint as n from d`;
