import { destroyTargets, fullCopy, tableCreated, tableHooked, tableLike, tableRenamed, type FullCopy, type TableName } from './down-targets.js';

/** A full copy whose rows last, and where it runs among the down statements. */
export interface KeptCopy {
  at: number;
  copy: FullCopy;
}

const sameName = (a: TableName, b: TableName): boolean => a.name === b.name && a.schema === b.schema;

/**
 * Every value lands in a column of its own name and type: `SELECT *` only into a table made
 * `(LIKE the source)` (the same columns, types and order), else the INSERT names the same
 * columns, in the same order, as the SELECT. `SELECT *` into a table of its own declaration
 * puts values by position: a narrower type casts them (a time of day lost to `date`, digits to
 * `int`), and another column order swaps them. The types of a named-column copy are not
 * compared with the source's (docs: README, migrate down).
 */
function valuesKept(copy: FullCopy, createdBy: string): boolean {
  const like = tableLike(createdBy);
  if (copy.columns === '*') return !copy.intoColumns && like !== undefined && sameName(like, copy.source);
  return copy.intoColumns !== undefined && copy.intoColumns.length === copy.columns.length && copy.intoColumns.every((c, i) => c === copy.columns[i]);
}

/**
 * The copies among down statements (in the order they run) that keep every row they copy, so
 * the table they copy from may then be dropped or emptied without loss: an INSERT … SELECT of
 * every row (fullCopy) into another table the statements created before it as a plain table,
 * on which no trigger or rule was created (either could drop a row on the way in), and which no
 * later statement drops, empties, deletes from or drops a column of, under its name or one it
 * is renamed to; nor may any DROP SCHEMA follow. Names are compared without their schema, and
 * in doubt a copy is not kept: the table it copies from is counted as lost. Pure.
 */
export function keptCopies(statements: string[]): KeptCopy[] {
  const kept: KeptCopy[] = [];
  statements.forEach((text, at) => {
    const copy = fullCopy(text);
    if (!copy || copy.into.name === copy.source.name) return;
    const before = statements.slice(0, at);
    const created = before.map(tableCreated).reduce((last, t, i) => (t && sameName(t, copy.into) ? i : last), -1);
    if (created === -1 || before.slice(created).some((s) => tableHooked(s)?.name === copy.into.name)) return;
    if (!valuesKept(copy, before[created]!)) return;
    const names = new Set([copy.into.name]);
    for (const later of statements.slice(at + 1)) {
      if (destroyTargets(later).some((t) => t.action === 'drop schema' || names.has(t.name))) return;
      const renamed = tableRenamed(later);
      if (renamed && names.has(renamed.from.name)) names.add(renamed.to);
    }
    kept.push({ at, copy });
  });
  return kept;
}
