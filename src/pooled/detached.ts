import type { Catalog, CatalogTable } from './catalog.js';
import type { PooledDeclarations } from './declarations.js';

/** An ordinary table that was (by every sign the catalog keeps) a partition of `parent`. */
export interface DetachedPartition {
  table: string;
  parent: string;
}

const sameColumns = (a: CatalogTable, b: CatalogTable): boolean =>
  a.columns.length === b.columns.length && a.columns.every((c, i) => c.name === b.columns[i]!.name && c.type === b.columns[i]!.type);

/**
 * Detached partitions: `ALTER TABLE audit_logs DETACH PARTITION audit_logs_p2025_01` leaves
 * an ordinary table that a delete through the parent never reaches (POOLED.md §3), and the
 * catalog keeps no link to the parent. A table is taken for one when its name starts with a
 * partitioned table's name and `_` (how tenantctl and the seeds name partitions) and it has
 * exactly the parent's columns, names and types, in order.
 */
export function detachedPartitions(catalog: Catalog): DetachedPartition[] {
  const parents = catalog.tables.filter((t) => t.partitioned);
  return catalog.tables.flatMap((t) => {
    if (t.partitioned) return [];
    const parent = parents.find((p) => t.name.startsWith(`${p.name}_`) && sameColumns(t, p));
    return parent ? [{ table: t.name, parent: parent.name }] : [];
  });
}

/** Every declaration entry naming `parent`, again for `table`. */
function copied<T extends { table: string }>(entries: T[] | undefined, parent: string, table: string): T[] {
  return (entries ?? []).filter((e) => e.table === parent).map((e) => ({ ...e, table }));
}

/**
 * The declarations with each detached partition declared as its parent is: the same tenant
 * column, owner path, reference actions (audit rows anonymized, not deleted), personal data
 * and scan exclusions. The erasure then covers their rows exactly as it covers the parent's,
 * and the post-scan searches them too. Idempotent: entries already there are not repeated.
 */
export function withDetachedPartitions(decl: PooledDeclarations, catalog: Catalog): PooledDeclarations {
  const detached = detachedPartitions(catalog).filter((d) => !(decl.detachedPartitions ?? []).some((x) => x.table === d.table));
  if (!detached.length) return decl;
  const more = <T extends { table: string }>(entries: T[] | undefined): T[] | undefined =>
    entries && [...entries, ...detached.flatMap((d) => copied(entries, d.parent, d.table))];
  // A partition detached before PostgreSQL kept foreign keys on detach (or one whose keys were
  // dropped) has no key to the registry: its tenant column is the parent's.
  const registryColumns = (table: string) => catalog.foreignKeys.filter((f) => f.table === table && f.parent === decl.registry.table && f.columns.length === 1).map((f) => f.columns[0]!);
  const keyless = detached.flatMap((d) => {
    const parentColumns = registryColumns(d.parent);
    const declared = (decl.tenantColumns ?? []).some((t) => t.table === d.parent);
    return !declared && parentColumns.length === 1 && !registryColumns(d.table).length ? [{ table: d.table, column: parentColumns[0]! }] : [];
  });
  return {
    ...decl,
    tenantColumns: [...(more(decl.tenantColumns) ?? []), ...keyless],
    ownerPaths: more(decl.ownerPaths),
    references: more(decl.references),
    virtualReferences: more(decl.virtualReferences),
    coOwned: more(decl.coOwned),
    personalData: more(decl.personalData),
    scanExclude: more(decl.scanExclude),
    detachedPartitions: [...(decl.detachedPartitions ?? []), ...detached],
  };
}
