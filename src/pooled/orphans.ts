import type { Fragment } from '../csv/sql-parts.js';
import type { Classification } from './classify.js';
import type { PooledDeclarations } from './declarations.js';
import { col, type Scope } from './scope.js';

/**
 * Rows left between the "erased organization" placeholder and one live tenant.
 *
 * `--shared-rows tombstone` keeps a co-owned row (A's transfer into B's warehouse) by
 * re-pointing A's side at the placeholder. When B is erased later, that row has no live
 * party but B: the placeholder is not a tenant and nobody reads its history. Refusing would
 * protect nobody, so such a row counts as B's own and is DELETED with B (not re-pointed a
 * second time): keeping a placeholder-to-placeholder row would only keep B's quantities and
 * dates with no one to serve, and the placeholder's own "stock" is a sum nobody uses (it is
 * no tenant's, never listed or counted). A row that still involves a third, live tenant
 * (a transfer into C's warehouse, performed by C's user, sold by Oraseas) is not such a row
 * and keeps its normal reference rules, refusal included.
 *
 * Only tables that can hold re-pointed co-owned rows are concerned (the declared co-owned
 * tables and direct tables with a second registry column), and only in erasure scopes.
 */

/** A single-column foreign key of an orphan-capable table to a table holding tenant rows. */
interface OtherParty {
  column: string;
  parent: string;
  parentColumn: string;
  /** The parent's placeholder key, when the profile has one. */
  placeholder: string | null;
}

/** How to recognize a placeholder-owned row of one table. */
export interface OrphanRule {
  /** The column that makes the row its owner's (tenant column or owner link). */
  ownerColumn: string;
  /** The placeholder key that column holds once the row was tombstoned. */
  placeholder: string;
  others: OtherParty[];
}

const OWNING = new Set(['registry', 'direct', 'indirect', 'shared-identity']);

/** The placeholder key per table (`decl.tombstone`), empty without placeholders. */
export const placeholderKeys = (decl: PooledDeclarations): Map<string, string> =>
  new Map((decl.tombstone?.rows ?? []).map((r) => [r.table, r.key]));

/** The orphan rules of the tables a tombstone can re-point co-owned rows of. */
export function orphanRules(cls: Classification, decl: PooledDeclarations): Map<string, OrphanRule> {
  const placeholders = placeholderKeys(decl);
  const rules = new Map<string, OrphanRule>();
  if (!placeholders.size) return rules;
  const classes = new Map(cls.tables.map((t) => [t.table, t]));
  const coOwnedTables = new Set([...(decl.coOwned ?? []).map((c) => c.table), ...cls.tables.filter((t) => t.class === 'direct' && t.otherTenantColumns.length).map((t) => t.table)]);
  for (const table of coOwnedTables) {
    const t = classes.get(table);
    const ownerColumn = t?.class === 'direct' ? t.tenantColumn : t?.owner?.columns.length === 1 ? t.owner.columns[0]! : null;
    const ownerParent = t?.class === 'direct' ? cls.registry.table : t?.owner?.parent;
    const placeholder = ownerParent ? placeholders.get(ownerParent) : undefined;
    if (!ownerColumn || !placeholder) continue;
    const others = cls.catalog.foreignKeys
      .filter((f) => f.table === table && f.parent !== table && f.columns.length === 1 && f.columns[0] !== ownerColumn && OWNING.has(classes.get(f.parent)?.class ?? ''))
      .map((f) => ({ column: f.columns[0]!, parent: f.parent, parentColumn: f.parentColumns[0]!, placeholder: placeholders.get(f.parent) ?? null }));
    if (others.length) rules.set(table, { ownerColumn, placeholder, others });
  }
  return rules;
}

/**
 * The condition "this row (alias) is the placeholder's and its only live party is the
 * tenant": owned by the placeholder, pointing at one of the tenant's rows, and every other
 * party NULL, a placeholder or the tenant's. `ownedPlain` is the tenant's ownership without
 * this extension (a parent never counts as the tenant's through being an orphan itself).
 */
export function orphanOf(s: Scope, rule: OrphanRule, alias: string, ownedPlain: (table: string, alias: string) => Fragment): Fragment {
  const tenants = (o: OtherParty, i: number) => {
    const p = `${alias}_x${i}`;
    return s.sql`${col(s, alias, o.column)} in (select ${col(s, p, o.parentColumn)} from ${s.sql(s.schema)}.${s.sql(o.parent)} ${s.sql(p)} where ${ownedPlain(o.parent, p)})`;
  };
  const some = rule.others.map((o, i) => (i === 0 ? tenants(o, i) : s.sql` or ${tenants(o, i)}`));
  const every = rule.others.map((o, i) => {
    const placeholder = o.placeholder ? s.sql` or ${col(s, alias, o.column)} = ${o.placeholder}` : s.sql``;
    const one = s.sql`(${col(s, alias, o.column)} is null${placeholder} or ${tenants(o, i)})`;
    return i === 0 ? one : s.sql` and ${one}`;
  });
  return s.sql`(${col(s, alias, rule.ownerColumn)} = ${rule.placeholder} and (${some}) and ${every})`;
}

/** Make an erasure scope aware of the profile's placeholders and of the rows only they share with the tenant. */
export function withPlaceholders(s: Scope, cls: Classification, decl: PooledDeclarations): Scope {
  s.placeholders = placeholderKeys(decl);
  s.orphans = orphanRules(cls, decl);
  return s;
}
