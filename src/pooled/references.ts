import type { Catalog, ForeignKey } from './catalog.js';
import { tableOf } from './catalog.js';
import type { Classification, ClassifiedTable } from './classify.js';
import type { PooledDeclarations, ReferenceAction, ReferenceOverride } from './declarations.js';

/** How to treat rows of other tenants (and platform rows) that the erasure would break. */
export interface EraseOptions {
  /** `refuse` (default) keeps the erasure from running; `tombstone` re-points them at the declared placeholder rows. */
  sharedRows?: 'refuse' | 'tombstone';
}

/**
 * One way another tenant's row (or a platform row) can point at a row being erased, and
 * what the erasure does about it. `reference`: the row's `columns` point at an erased row of
 * `parent`. `co-owned`: an erased row also belongs to another tenant through `columns`.
 */
export interface ReferenceRule {
  kind: 'reference' | 'co-owned';
  table: string;
  columns: string[];
  parent: string;
  parentColumns: string[];
  /** What links them: `foreign key x (on delete cascade)`, `trigger …`, `registry column`. */
  via: string;
  action: ReferenceAction;
  /** Why this action, for people. */
  why: string;
  /** Other columns to overwrite with the action (anonymize, tombstone). */
  set: Record<string, string | number | boolean | null>;
  /** With tombstone: the placeholder key the columns are re-pointed at. */
  placeholder: string | null;
}

const OWNING = new Set(['registry', 'direct', 'indirect', 'shared-identity']);
const LINK_EXTRA_TYPES = new Set(['timestamp', 'timestamptz', 'date', 'bool']);

/** A pure link row: two or more foreign keys, and besides them only its key and timestamps/flags. */
export function isLinkTable(catalog: Catalog, table: string): boolean {
  const t = tableOf(catalog, table);
  const fks = catalog.foreignKeys.filter((f) => f.table === table);
  if (!t || fks.length < 2) return false;
  const fkColumns = new Set(fks.flatMap((f) => f.columns));
  return t.columns.every((c) => fkColumns.has(c.name) || t.primaryKey.includes(c.name) || LINK_EXTRA_TYPES.has(c.type));
}

const onDeleteText = (fk: ForeignKey): string => `foreign key ${fk.name}${fk.onDelete === 'no action' ? '' : ` (on delete ${fk.onDelete})`}`;

function overrideFor(decl: PooledDeclarations, kind: ReferenceRule['kind'], table: string, columns: string[]): ReferenceOverride | undefined {
  return (decl.references ?? []).find((r) => r.table === table && r.columns.join() === columns.join() && (r.kind ?? kind) === kind);
}

/** Tombstone only when asked to and a placeholder exists for the parent; refuse otherwise, saying why. */
function tombstoneOr(decl: PooledDeclarations, parent: string, options: EraseOptions, why: string): Pick<ReferenceRule, 'action' | 'why' | 'placeholder'> {
  const placeholder = decl.tombstone?.rows.find((r) => r.table === parent)?.key ?? null;
  if (options.sharedRows === 'tombstone' && placeholder) return { action: 'tombstone', why: `${why}; re-pointed at the placeholder ${parent} row`, placeholder };
  const alternative = placeholder ? ' (or run with --shared-rows tombstone)' : '';
  return { action: 'refuse', why: `${why}${alternative}`, placeholder: null };
}

/** The default action for a foreign key into a row being erased, from what the catalog says about it. */
function defaultAction(catalog: Catalog, decl: PooledDeclarations, fk: { table: string; parent: string; onDelete: ForeignKey['onDelete']; nullable: boolean }, options: EraseOptions): Pick<ReferenceRule, 'action' | 'why' | 'placeholder'> {
  const link = isLinkTable(catalog, fk.table);
  if (fk.onDelete === 'cascade') {
    return link
      ? { action: 'unlink', why: 'a pure link row (its cascade would remove it anyway)', placeholder: null }
      : { action: 'refuse', why: 'ON DELETE CASCADE would silently delete another tenant\'s row', placeholder: null };
  }
  if (link) return { action: 'unlink', why: 'a pure link row: removed', placeholder: null };
  if (fk.nullable || fk.onDelete === 'set null') return { action: 'nullify', why: 'an optional reference: set to NULL', placeholder: null };
  return tombstoneOr(decl, fk.parent, options, 'a required (NOT NULL) reference: erasing would break the other tenant\'s row');
}

/**
 * A declared override wins over the default. `tombstoneParent`: the table whose placeholder
 * a tombstone points at (the parent for a reference; the owner link's parent for a co-owned row).
 */
function resolve(decl: PooledDeclarations, base: Omit<ReferenceRule, 'action' | 'why' | 'placeholder' | 'set'>, fallback: Pick<ReferenceRule, 'action' | 'why' | 'placeholder'>, options: EraseOptions, tombstoneParent: string): ReferenceRule {
  const o = overrideFor(decl, base.kind, base.table, base.columns);
  if (!o) return { ...base, ...fallback, set: {} };
  const why = o.note ?? `declared: ${o.action}`;
  const decided = o.action === 'tombstone' ? tombstoneOr(decl, tombstoneParent, options, why) : { action: o.action, why, placeholder: null };
  return { ...base, ...decided, set: o.set ?? {} };
}

/** The table a co-owned row's owner link points at (the registry for a direct table). */
const ownerParent = (decl: PooledDeclarations, table: string, tables: Map<string, ClassifiedTable>): string =>
  tables.get(table)?.owner?.parent ?? decl.registry.table;

/**
 * Every way a row outside the erasure can point at a row inside it, with its action: each
 * foreign key (and declared trigger-enforced reference) into a table holding tenant rows,
 * except owner links (a row pointing along its owner path is the tenant's own), plus the
 * co-owned rows: direct rows with a second registry column, and declared ones.
 */
export function referenceRules(cls: Classification, decl: PooledDeclarations, options: EraseOptions = {}): ReferenceRule[] {
  const tables = new Map(cls.tables.map((t) => [t.table, t]));
  const catalog = cls.catalog;
  const rules: ReferenceRule[] = [];
  const isOwnerLink = (table: string, columns: string[]) => {
    const t = tables.get(table);
    return (t?.owner?.columns.join() === columns.join()) || (t?.class === 'direct' && t.tenantColumn === columns[0] && columns.length === 1);
  };
  for (const fk of catalog.foreignKeys) {
    if (!OWNING.has(tables.get(fk.parent)?.class ?? '') || isOwnerLink(fk.table, fk.columns)) continue;
    const base = { kind: 'reference' as const, table: fk.table, columns: fk.columns, parent: fk.parent, parentColumns: fk.parentColumns, via: onDeleteText(fk) };
    rules.push(resolve(decl, base, defaultAction(catalog, decl, fk, options), options, fk.parent));
  }
  for (const v of decl.virtualReferences ?? []) {
    const nullable = v.columns.every((c) => tableOf(catalog, v.table)?.columns.find((x) => x.name === c)?.nullable);
    const base = { kind: 'reference' as const, table: v.table, columns: v.columns, parent: v.references.table, parentColumns: v.references.columns, via: v.enforcedBy };
    rules.push(resolve(decl, base, defaultAction(catalog, decl, { table: v.table, parent: v.references.table, onDelete: 'no action', nullable }, options), options, v.references.table));
  }
  for (const t of cls.tables) {
    for (const c of t.class === 'direct' ? t.otherTenantColumns : []) {
      const base = { kind: 'co-owned' as const, table: t.table, columns: [c], parent: cls.registry.table, parentColumns: [cls.registry.key], via: `registry column ${c} beside the owner column ${t.tenantColumn}` };
      rules.push(resolve(decl, base, tombstoneOr(decl, cls.registry.table, options, `the row also belongs to the tenant in ${c}`), options, cls.registry.table));
    }
  }
  for (const c of decl.coOwned ?? []) {
    const fk = catalog.foreignKeys.find((f) => f.table === c.table && f.columns.join() === c.columns.join());
    if (!fk) continue;
    const base = { kind: 'co-owned' as const, table: c.table, columns: c.columns, parent: fk.parent, parentColumns: fk.parentColumns, via: `declared co-owned through ${onDeleteText(fk)}` };
    const parent = ownerParent(decl, c.table, tables);
    rules.push(resolve(decl, base, tombstoneOr(decl, parent, options, `another tenant's ${fk.parent} row depends on this row`), options, parent));
  }
  return rules;
}
