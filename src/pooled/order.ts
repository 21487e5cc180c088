import type { Classification } from './classify.js';
import type { PooledDeclarations } from './declarations.js';
import { linkChain } from './owners.js';

/** A nullable foreign key set to NULL on the tenant's own rows before the deletes, to break a cycle. */
export interface CycleBreaker {
  table: string;
  columns: string[];
  parent: string;
  via: string;
}

/** The order in which the tenant's rows are deleted, children first. */
export interface DeleteOrder {
  tables: string[];
  breakers: CycleBreaker[];
  /** Cycles no nullable column can break (the plan refuses them). */
  unbreakable: string[][];
}

const OWNING = new Set(['registry', 'direct', 'indirect', 'shared-identity']);

interface Edge { child: string; parent: string; columns: string[]; nullable: boolean; ownerLink: boolean; via: string }

/** Child → parent edges between tables holding tenant rows: foreign keys and declared trigger-enforced references. */
function edges(cls: Classification, decl: PooledDeclarations): Edge[] {
  const tables = new Map(cls.tables.map((t) => [t.table, t]));
  const inScope = (t: string) => OWNING.has(tables.get(t)?.class ?? '');
  const ownerLink = (table: string, columns: string[]) => {
    const link = tables.get(table)?.owner;
    return link !== undefined && link !== null && linkChain(link).some((l) => l.columns.join() === columns.join());
  };
  const all: Edge[] = cls.catalog.foreignKeys.map((f) => ({ child: f.table, parent: f.parent, columns: f.columns, nullable: f.nullable, ownerLink: ownerLink(f.table, f.columns), via: `foreign key ${f.name}` }));
  for (const v of decl.virtualReferences ?? []) {
    all.push({ child: v.table, parent: v.references.table, columns: v.columns, nullable: false, ownerLink: false, via: v.enforcedBy });
  }
  // A self-reference is deleted in one statement (constraints are checked at its end).
  return all.filter((e) => e.child !== e.parent && inScope(e.child) && inScope(e.parent));
}

/** Whether `to` is reachable from `from` along child → parent edges. */
function reaches(list: Edge[], from: string, to: string): boolean {
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length) {
    const at = queue.shift()!;
    if (at === to) return true;
    for (const e of list) if (e.child === at && !seen.has(e.parent)) { seen.add(e.parent); queue.push(e.parent); }
  }
  return false;
}

/**
 * Kahn's algorithm over the tables holding tenant rows: a table is deleted once every table
 * referencing it is done. When only cycles remain, one nullable foreign key that is not an
 * owner link is cleared first (a cycle breaker) and the walk goes on. Ties break by name, so
 * the order is stable. Set-based: one DELETE per table, whatever the row count.
 */
export function deleteOrder(cls: Classification, decl: PooledDeclarations): DeleteOrder {
  let remaining = edges(cls, decl);
  const pending = new Set(cls.tables.filter((t) => OWNING.has(t.class)).map((t) => t.table));
  const tables: string[] = [];
  const breakers: CycleBreaker[] = [];
  const unbreakable: string[][] = [];
  while (pending.size) {
    const free = [...pending].filter((t) => !remaining.some((e) => e.parent === t && pending.has(e.child))).sort();
    if (free.length) {
      for (const t of free) { tables.push(t); pending.delete(t); }
      continue;
    }
    const live = remaining.filter((e) => pending.has(e.child) && pending.has(e.parent));
    const inCycle = live.filter((e) => reaches(live, e.parent, e.child));
    const breaker = inCycle.filter((e) => e.nullable && !e.ownerLink).sort((a, b) => `${a.child}.${a.columns}`.localeCompare(`${b.child}.${b.columns}`))[0];
    if (breaker) {
      breakers.push({ table: breaker.child, columns: breaker.columns, parent: breaker.parent, via: breaker.via });
      remaining = remaining.filter((e) => e !== breaker);
      continue;
    }
    // No nullable edge: report the tables on the cycle and take them in name order (the plan refuses).
    const stuck = [...new Set(inCycle.flatMap((e) => [e.child, e.parent]))].sort();
    unbreakable.push(stuck);
    for (const t of stuck) { tables.push(t); pending.delete(t); }
  }
  return { tables, breakers, unbreakable };
}
