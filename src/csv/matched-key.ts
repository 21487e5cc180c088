import type { Sql, Tx } from '../db/connect.js';
import { keyJoin, ownRows, sameKeyValue, writtenTenantColumn, type Scope } from './scope.js';
import type { EntitySpec } from './spec.js';
import { anyOf, commaList, typedValue, type Fragment } from './sql-parts.js';
import { firstLines, STAGING } from './staging.js';
import type { ImportMode, ParentShape } from './apply.js';
import type { Check } from './validate.js';

/**
 * Natural keys without a unique constraint (ABParts orders: `conflictColumns` empty, see
 * `matchedByKey`). Rows are matched by the key among the tenant's own rows instead of ON
 * CONFLICT: safe because one tenant's imports are serialized by its lock and other tenants'
 * rows never match. A key that names two of the tenant's rows is never guessed at.
 */

const MATCHED_TEMP = 'csv_matched';

/**
 * A key without a unique constraint (see `matchedByKey`): the staged parents matched to the
 * tenant's rows by key (checked unambiguous), then an UPDATE of those whose values differ
 * and an INSERT of the rest. Two imports into one tenant are serialized by its lock.
 */
export async function writeMatchedParents(tx: Tx, entity: EntitySpec, shape: ParentShape, scope: Scope, mode: ImportMode): Promise<{ inserted: number; updated: number }> {
  // Without lines, two rows of one key in the file would be two inserts: nothing catches them.
  if (!entity.child) throw new Error(`CSV entity ${entity.name}: a key without a unique constraint needs child rows (see EntitySpec.conflictColumns)`);
  const target = tx`${tx(scope.schema)}.${tx(entity.table)}`;
  await tx`drop table if exists pg_temp.${tx(MATCHED_TEMP)}`;
  const key = keyJoin(tx, entity, scope, 't');
  await tx`create temp table ${tx(MATCHED_TEMP)} on commit drop as select s._row, t.id from ${firstLines(tx, entity.naturalKey)} s ${key.joins} join ${target} t on ${key.on}`;
  let updated = 0;
  if (mode !== 'insert') {
    const tenantColumn = writtenTenantColumn(entity);
    const changing = shape.columns.filter((c) => c !== tenantColumn);
    const named = shape.values.map((v, i) => tx`${v} as ${tx(`v${i}`)}`);
    const fresh = shape.columns.map((c, i) => ({ c, v: tx`x.${tx(`v${i}`)}` })).filter(({ c }) => changing.includes(c));
    const sets = fresh.map(({ c, v }) => tx`${tx(c)} = ${v}`);
    // now() itself: a timestamptz parameter would reach the server cut to milliseconds.
    if (entity.updatedAt) sets.push(tx`${tx(entity.updatedAt)} = now()`);
    if (entity.softDelete) sets.push(tx`${tx(entity.softDelete)} = null`);
    const differs = [tx`(${commaList(tx, fresh.map(({ c }) => tx`t.${tx(c)}`))}) is distinct from (${commaList(tx, fresh.map(({ v }) => v))})`];
    if (entity.softDelete) differs.push(tx`t.${tx(entity.softDelete)} is not null`);
    const written = await tx`
      update ${target} t set ${commaList(tx, sets)}
      from (select m.id as _id, ${commaList(tx, named)} from ${shape.from} join pg_temp.${tx(MATCHED_TEMP)} m on m._row = s._row) x
      where t.id = x._id and ${anyOf(tx, differs)}`;
    updated = written.count;
  }
  const inserted = await tx`
    insert into ${target} (${tx(shape.columns)})
    select ${commaList(tx, shape.values)} from ${shape.from}
    where s._row not in (select _row from pg_temp.${tx(MATCHED_TEMP)})`;
  return { inserted: inserted.count, updated };
}

/**
 * Matched keys: a key that names two of the tenant's rows (insert mode: any), or one key
 * spelled two ways in the file (`2025-01-20T09:00:00Z`, `2025-01-20 09:00+00`), cannot be
 * written safely. It stops the write as a key conflict (SQLSTATE 23505), after which
 * `validateKeys` names the lines.
 */
export async function assertKeysMatchOnce(tx: Tx, entity: EntitySpec, scope: Scope, mode: ImportMode): Promise<void> {
  const keys = entity.naturalKey.map((k) => tx`s.${tx(k)}`);
  const typed = entity.naturalKey.map((k) => typedValue(tx, entity.columns.find((c) => c.csv === k)!, tx`s.${tx(k)}`));
  const key = keyJoin(tx, entity, scope, 't');
  const [row] = await tx<{ bad: boolean }[]>`
    select exists (
      select 1 from (select distinct ${commaList(tx, keys)} from ${tx(STAGING)} s) s ${key.joins}
      join ${tx(scope.schema)}.${tx(entity.table)} t on ${key.on}
      group by ${commaList(tx, keys)} having count(*) > ${mode === 'insert' ? 0 : 1}::int
    ) or exists (
      select 1 from ${tx(STAGING)} s group by ${commaList(tx, typed)} having count(distinct row(${commaList(tx, keys)})) > 1
    ) as bad`;
  if (row?.bad) await tx`select pg_temp.tenantctl_key_conflict(${entity.table})`;
}

/**
 * A key without a unique constraint (ABParts orders, see `matchedByKey`): each line whose
 * key names two or more of the tenant's rows (insert mode: any), or whose key another line
 * writes differently. Values are valid by now (rejected rows left staging).
 */
export function matchedKeyChecks(sql: Sql, entity: EntitySpec, scope: Scope, mode: string): Check[] {
  const keys = entity.naturalKey;
  const same = (t: string, s: string) => keys.map((k) => sameKeyValue(sql, entity, k, t, s));
  const and = (conds: Fragment[]) => sql`${conds.map((c, i) => (i ? sql` and ${c}` : c))}`;
  const matches = sql`(select count(*)::int from ${sql(scope.schema)}.${sql(entity.table)} t where ${and([...same('t', 's'), ownRows(sql, entity, scope, 't')])})`;
  const other = sql`(select min(s2._row) from ${sql(STAGING)} s2 where ${and(keys.map((k) => sql`${typedOf(sql, entity, k, 's2')} = ${typedOf(sql, entity, k, 's')}`))} and (${commaList(sql, keys.map((k) => sql`s2.${sql(k)}`))}) is distinct from (${commaList(sql, keys.map((k) => sql`s.${sql(k)}`))}))`;
  const what = `${entity.name} of this organization with this ${keys.join(' + ')}`;
  return [
    {
      spec: undefined,
      column: keys[0]!,
      reason:
        mode === 'insert'
          ? sql`case when ${matches} > 0 then 'already exists (use --mode upsert to update it)' end`
          : sql`case when ${matches} > 1 then 'matches ' || ${matches} || ${` ${what}: the key cannot tell them apart, so none is updated (make them differ in the application, e.g. their ${keys.at(-1)!}, then import again)`} end`,
    },
    {
      spec: undefined,
      column: keys[0]!,
      reason: sql`case when ${other} is not null then ${`names the same ${keys.join(' + ')} as another line, written differently (write it the same way on every line of one order)`} end`,
      refRow: other,
    },
  ];
}

/** A staged key value as its column's type. */
function typedOf(sql: Sql, entity: EntitySpec, csv: string, alias: string): Fragment {
  return typedValue(sql, entity.columns.find((c) => c.csv === csv)!, sql`${sql(alias)}.${sql(csv)}`);
}

