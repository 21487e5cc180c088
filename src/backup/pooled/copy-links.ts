import type { Sql } from '../../db/connect.js';
import type { Fragment } from '../../csv/sql-parts.js';
import type { Classification, PooledDeclarations } from '../../pooled/index.js';
import { UUID_TOKEN } from '../../pooled/personal.js';
import { referenceRules, type ReferenceRule } from '../../pooled/references.js';

/**
 * One way a row restored with `--as` can point at another row: a foreign key, a declared
 * trigger-enforced ("virtual") reference, or a second registry column of a direct table.
 * What `--as` does when the row it points at is not part of the copy:
 * - `leave-out`: the row is not copied (and neither is any row that depends on it);
 * - `unlink`: the columns are cleared and the row is copied.
 */
export interface CopyLink {
  table: string;
  columns: string[];
  parent: string;
  parentColumns: string[];
  /** What links them, for people: `foreign key transactions_to_warehouse_id_fkey`. */
  via: string;
  treatment: 'leave-out' | 'unlink';
  /** Why that treatment, for people. */
  why: string;
  /** Whether the other organization co-owns the row through this link (a transfer into its warehouse, an order with the distributor). */
  coOwned: boolean;
}

/**
 * Rows of these classes are nobody's: a copy may point at them as the original did (the
 * ABParts parts catalogue). Every other row outside the copy is some organization's, or a
 * platform singleton's, which a copy also keeps pointing at (platformRow in cross-org.ts). A shared person (Prometric users) is in the copy when the organization
 * employed them in the backup (their row is staged with its memberships): the copy employs
 * the same people. A person only another organization employs is outside, like any of its rows.
 */
const SHARED_CLASSES = new Set(['global']);

const same = (a: readonly string[], b: readonly string[]): boolean => a.join() === b.join();

/**
 * Whether a link into a row outside the copy may be cleared instead of leaving the row out.
 * Only when the pooled engine's erasure rule for the very same link is `nullify`: the
 * profile (by its declarations, or the catalog's default for an optional reference) says a
 * row survives losing that link when the organization it points at is erased — an actor
 * column (`created_by`, `invited_by_user_id`), a manager, an optional customer. The row is
 * then otherwise wholly the restored organization's own, and the copy keeps it without the
 * link, as the other organization's erasure would have left it. Never for a link through
 * which the other organization co-owns the row (a transfer into its warehouse, an order
 * with the distributor, a transaction on its machine), a NOT NULL or composite key column,
 * the row's own tenant column, or any rule other than nullify (refuse, unlink, tombstone,
 * anonymize): those rows are left out.
 */
function treatmentOf(cls: Classification, rules: readonly ReferenceRule[], link: Omit<CopyLink, 'treatment' | 'why' | 'coOwned'>): Pick<CopyLink, 'treatment' | 'why' | 'coOwned'> {
  const coOwned = rules.find((r) => r.kind === 'co-owned' && r.table === link.table && same(r.columns, link.columns));
  // The erase plan's own wording (`coOwned.why`, `rule.why`) speaks of erasing and its flags:
  // the copy says what the link means for a copy.
  if (coOwned) return { treatment: 'leave-out', why: `the row is also the other organization's, through ${link.columns.join(', ')} (${coOwned.via})`, coOwned: true };
  const table = cls.catalog.tables.find((t) => t.name === link.table);
  const t = cls.tables.find((x) => x.table === link.table);
  const nullable = link.columns.every((c) => table?.columns.find((x) => x.name === c)?.nullable);
  const keyed = link.columns.some((c) => table?.primaryKey.includes(c) || c === t?.tenantColumn);
  const rule = rules.find((r) => r.kind === 'reference' && r.table === link.table && same(r.columns, link.columns) && r.parent === link.parent);
  if (rule?.action === 'nullify' && nullable && !keyed) return { treatment: 'unlink', why: `an optional link the row keeps its meaning without (${rule.why})`, coOwned: false };
  if (!nullable) return { treatment: 'leave-out', why: 'a required (NOT NULL) link', coOwned: false };
  return { treatment: 'leave-out', why: rule ? `an erasure of the other organization would not clear this link (its rule: ${rule.action})` : 'the row\'s place in the copy depends on it', coOwned: false };
}

/**
 * Every link a copied row can have into a row of an organization (registry, direct or
 * indirect tables): foreign keys (owner links included: a row whose owner row is left out
 * is left out with it), declared virtual references, and second registry columns of direct
 * tables without a foreign key. Links into global and shared-identity tables are not
 * listed: the copy points at those rows as its original did. From the catalog and the
 * profile's declarations only; the same for every profile.
 */
export function copyLinks(cls: Classification, decl: PooledDeclarations): CopyLink[] {
  const classOf = new Map(cls.tables.map((t) => [t.table, t.class]));
  const rules = referenceRules(cls, decl);
  const found: Omit<CopyLink, 'treatment' | 'why' | 'coOwned'>[] = [
    ...cls.catalog.foreignKeys.map((fk) => ({ table: fk.table, columns: fk.columns, parent: fk.parent, parentColumns: fk.parentColumns, via: `foreign key ${fk.name}` })),
    ...(decl.virtualReferences ?? []).map((v) => ({ table: v.table, columns: v.columns, parent: v.references.table, parentColumns: v.references.columns, via: v.enforcedBy })),
    ...cls.tables.flatMap((t) => (t.class === 'direct' ? t.otherTenantColumns : []).map((c) => ({ table: t.table, columns: [c], parent: cls.registry.table, parentColumns: [cls.registry.key], via: `registry column ${t.table}.${c}` }))),
  ];
  const links: CopyLink[] = [];
  for (const link of found) {
    if (SHARED_CLASSES.has(classOf.get(link.parent) ?? '')) continue;
    if (links.some((l) => l.table === link.table && l.parent === link.parent && same(l.columns, link.columns))) continue;
    links.push({ ...link, ...treatmentOf(cls, rules, link) });
  }
  return links;
}

/**
 * A column that holds ids of another table's rows without a foreign key, whole (a polymorphic
 * id: Prometric `tasks.related_entity_id`, IMSOP `analytics_events.entity_id`) or as an array
 * (Prometric `deal_activities.participants`): the profile declares them as personal data
 * (`holds: 'ids'`). A copy re-points the ids of its own rows and clears those of rows outside
 * it, as it does with foreign keys. Text that mentions ids among other words (ABParts
 * `details`, scrubbed) and JSON are not whole values: a copy keeps them as the backup has them.
 */
export interface IdColumn {
  table: string;
  column: string;
  /** The table whose ids the column holds, and its (single-column) key and that key's type name (`uuid`, `int8` …). */
  of: string;
  ofKey: string;
  keyType: string;
  array: boolean;
  /** Whether the column can be cleared: nullable, or the profile names the value that stands for "nobody" (a NOT NULL uuid). */
  clearable: boolean;
  /** The value a cleared whole-value column takes (`00000000-…` for a NOT NULL uuid); NULL when absent. */
  replaceWith?: string;
}

/** Every whole-value or array column the profile declares as holding ids of an organization's rows (see IdColumn). */
export function idColumns(cls: Classification, decl: PooledDeclarations): IdColumn[] {
  const found: IdColumn[] = [];
  for (const pd of decl.personalData ?? []) {
    if (pd.holds !== 'ids') continue;
    const of = pd.of ?? decl.registry.table;
    const column = cls.catalog.tables.find((t) => t.name === pd.table)?.columns.find((c) => c.name === pd.column);
    const parent = cls.catalog.tables.find((t) => t.name === of);
    if (!column || !parent || parent.primaryKey.length !== 1 || SHARED_CLASSES.has(cls.tables.find((t) => t.table === of)?.class ?? '')) continue;
    const keyType = parent.columns.find((c) => c.name === parent.primaryKey[0])!.type;
    // An array only of the key's own type: its elements are compared and replaced as keys.
    const array = column.category === 'A' && column.type === `_${keyType}`;
    const whole = !array && pd.action !== 'scrub' && (column.category === 'S' || column.category === 'N' || column.type === 'uuid');
    if (!array && !whole) continue;
    if (found.some((f) => f.table === pd.table && f.column === pd.column && f.of === of)) continue;
    found.push({ table: pd.table, column: pd.column, of, ofKey: parent.primaryKey[0]!, keyType, array, clearable: array || column.nullable || pd.replaceWith !== undefined, ...(pd.replaceWith !== undefined ? { replaceWith: pd.replaceWith } : {}) });
  }
  return found;
}

/**
 * `value` (any type) as a key of type `keyType`, or NULL when it cannot be one (a varchar
 * column holding something else): compared with the key itself, so the key's index serves
 * the lookup in the live table.
 */
export function asKey(sql: Sql, keyType: string, value: Fragment): Fragment {
  if (keyType === 'uuid') return sql`(case when ${value}::text ~* ${`^${UUID_TOKEN}$`} then ${value}::text::uuid end)`;
  if (keyType === 'int2' || keyType === 'int4' || keyType === 'int8') return sql`(case when ${value}::text ~ '^-?[0-9]{1,18}$' then ${value}::text::int8 end)`;
  return sql`${value}::text`;
}
