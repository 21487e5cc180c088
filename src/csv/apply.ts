import { TenantctlError } from '../errors.js';
import { keyJoin, lookupRows, ownLookupRows, ownRows, tenantIdRef, writtenTenantColumn, type Scope } from './scope.js';
import { assertKeysMatchOnce, writeMatchedParents } from './matched-key.js';
import { matchedByKey, writable, type ColumnSpec, type EntitySpec } from './spec.js';
import { anyOf, seq, commaList, stagingRef, typedValue, type Fragment } from './sql-parts.js';
import { firstLines, STAGING, type Staged } from './staging.js';
import { query } from '../db/queries.js';
import type { Tx } from '../db/connect.js';
import { hasChild, presentLookups } from './validate.js';

/** What an import did to the tenant's rows (parents: products, or orders). */
export interface ApplyCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /**
   * Replace: rows missing from the file that were retired instead of deleted (the entity's
   * retire rule: IMSOP products archived, Prometric rows soft-deleted), kept for what refers to them.
   */
  retired: number;
  /** Child rows written (order lines), when the entity has them. */
  childRows?: number;
  /**
   * Replace with rejected rows: the rows missing from the file were NOT removed. A rejected
   * row is still in the file (its stored row must stay), and which keys the rejected rows
   * name cannot always be read, so nothing is removed until the file loads whole.
   */
  removalSkipped?: boolean;
}

/** How an import treats rows whose natural key already exists. */
export type ImportMode = 'upsert' | 'insert' | 'replace';

const PARENT_TEMP = 'csv_parents';
const CHANGED_TEMP = 'csv_changed';
const REPLACED_TEMP = 'csv_replaced_lines';

function lookupAlias(index: number): string {
  return `k${index}`;
}

/** Create the lookup rows the file names but the tenant lacks (e.g. sales channels). */
async function createLookups(tx: Tx, entity: EntitySpec, staged: Staged, scope: Scope): Promise<number> {
  const { schema } = scope;
  let created = 0;
  for (const lookup of presentLookups(entity, staged)) {
    if (!lookup.create) continue;
    const [match] = lookup.columns as [ColumnSpec];
    const cols = lookup.columns.filter((c) => staged.present.has(c.csv));
    const constants = Object.entries(lookup.create.constants);
    const constantValues = constants.map(([, v]) => (typeof v === 'object' && v !== null ? tx`${JSON.stringify(v)}::jsonb` : tx`${String(v)}`));
    // A pooled lookup row is created as the tenant's own.
    const tenantCol = lookup.tenantColumn ? [lookup.tenantColumn] : [];
    const tenantVal = lookup.tenantColumn ? [tenantIdRef(tx, scope)] : [];
    const rows = await tx`
      insert into ${tx(schema)}.${tx(lookup.table)} (${tx([...tenantCol, ...cols.map((c) => c.column), ...constants.map(([k]) => k)])})
      select distinct on (${stagingRef(tx, match)}) ${commaList(tx, [...tenantVal, ...cols.map((c) => typedValue(tx, c, stagingRef(tx, c))), ...constantValues])}
      from ${tx(STAGING)} s
      -- An anti-join, not NOT EXISTS: Citus plans a join of the (local) staging table with a
      -- distributed tenant table, but refuses a correlated subquery between them.
      left join ${tx(schema)}.${tx(lookup.table)} x on x.${tx(match.column)} = ${stagingRef(tx, match)}${lookupRows(tx, lookup, scope, 'x')}
      where ${stagingRef(tx, match)} is not null and x.${tx(match.column)} is null
      order by ${stagingRef(tx, match)}, s._row`;
    created += rows.count;
  }
  return created;
}

export interface ParentShape {
  /** Table columns written, in order. */
  columns: string[];
  /** Their values from `s` (staging, one row per parent) and the lookup joins. */
  values: Fragment[];
  from: Fragment;
}

function parentShape(tx: Tx, entity: EntitySpec, staged: Staged, scope: Scope): ParentShape {
  const { schema } = scope;
  const own = writable(entity.columns).filter((c) => staged.present.has(c.csv));
  // An optional lookup the file leaves out keeps the stored reference (or the table's default).
  const lookups = presentLookups(entity, staged);
  // One source row per parent: the first line of each order.
  const rows = entity.child ? tx`${firstLines(tx, entity.naturalKey)} s` : tx`${tx(STAGING)} s`;
  // An optional reference (no required match column) may be empty: a left join keeps the row.
  const joins = lookups.map((l, i) => tx`${l.columns[0]!.required ? tx`join` : tx`left join`} ${tx(schema)}.${tx(l.table)} ${tx(lookupAlias(i))} on ${tx(lookupAlias(i))}.${tx(l.columns[0]!.column)} = ${stagingRef(tx, l.columns[0]!)}${lookupRows(tx, l, scope, lookupAlias(i))}`);
  // Pooled: the tenant column is the tool's, from the resolved tenant.
  const tenantColumn = writtenTenantColumn(entity);
  return {
    columns: [...(tenantColumn ? [tenantColumn] : []), ...lookups.map((l) => l.target), ...own.map((c) => c.column)],
    values: [...(tenantColumn ? [tenantIdRef(tx, scope)] : []), ...lookups.map((_l, i) => tx`${tx(lookupAlias(i))}.id`), ...own.map((c) => typedValue(tx, c, stagingRef(tx, c)))],
    from: tx`${rows} ${seq(tx, joins)}`,
  };
}

/** now() of this transaction as text: Citus refuses non-immutable functions in DO UPDATE SET on a distributed table; the text keeps it exactly equal to now(). */
async function transactionNow(tx: Tx): Promise<string> {
  const [{ now }] = (await tx`select now()::text as now`) as unknown as [{ now: string }];
  return now;
}

/** Insert or update the parent rows; only rows whose values differ are updated. */
async function writeParents(tx: Tx, entity: EntitySpec, shape: ParentShape, scope: Scope, mode: ImportMode): Promise<{ inserted: number; updated: number }> {
  const target = tx`${tx(scope.schema)}.${tx(entity.table)}`;
  let conflict = tx``;
  let plain = mode === 'insert';
  if (mode !== 'insert') {
    const tenantColumn = writtenTenantColumn(entity);
    const changing = shape.columns.filter((c) => !entity.conflictColumns.includes(c) && c !== tenantColumn);
    const sets = changing.map((c) => tx`${tx(c)} = excluded.${tx(c)}`);
    if (entity.updatedAt) sets.push(tx`${tx(entity.updatedAt)} = ${await transactionNow(tx)}::timestamptz`);
    if (entity.softDelete) sets.push(tx`${tx(entity.softDelete)} = null`);
    const differs = [tx`(${commaList(tx, changing.map((c) => tx`t.${tx(c)}`))}) is distinct from (${commaList(tx, changing.map((c) => tx`excluded.${tx(c)}`))})`];
    if (entity.softDelete) differs.push(tx`t.${tx(entity.softDelete)} is not null`);
    // A key unique across all tenants conflicts with another tenant's row only if the
    // ownership check missed it (a concurrent insert): that row is never updated.
    const mine = entity.tenant ? tx` and ${ownRows(tx, entity, scope, 't')}` : tx``;
    conflict = changing.length
      ? tx`on conflict (${tx(entity.conflictColumns as string[])}) do update set ${commaList(tx, sets)} where ${anyOf(tx, differs)}${mine}`
      : tx`on conflict (${tx(entity.conflictColumns as string[])}) do nothing`;
  }
  if (mode !== 'insert') {
    // Into an empty table an upsert is a plain insert (a key twice in the file still
    // fails, as a unique violation), without the cost of speculative insertion.
    const [{ empty }] = (await tx`select not exists (select 1 from ${target} t where ${ownRows(tx, entity, scope, 't')}) as empty`) as unknown as [{ empty: boolean }];
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
 * Replace mode: remove the tenant's rows whose key is not in the file — deleted, or (rows
 * that others reference) retired as the entity declares. Only ever the tenant's own rows.
 */
async function removeMissing(tx: Tx, entity: EntitySpec, scope: Scope): Promise<{ deleted: number; retired: number }> {
  // NOT IN an uncorrelated join, not NOT EXISTS: Citus refuses a correlated subquery between
  // the (local) staging table and a distributed tenant table, but plans this one first.
  const key = keyJoin(tx, entity, scope, 'k');
  const table = tx`${tx(scope.schema)}.${tx(entity.table)} t`;
  // A soft-deleted row is never exported, so its absence from the file says nothing about it:
  // replace leaves it as it is (a replace with an unchanged export changes nothing).
  const live = entity.softDelete ? tx` and t.${tx(entity.softDelete)} is null` : tx``;
  const missing = tx`${ownRows(tx, entity, scope, 't')}${live} and t.id not in (select k.id from ${tx(STAGING)} s ${key.joins} join ${tx(scope.schema)}.${tx(entity.table)} k on ${key.on})`;
  const retire = entity.retire;
  if (!retire) {
    // Lines first: their foreign key may have no ON DELETE CASCADE (ABParts order items).
    const child = entity.child;
    if (child) await tx`delete from ${tx(scope.schema)}.${tx(child.table)} where ${tx(child.parentKey)} in (select t.id from ${table} where ${missing})`;
    return { deleted: (await tx`delete from ${table} where ${missing}`).count, retired: 0 };
  }
  const value = retire.value === undefined ? tx`now()` : retire.pgType ? tx`${retire.value}::text::${tx(retire.pgType)}` : tx`${retire.value}`;
  // Already retired rows stay as they are (a rerun reports 0).
  const already = retire.value === undefined ? tx`t.${tx(retire.column)} is not null` : tx`t.${tx(retire.column)} is not distinct from ${value}`;
  return { deleted: 0, retired: (await tx`update ${table} set ${tx(retire.column)} = ${value} where ${missing} and not (${already})`).count };
}

/** A line column an import carries over: its name, and its default expression (from the catalog) or null. */
interface CarriedColumn {
  column: string;
  default: string | null;
}

/**
 * Before a changed order's lines are deleted: the stored columns the import does not write
 * (line-carry-columns.sql), set aside with each line's place among its parent's lines that link
 * the same rows, so that the lines written again keep them. (Two lines of one order for the same
 * product are told apart by their stored text, in no other order the file could give.) Returns those columns (none: nothing
 * set aside).
 */
async function setAsideReplacedLines(tx: Tx, schema: string, table: string, parentKey: string, written: string[], linkTargets: string[]): Promise<CarriedColumn[]> {
  const carry = await query<CarriedColumn>(tx, 'csv/line-carry-columns', [schema, table, [parentKey, ...written]]);
  if (!carry.length) return [];
  await tx`drop table if exists pg_temp.${tx(REPLACED_TEMP)}`;
  await tx`
    create temp table ${tx(REPLACED_TEMP)} on commit drop as
    select ${commaList(tx, [parentKey, ...linkTargets, ...carry.map((c) => c.column)].map((c) => tx`i.${tx(c)}`))},
           row_number() over (partition by ${commaList(tx, [parentKey, ...linkTargets].map((c) => tx`i.${tx(c)}`))} order by i::text) as replaced_ord
    from ${tx(schema)}.${tx(table)} i
    where i.${tx(parentKey)} in (select id from ${tx(CHANGED_TEMP)})`;
  return carry;
}

/**
 * Child rows (order lines) are replaced per parent, and only when the file's lines differ
 * from the stored ones (compared as typed values, in a stable order). Returns how many
 * existing parents changed through their lines only, and the lines written.
 */
async function writeChildren(tx: Tx, entity: EntitySpec, staged: Staged, scope: Scope, allNew: boolean): Promise<{ touched: number; lines: number }> {
  const { schema } = scope;
  const child = entity.child!;
  const cols = writable(child.columns).filter((c) => !c.linkOnly && staged.present.has(c.csv));
  const links = (child.links ?? []).filter((l) => staged.present.has(l.csv));
  const parent = tx`${tx(schema)}.${tx(entity.table)}`;
  const table = tx`${tx(schema)}.${tx(child.table)}`;
  const line = hasChild(tx, entity, staged)!;
  const keys = entity.naturalKey.map((k) => tx`${tx(k)}`);
  // Links as left joins, not correlated subqueries: Citus refuses a correlated subquery
  // between the (local) staging table and a distributed tenant table, but plans the join.
  // A pooled link only ever finds the tenant's own row.
  const linkJoins = seq(tx, links.map((l, i) => tx`left join ${tx(schema)}.${tx(l.table)} ${tx(`l${i}`)} on ${tx(`l${i}`)}.${tx(l.matchColumn)} = s.${tx(l.csv)}${ownLookupRows(tx, l.tenantColumn, scope, `l${i}`)}`));
  const fileValues = [...cols.map((c) => typedValue(tx, c, stagingRef(tx, c))), ...links.map((_l, i) => tx`${tx(`l${i}`)}.id`)];
  const storedValues = [...cols.map((c) => tx`i.${tx(c.column)}`), ...links.map((l) => tx`i.${tx(l.target)}`)];
  const columns = [...cols.map((c) => c.column), ...links.map((l) => l.target)];
  await tx`drop table if exists pg_temp.${tx(PARENT_TEMP)}`;
  const key = keyJoin(tx, entity, scope, 't');
  await tx`
    create temp table ${tx(PARENT_TEMP)} on commit drop as
    select t.id, ${commaList(tx, keys.map((k) => tx`s.${k}`))}
    from (select distinct ${commaList(tx, keys.map((k) => tx`s.${k}`))} from ${tx(STAGING)} s) s
    ${key.joins} join ${parent} t on ${key.on}`;
  let changedOnly = tx``;
  let carry: CarriedColumn[] = [];
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
    carry = await setAsideReplacedLines(tx, schema, child.table, child.parentKey, columns, links.map((l) => l.target));
    await tx`delete from ${table} where ${tx(child.parentKey)} in (select id from ${tx(CHANGED_TEMP)})`;
    changedOnly = tx`p.id in (select id from ${tx(CHANGED_TEMP)}) and`;
  }
  // Each line written again takes what the file does not carry from the line it replaces (the
  // same parent, the same linked rows, the same place among such lines); a line with none to
  // replace gets the column's default, as an insert would.
  const carried = carry.map((c) => (c.default === null ? tx`o.${tx(c.column)}` : tx`coalesce(o.${tx(c.column)}, ${tx.unsafe(c.default)})`));
  const written = await tx`
    insert into ${table} (${tx([child.parentKey, ...columns, ...carry.map((c) => c.column)])})
    select f.parent_id, ${commaList(tx, fileValues.map((_v, i) => tx`f.${tx(`v${i}`)}`))}${seq(tx, carried.map((c) => tx`, ${c}`))}
    from (select p.id as parent_id, s._row, ${commaList(tx, fileValues.map((v, i) => tx`${v} as ${tx(`v${i}`)}`))},
                 row_number() over (partition by ${commaList(tx, [tx`p.id`, ...links.map((_l, i) => tx`${tx(`l${i}`)}.id`)])} order by s._row) as ord
          from ${tx(STAGING)} s join ${tx(PARENT_TEMP)} p using (${commaList(tx, keys)}) ${linkJoins}
          where ${changedOnly} ${line}) f
    ${carry.length ? tx`left join pg_temp.${tx(REPLACED_TEMP)} o on o.${tx(child.parentKey)} = f.parent_id and o.replaced_ord = f.ord${seq(tx, links.map((l, i) => tx` and o.${tx(l.target)} is not distinct from f.${tx(`v${cols.length + i}`)}`))}` : tx``}
    order by f._row`;
  // A parent whose lines changed has changed; rows written by this statement already have now().
  const touched = !allNew && entity.updatedAt ? await tx`update ${parent} set ${tx(entity.updatedAt)} = now() where id in (select id from ${tx(CHANGED_TEMP)}) and ${tx(entity.updatedAt)} <> now()` : { count: 0 };
  return { touched: touched.count, lines: written.count };
}

/**
 * A key unique across tenants was checked for ownership before the write; another tenant
 * could still have committed the same key in between, and the guarded upsert then skips
 * that row silently. Say so instead (the whole import rolls back; a rerun names the line).
 */
async function assertKeysStillOurs(tx: Tx, entity: EntitySpec, scope: Scope): Promise<void> {
  if (!entity.tenant || !entity.globalUnique?.length) return;
  for (const csv of entity.globalUnique) {
    const spec = entity.columns.find((c) => c.csv === csv)!;
    const [row] = await tx<{ taken: boolean }[]>`
      select exists (select 1 from ${tx(STAGING)} s join ${tx(scope.schema)}.${tx(entity.table)} o on o.${tx(spec.column)} = s.${tx(csv)} where not (${ownRows(tx, entity, scope, 'o')})) as taken`;
    if (row?.taken) {
      throw new TenantctlError('CSV_KEY_TAKEN', `Import into ${scope.schema}.${entity.table} stopped: a ${csv} in the file was taken by another organization while the import ran. Nothing was imported.`, {
        hint: 'Run the import again: the rows concerned are then listed by line.',
      });
    }
  }
}

/** Write the validated staging rows into the tenant's tables, per the mode. */
export async function applyStaged(tx: Tx, entity: EntitySpec, staged: Staged, scope: Scope, mode: ImportMode, rejected = 0): Promise<ApplyCounts> {
  await createLookups(tx, entity, staged, scope);
  const shape = parentShape(tx, entity, staged, scope);
  const matched = matchedByKey(entity);
  if (matched) await assertKeysMatchOnce(tx, entity, scope, mode);
  const { inserted, updated } = matched ? await writeMatchedParents(tx, entity, shape, scope, mode) : await writeParents(tx, entity, shape, scope, mode);
  await assertKeysStillOurs(tx, entity, scope);
  const keys = entity.naturalKey.map((k) => tx`${tx(k)}`);
  // Without lines every staged row is one parent (duplicates would have failed above).
  const counted = entity.child ? tx`(select distinct ${commaList(tx, keys)} from ${tx(STAGING)}) k` : tx`${tx(STAGING)}`;
  const [{ parents }] = (await tx`select count(*)::int as parents from ${counted}`) as unknown as [{ parents: number }];
  let touched = 0;
  let childRows: number | undefined;
  if (entity.child) {
    const children = await writeChildren(tx, entity, staged, scope, inserted === parents);
    touched = children.touched;
    childRows = children.lines;
  }
  // Replace removes what the file does not hold: only when every row of the file was taken.
  const removalSkipped = mode === 'replace' && rejected > 0;
  const { deleted, retired } = mode === 'replace' && !removalSkipped ? await removeMissing(tx, entity, scope) : { deleted: 0, retired: 0 };
  const changed = updated + touched;
  return { inserted, updated: changed, unchanged: Math.max(0, parents - inserted - changed), deleted, retired, ...(childRows === undefined ? {} : { childRows }), ...(removalSkipped ? { removalSkipped } : {}) };
}
