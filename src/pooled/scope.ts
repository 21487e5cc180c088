import type { Sql } from '../db/connect.js';
import type { Fragment } from '../csv/sql-parts.js';
import type { Classification, ClassifiedTable, OwnerLink } from './classify.js';
import type { SharedIdentityDeclaration } from './declarations.js';
import { ASCII_FOLD, type Fold } from './fold.js';
import { orphanOf, type OrphanRule } from './orphans.js';
import { ident, qualifiedIdent } from '../db/ident.js';

/**
 * SQL fragments that say which rows of a table belong to one tenant, built from the
 * classification: a tenant column compared with the id (its index does the work), or a
 * chain of `IN (select … from parent where …)` along the owner path. Identifiers go through
 * `sql(name)`, the tenant id is a parameter.
 */
export interface Scope {
  sql: Sql;
  schema: string;
  tenantId: string;
  tables: Map<string, ClassifiedTable>;
  identity: SharedIdentityDeclaration | undefined;
  /**
   * `erase`: a shared person belongs to the tenant only when no other tenant employs them;
   * `export`: every member. @default 'erase'
   */
  mode: 'erase' | 'export';
  /** Tables whose erased keys were copied into a temporary table (shared identity, before memberships go). */
  materialized: Map<string, string>;
  /** Erasure only: the placeholder key per table (a placeholder row is never another tenant's stake). */
  placeholders: Map<string, string>;
  /** Erasure only: tables whose placeholder-owned rows count as the tenant's when it is their only live party (orphans.ts). */
  orphans: Map<string, OrphanRule>;
  /** How e-mails and usernames are case-folded (fold.ts): read once by the erasure and its plan; ASCII_FOLD elsewhere. */
  fold: Fold;
}

export function makeScope(sql: Sql, cls: Classification, tenantId: string, identity: SharedIdentityDeclaration | undefined, mode: Scope['mode'] = 'erase'): Scope {
  return { sql, schema: cls.schema, tenantId, tables: new Map(cls.tables.map((t) => [t.table, t])), identity, mode, materialized: new Map(), placeholders: new Map(), orphans: new Map(), fold: ASCII_FOLD };
}

/** `schema.table` (catalog names: each quoted whole, see db/ident.ts). */
export const tableRef = (s: Scope, table: string): Fragment => qualifiedIdent(s.sql, s.schema, table);

/** `alias.column`. */
export const col = (s: Scope, alias: string, column: string): Fragment => s.sql`${s.sql(alias)}.${ident(s.sql, column)}`;

/** `(a.x, a.y)`, or `a.x` for one column. */
export function cols(s: Scope, alias: string, columns: readonly string[]): Fragment {
  if (columns.length === 1) return col(s, alias, columns[0]!);
  return s.sql`(${columns.map((c, i) => (i === 0 ? col(s, alias, c) : s.sql`, ${col(s, alias, c)}`))})`;
}

/** `a.x, a.y` (a select list). */
export const selectList = (s: Scope, alias: string, columns: readonly string[]): Fragment =>
  s.sql`${columns.map((c, i) => (i === 0 ? col(s, alias, c) : s.sql`, ${col(s, alias, c)}`))}`;

function membershipCondition(s: Scope, identity: SharedIdentityDeclaration, alias: string): Fragment {
  const m = identity.membership;
  const member = s.sql`exists (select 1 from ${tableRef(s, m.table)} m where ${col(s, 'm', m.personColumn)} = ${col(s, alias, identity.key)} and ${col(s, 'm', m.tenantColumn)} = ${s.tenantId})`;
  if (s.mode === 'export') return member;
  // Erasure keeps a person another tenant also employs: only this tenant's membership row goes.
  return s.sql`(${member} and not exists (select 1 from ${tableRef(s, m.table)} m where ${col(s, 'm', m.personColumn)} = ${col(s, alias, identity.key)} and ${col(s, 'm', m.tenantColumn)} <> ${s.tenantId}))`;
}

/**
 * The condition "this row (table `table` under `alias`) belongs to the tenant". False for
 * global and unclassified tables. Nested aliases are derived from `alias` so a subquery
 * never resolves a column against the wrong table.
 */
export function owned(s: Scope, table: string, alias: string): Fragment {
  const orphan = orphaned(s, table, alias);
  return orphan ? s.sql`(${ownedPlain(s, table, alias)} or ${orphan})` : ownedPlain(s, table, alias);
}

/** The rows of `table` that are the tenant's only as placeholder orphans (orphans.ts); null: the table has none. */
export function orphaned(s: Scope, table: string, alias: string): Fragment | null {
  const orphan = s.mode === 'erase' ? s.orphans.get(table) : undefined;
  if (!orphan) return null;
  const plain = { ...s, orphans: new Map<string, OrphanRule>() };
  return orphanOf(s, orphan, alias, (parent, a) => ownedPlain(plain, parent, a));
}

/** owned() without the placeholder orphans (parents are owned by their own rows, never as orphans). */
function ownedPlain(s: Scope, table: string, alias: string): Fragment {
  const t = s.tables.get(table);
  const temp = s.materialized.get(table);
  if (temp && t?.tenantColumn) return s.sql`${col(s, alias, t.tenantColumn)} in (select key from ${s.sql(temp)})`;
  switch (t?.class) {
    case 'registry':
    case 'direct':
      return s.sql`${col(s, alias, t.tenantColumn!)} = ${s.tenantId}`;
    case 'shared-identity':
      return s.identity ? membershipCondition(s, s.identity, alias) : s.sql`false`;
    case 'indirect':
      return linkOwned(s, t.owner!, alias);
    default:
      return s.sql`false`;
  }
}

/** The row's owner link points at a row of the tenant (or, with `orElse`, its fallback link does while the link is NULL). */
function linkOwned(s: Scope, link: OwnerLink, alias: string, p = `${alias}_p`): Fragment {
  const main = s.sql`${cols(s, alias, link.columns)} in (select ${selectList(s, p, link.parentColumns)} from ${tableRef(s, link.parent)} ${s.sql(p)} where ${owned(s, link.parent, p)})`;
  if (!link.orElse) return main;
  const unset = s.sql`${link.columns.map((c, i) => (i === 0 ? s.sql`${col(s, alias, c)} is null` : s.sql` and ${col(s, alias, c)} is null`))}`;
  return s.sql`(${main} or (${unset} and ${linkOwned(s, link.orElse, alias, `${p}e`)}))`;
}

/** The registry key of the owner through one link (and its fallback while the link is NULL). */
function linkOwner(s: Scope, link: OwnerLink, alias: string, p = `${alias}_o`): Fragment {
  const main = s.sql`(select ${ownerOf(s, link.parent, p)} from ${tableRef(s, link.parent)} ${s.sql(p)} where ${cols(s, p, link.parentColumns)} = ${cols(s, alias, link.columns)} limit 1)`;
  return link.orElse ? s.sql`coalesce(${main}, ${linkOwner(s, link.orElse, alias, `${p}e`)})` : main;
}

/** `not owned(…)`, where an unknown (NULL) answer counts as "not the tenant's". */
export const notOwned = (s: Scope, table: string, alias: string): Fragment => s.sql`not coalesce(${owned(s, table, alias)}, false)`;

/** The registry key of the row's owner as text (for reports): its tenant column, or up its owner path. NULL: a platform row. */
export function ownerOf(s: Scope, table: string, alias: string): Fragment {
  const t = s.tables.get(table);
  switch (t?.class) {
    case 'registry':
    case 'direct':
      return s.sql`${col(s, alias, t.tenantColumn!)}::text`;
    case 'shared-identity': {
      const m = s.identity!.membership;
      return s.sql`(select string_agg(distinct ${col(s, 'm', m.tenantColumn)}::text, ',') from ${tableRef(s, m.table)} m where ${col(s, 'm', m.personColumn)} = ${col(s, alias, t.tenantColumn!)})`;
    }
    case 'indirect':
      return linkOwner(s, t.owner!, alias);
    default:
      return s.sql`null::text`;
  }
}

/** The row's key as text for reports: its primary key (columns joined by ','), else its ctid. */
export function rowKey(s: Scope, primaryKey: readonly string[], alias: string): Fragment {
  if (!primaryKey.length) return s.sql`${col(s, alias, 'ctid')}::text`;
  return s.sql`concat_ws(',', ${primaryKey.map((c, i) => (i === 0 ? s.sql`${col(s, alias, c)}::text` : s.sql`, ${col(s, alias, c)}::text`))})`;
}
