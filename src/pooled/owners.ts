import type { Catalog, ForeignKey } from './catalog.js';

/** The link from a row to the parent row that owns it: a foreign key, followed toward the registry. */
export interface OwnerLink {
  columns: string[];
  parent: string;
  parentColumns: string[];
  foreignKey: string;
  /** The link that owns the row when `columns` are NULL (declared `orElse`; it may have its own). */
  orElse?: OwnerLink;
}

/** A link and its fallbacks, in the order they are tried. */
export function linkChain(link: OwnerLink): OwnerLink[] {
  const chain: OwnerLink[] = [];
  for (let l: OwnerLink | undefined = link; l; l = l.orElse) chain.push(l);
  return chain;
}

/** The owner decided for a table reached only through foreign keys. */
export interface OwnerChoice {
  owner: OwnerLink | null;
  candidates: OwnerLink[];
  reason: string;
  declared: boolean;
}

const OWNING = new Set(['registry', 'direct', 'shared-identity', 'indirect']);

const linkOf = (fk: ForeignKey): OwnerLink => ({ columns: fk.columns, parent: fk.parent, parentColumns: fk.parentColumns, foreignKey: fk.name });

/** Tables that reach an owning table through any chain of foreign keys (the fixpoint). */
function reachable(catalog: Catalog, owning: Set<string>, excluded: Set<string>): Set<string> {
  const reached = new Set(owning);
  for (let grew = true; grew;) {
    grew = false;
    for (const fk of catalog.foreignKeys) {
      if (!reached.has(fk.table) && !excluded.has(fk.table) && fk.table !== fk.parent && reached.has(fk.parent)) {
        reached.add(fk.table);
        grew = true;
      }
    }
  }
  return reached;
}

/**
 * Choose the owner link of every table that holds tenant rows only through foreign keys.
 * Candidates are the NOT NULL foreign keys to tables that hold tenant rows (a nullable key is
 * an optional actor or location, not ownership); only when there is none, the nullable ones.
 * One candidate is the owner; several need a declared owner path (else: ambiguous, reported).
 * Owners are assigned outward from the direct tables, so every path ends at the registry.
 */
export function chooseOwners(
  catalog: Catalog,
  fixed: Map<string, { class: string }>,
  declaredPaths: { table: string; columns: string[]; orElse?: string[][] }[],
): Map<string, OwnerChoice> {
  const owning = new Set([...fixed].filter(([, t]) => OWNING.has(t.class)).map(([name]) => name));
  const excluded = new Set(fixed.keys());
  const candidatesOf = new Map<string, ForeignKey[]>();
  const reached = reachable(catalog, owning, excluded);
  for (const table of reached) {
    if (excluded.has(table)) continue;
    const fks = catalog.foreignKeys.filter((f) => f.table === table && f.parent !== table && reached.has(f.parent));
    const required = fks.filter((f) => !f.nullable);
    candidatesOf.set(table, required.length ? required : fks);
  }
  const declared = new Map(declaredPaths.map((p) => [p.table, p.columns.join()]));
  /** The declared fallbacks' foreign keys, in order (undefined for one that is not a foreign key). */
  const fallbacksOf = (table: string): (ForeignKey | undefined)[] =>
    (declaredPaths.find((p) => p.table === table)?.orElse ?? []).map((want) => catalog.foreignKeys.find((f) => f.table === table && f.columns.join() === want.join()));
  const chained = (pick: ForeignKey, fallbacks: ForeignKey[]): OwnerLink => {
    const links = [pick, ...fallbacks].map(linkOf);
    for (let i = links.length - 2; i >= 0; i--) links[i] = { ...links[i]!, orElse: links[i + 1]! };
    return links[0]!;
  };
  const chosen = new Map<string, OwnerChoice>();
  const assigned = new Set(owning);
  for (let progress = true; progress;) {
    progress = false;
    for (const [table, fks] of candidatesOf) {
      if (assigned.has(table)) continue;
      const want = declared.get(table);
      const pick = want !== undefined ? catalog.foreignKeys.find((f) => f.table === table && f.columns.join() === want) : fks.length === 1 ? fks[0] : undefined;
      const fallbacks = fallbacksOf(table);
      if (!pick || !assigned.has(pick.parent) || fallbacks.some((f) => !f || !assigned.has(f.parent))) continue;
      chosen.set(table, {
        owner: chained(pick, fallbacks as ForeignKey[]),
        candidates: fks.filter((f) => f !== pick && !fallbacks.includes(f)).map(linkOf),
        reason: want !== undefined ? `declared owner path ${table}.${want} → ${pick.parent}` : `foreign key ${pick.name} to ${pick.parent}`,
        declared: want !== undefined,
      });
      assigned.add(table);
      progress = true;
    }
  }
  for (const [table, fks] of candidatesOf) {
    if (assigned.has(table)) continue;
    const want = declared.get(table);
    const fallbacks = fallbacksOf(table);
    const badFallback = (declaredPaths.find((p) => p.table === table)?.orElse ?? []).find((_, i) => !fallbacks[i]);
    chosen.set(table, {
      owner: null,
      candidates: fks.map(linkOf),
      reason: badFallback
        ? `declared fallback owner path ${table}.${badFallback.join('+')} is not a foreign key`
        : want !== undefined
          ? `declared owner path ${table}.${want} is not a foreign key to a table holding tenant rows`
          : fks.length === 1
            ? `its only owner path leads to ${fks[0]!.parent}, which has no owner path itself`
            : `several owner paths (${fks.map((f) => `${f.columns.join('+')} → ${f.parent}`).join('; ')}) and none declared`,
      declared: false,
    });
  }
  return chosen;
}
