import type { ColumnSpec, EntitySpec } from './spec.js';
import { anyOf, seq, commaList, stagingRef, typedValue, type Fragment, type Tx } from './sql-parts.js';
import { firstLines, STAGING, type Staged } from './staging.js';
import { hasChild } from './validate.js';

/** What an import did to the tenant's rows (parents: products, or orders). */
export interface ApplyCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Child rows written (order lines), when the entity has them. */
  childRows?: number;
}

/** How an import treats rows whose natural key already exists. */
export type ImportMode = 'upsert' | 'insert' | 'replace';

const PARENT_TEMP = 'csv_parents';
const CHANGED_TEMP = 'csv_changed';

function lookupAlias(index: number): string {
  return `k${index}`;
}

/** Create the lookup rows the file names but the tenant lacks (e.g. sales channels). */
async function createLookups(tx: Tx, entity: EntitySpec, staged: Staged, schema: string): Promise<number> {
  let created = 0;
  for (const lookup of entity.lookups ?? []) {
    if (!lookup.create) continue;
    const [match] = lookup.columns as [ColumnSpec];
    const cols = lookup.columns.filter((c) => staged.present.has(c.csv));
    const constants = Object.entries(lookup.create.constants);
    const constantValues = constants.map(([, v]) => (typeof v === 'object' && v !== null ? tx`${JSON.stringify(v)}::jsonb` : tx`${String(v)}`));
    const rows = await tx`
      insert into ${tx(schema)}.${tx(lookup.table)} (${tx([...cols.map((c) => c.column), ...constants.map(([k]) => k)])})
      select distinct on (${stagingRef(tx, match)}) ${commaList(tx, [...cols.map((c) => typedValue(tx, c, stagingRef(tx, c))), ...constantValues])}
      from ${tx(STAGING)} s
      -- An anti-join, not NOT EXISTS: Citus plans a join of the (local) staging table with a
      -- distributed tenant table, but refuses a correlated subquery between them.
      left join ${tx(schema)}.${tx(lookup.table)} x on x.${tx(match.column)} = ${stagingRef(tx, match)}
      where ${stagingRef(tx, match)} is not null and x.${tx(match.column)} is null
      order by ${stagingRef(tx, match)}, s._row`;
    created += rows.count;
  }
  return created;
}

interface ParentShape {
  /** Table columns written, in order. */
  columns: string[];
  /** Their values from `s` (staging, one row per parent) and the lookup joins. */
  values: Fragment[];
  from: Fragment;
}

function parentShape(tx: Tx, entity: EntitySpec, staged: Staged, schema: string): ParentShape {
  const own = entity.columns.filter((c) => staged.present.has(c.csv));
  const lookups = entity.lookups ?? [];
  const keys = entity.naturalKey.map((k) => tx`${tx(k)}`);
  // One source row per parent: the first line of each order.
  const rows = entity.child ? tx`${firstLines(tx, entity.naturalKey)} s` : tx`${tx(STAGING)} s`;
  const joins = lookups.map((l, i) => tx`join ${tx(schema)}.${tx(l.table)} ${tx(lookupAlias(i))} on ${tx(lookupAlias(i))}.${tx(l.columns[0]!.column)} = ${stagingRef(tx, l.columns[0]!)}`);
  return {
    columns: [...lookups.map((l) => l.target), ...own.map((c) => c.column)],
    values: [...lookups.map((_l, i) => tx`${tx(lookupAlias(i))}.id`), ...own.map((c) => typedValue(tx, c, stagingRef(tx, c)))],
    from: tx`${rows} ${seq(tx, joins)}`,
  };
}

/** Insert or update the parent rows; only rows whose values differ are updated. */
async function writeParents(tx: Tx, entity: EntitySpec, shape: ParentShape, schema: string, mode: ImportMode): Promise<{ inserted: number; updated: number }> {
  const target = tx`${tx(schema)}.${tx(entity.table)}`;
  let conflict = tx``;
  let plain = mode === 'insert';
  if (mode !== 'insert') {
    const changing = shape.columns.filter((c) => !entity.conflictColumns.includes(c));
    const sets = changing.map((c) => tx`${tx(c)} = excluded.${tx(c)}`);
    if (entity.updatedAt) {
      // now() as a constant of this transaction: Citus refuses non-immutable functions in
      // DO UPDATE SET on a distributed table; the text keeps it exactly equal to now().
      const [{ now }] = (await tx`select now()::text as now`) as unknown as [{ now: string }];
      sets.push(tx`${tx(entity.updatedAt)} = ${now}::timestamptz`);
    }
    if (entity.softDelete) sets.push(tx`${tx(entity.softDelete)} = null`);
    const differs = [tx`(${commaList(tx, changing.map((c) => tx`t.${tx(c)}`))}) is distinct from (${commaList(tx, changing.map((c) => tx`excluded.${tx(c)}`))})`];
    if (entity.softDelete) differs.push(tx`t.${tx(entity.softDelete)} is not null`);
    conflict = changing.length
      ? tx`on conflict (${tx(entity.conflictColumns as string[])}) do update set ${commaList(tx, sets)} where ${anyOf(tx, differs)}`
      : tx`on conflict (${tx(entity.conflictColumns as string[])}) do nothing`;
  }
  if (mode !== 'insert') {
    // Into an empty table an upsert is a plain insert (a key twice in the file still
    // fails, as a unique violation), without the cost of speculative insertion.
    const [{ empty }] = (await tx`select not exists (select 1 from ${target}) as empty`) as unknown as [{ empty: boolean }];
    plain = empty;
  }
  if (plain) {
    const written = await tx`insert into ${target} (${tx(shape.columns)}) select ${commaList(tx, shape.values)} from ${shape.from}`;
    return { inserted: written.count, updated: 0 };
  }
  const [row] = await tx<{ inserted: number; updated: number }[]>`
    with written as (
      insert into ${target} as t (${tx(shape.columns)})
      select ${commaList(tx, shape.values)} from ${shape.from}
      ${conflict}
      returning (xmax = 0) as inserted
    )
    select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated from written`;
  return row ?? { inserted: 0, updated: 0 };
}

/**
 * The parent table `t` matched to staging rows `s` by natural key: lookup tables joined
 * by name (as joins, not per-row subqueries, so the planner can hash them).
 */
function keyJoin(tx: Tx, entity: EntitySpec, schema: string, t: string): { joins: Fragment; on: Fragment } {
  const lookups = new Map((entity.lookups ?? []).map((l, i) => [l.columns[0]!.csv, { l, alias: `m${i}` }]));
  const joins: Fragment[] = [];
  const conds = entity.naturalKey.map((csv) => {
    const found = lookups.get(csv);
    if (found) {
      joins.push(tx`join ${tx(schema)}.${tx(found.l.table)} ${tx(found.alias)} on ${tx(found.alias)}.${tx(found.l.columns[0]!.column)} = s.${tx(csv)}`);
      return tx`${tx(t)}.${tx(found.l.target)} = ${tx(found.alias)}.id`;
    }
    return tx`${tx(t)}.${tx(entity.columns.find((c) => c.csv === csv)!.column)} = s.${tx(csv)}`;
  });
  return { joins: seq(tx, joins), on: tx`${conds.map((c, i) => (i ? tx` and ${c}` : c))}` };
}

/** Replace mode: delete the tenant's rows whose key is not in the file. */
async function deleteMissing(tx: Tx, entity: EntitySpec, schema: string): Promise<number> {
  // NOT IN an uncorrelated join, not NOT EXISTS: Citus refuses a correlated subquery between
  // the (local) staging table and a distributed tenant table, but plans this one first.
  const key = keyJoin(tx, entity, schema, 'k');
  const rows = await tx`
    delete from ${tx(schema)}.${tx(entity.table)} t
    where t.id not in (select k.id from ${tx(STAGING)} s ${key.joins} join ${tx(schema)}.${tx(entity.table)} k on ${key.on})`;
  return rows.count;
}

/**
 * Child rows (order lines) are replaced per parent, and only when the file's lines differ
 * from the stored ones (compared as typed values, in a stable order). Returns how many
 * existing parents changed through their lines only, and the lines written.
 */
async function writeChildren(tx: Tx, entity: EntitySpec, staged: Staged, schema: string, allNew: boolean): Promise<{ touched: number; lines: number }> {
  const child = entity.child!;
  const cols = child.columns.filter((c) => staged.present.has(c.csv));
  const links = (child.links ?? []).filter((l) => staged.present.has(l.csv));
  const parent = tx`${tx(schema)}.${tx(entity.table)}`;
  const table = tx`${tx(schema)}.${tx(child.table)}`;
  const line = hasChild(tx, entity, staged)!;
  const keys = entity.naturalKey.map((k) => tx`${tx(k)}`);
  // Links as left joins, not correlated subqueries: Citus refuses a correlated subquery
  // between the (local) staging table and a distributed tenant table, but plans the join.
  const linkJoins = seq(tx, links.map((l, i) => tx`left join ${tx(schema)}.${tx(l.table)} ${tx(`l${i}`)} on ${tx(`l${i}`)}.${tx(l.matchColumn)} = s.${tx(l.csv)}`));
  const fileValues = [...cols.map((c) => typedValue(tx, c, stagingRef(tx, c))), ...links.map((_l, i) => tx`${tx(`l${i}`)}.id`)];
  const storedValues = [...cols.map((c) => tx`i.${tx(c.column)}`), ...links.map((l) => tx`i.${tx(l.target)}`)];
  const columns = [...cols.map((c) => c.column), ...links.map((l) => l.target)];
  await tx`drop table if exists pg_temp.${tx(PARENT_TEMP)}`;
  const key = keyJoin(tx, entity, schema, 't');
  await tx`
    create temp table ${tx(PARENT_TEMP)} on commit drop as
    select t.id, ${commaList(tx, keys.map((k) => tx`s.${k}`))}
    from (select distinct ${commaList(tx, keys.map((k) => tx`s.${k}`))} from ${tx(STAGING)} s) s
    ${key.joins} join ${parent} t on ${key.on}`;
  let changedOnly = tx``;
  // Every parent inserted just now has no lines to compare with or replace.
  if (!allNew) {
    // Parents whose lines differ from the file's, kept in SQL (memory stays flat).
    await tx`drop table if exists pg_temp.${tx(CHANGED_TEMP)}`;
    const changed = await tx`
    create temp table ${tx(CHANGED_TEMP)} on commit drop as
    select p.id from ${tx(PARENT_TEMP)} p
    left join (select ${commaList(tx, keys.map((k) => tx`s.${k}`))}, string_agg(row(${commaList(tx, fileValues)})::text, E'\\n' order by row(${commaList(tx, fileValues)})::text) as sig
               from ${tx(STAGING)} s ${linkJoins} where ${line} group by ${commaList(tx, keys.map((k) => tx`s.${k}`))}) f using (${commaList(tx, keys)})
    left join (select i.${tx(child.parentKey)} as id, string_agg(row(${commaList(tx, storedValues)})::text, E'\\n' order by row(${commaList(tx, storedValues)})::text) as sig
               from ${table} i where i.${tx(child.parentKey)} in (select id from ${tx(PARENT_TEMP)}) group by 1) e on e.id = p.id
    where f.sig is distinct from e.sig`;
    if (changed.count === 0) return { touched: 0, lines: 0 };
    await tx`delete from ${table} where ${tx(child.parentKey)} in (select id from ${tx(CHANGED_TEMP)})`;
    changedOnly = tx`p.id in (select id from ${tx(CHANGED_TEMP)}) and`;
  }
  const written = await tx`
    insert into ${table} (${tx([child.parentKey, ...columns])})
    select p.id, ${commaList(tx, fileValues)}
    from ${tx(STAGING)} s join ${tx(PARENT_TEMP)} p using (${commaList(tx, keys)}) ${linkJoins}
    where ${changedOnly} ${line}
    order by s._row`;
  // A parent whose lines changed has changed; rows written by this statement already have now().
  const touched = !allNew && entity.updatedAt ? await tx`update ${parent} set ${tx(entity.updatedAt)} = now() where id in (select id from ${tx(CHANGED_TEMP)}) and ${tx(entity.updatedAt)} <> now()` : { count: 0 };
  return { touched: touched.count, lines: written.count };
}

/** Write the validated staging rows into the tenant's tables, per the mode. */
export async function applyStaged(tx: Tx, entity: EntitySpec, staged: Staged, schema: string, mode: ImportMode): Promise<ApplyCounts> {
  await createLookups(tx, entity, staged, schema);
  const shape = parentShape(tx, entity, staged, schema);
  const { inserted, updated } = await writeParents(tx, entity, shape, schema, mode);
  const keys = entity.naturalKey.map((k) => tx`${tx(k)}`);
  // Without lines every staged row is one parent (duplicates would have failed above).
  const counted = entity.child ? tx`(select distinct ${commaList(tx, keys)} from ${tx(STAGING)}) k` : tx`${tx(STAGING)}`;
  const [{ parents }] = (await tx`select count(*)::int as parents from ${counted}`) as unknown as [{ parents: number }];
  let touched = 0;
  let childRows: number | undefined;
  if (entity.child) {
    const children = await writeChildren(tx, entity, staged, schema, inserted === parents);
    touched = children.touched;
    childRows = children.lines;
  }
  const deleted = mode === 'replace' ? await deleteMissing(tx, entity, schema) : 0;
  const changed = updated + touched;
  return { inserted, updated: changed, unchanged: Math.max(0, parents - inserted - changed), deleted, ...(childRows === undefined ? {} : { childRows }) };
}
