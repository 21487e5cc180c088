import type { Sql, Tx } from '../db/connect.js';
import { lookupRows, ownLookupRows, ownRows, type Scope } from './scope.js';
import { matchedKeyChecks } from './matched-key.js';
import { matchedByKey, type ColumnSpec, type EntitySpec, type LookupSpec } from './spec.js';
import { anyOf, seq, castError, checkValue, commaList, PROBED_TYPES, stagingRef, typedValue, type Fragment, type Tier } from './sql-parts.js';
import { firstLines, REJECTS, STAGING, type Staged } from './staging.js';

/**
 * Validation of the staged rows, in SQL. Every finding becomes a row of the rejects temp
 * table (staging row, CSV column, value, reason, and the row it refers to, if any), so
 * nothing about the file has to fit in memory.
 */

export interface Check {
  spec: ColumnSpec | undefined;
  /** CSV column the finding is reported under. */
  column: string;
  reason: Fragment;
  /** Another staging row the reason refers to ("first on line N"). */
  refRow?: Fragment;
}

function present(staged: Staged, csv: string): boolean {
  return staged.present.has(csv);
}

/** The child columns' "this row has an order line" test. */
export function hasChild(sql: Sql, entity: EntitySpec, staged: Staged): Fragment | undefined {
  const cols = entity.child?.columns.filter((c) => present(staged, c.csv)) ?? [];
  if (!entity.child) return undefined;
  return anyOf(sql, cols.map((c) => sql`${stagingRef(sql, c)} is not null`));
}

/**
 * Try the PostgreSQL casts of the probed types (JSON, dates) on every value in one pass,
 * in a savepoint. Columns that fail are checked value by value afterwards; on a clean
 * file (the common case) that slow path never runs.
 */
export async function probeCasts(tx: Tx, staged: Staged): Promise<Set<string>> {
  const probed = staged.columns.filter((c) => PROBED_TYPES.has(c.type));
  const failing = new Set<string>();
  const attempt = async (cols: ColumnSpec[]): Promise<boolean> => {
    try {
      await tx.savepoint((sp) => sp`select ${commaList(sp, cols.map((c) => sp`count(${typedValue(sp, c, stagingRef(sp, c))})`))} from ${sp(STAGING)} s`);
      return true;
    } catch {
      return false;
    }
  };
  if (probed.length === 0 || (await attempt(probed))) return failing;
  for (const col of probed) if (!(await attempt([col]))) failing.add(col.csv);
  return failing;
}

function valueChecks(sql: Sql, entity: EntitySpec, staged: Staged, failing: Set<string>, tier: Tier = 'precise'): Check[] {
  const line = hasChild(sql, entity, staged);
  const childCols = new Set(entity.child?.columns.map((c) => c.csv) ?? []);
  // Generated columns in the file are ignored on import: nothing to check.
  return staged.columns.filter((spec) => !spec.exportOnly).map((spec) => {
    const ref = stagingRef(sql, spec);
    let reason = checkValue(sql, spec, ref, childCols.has(spec.csv) ? line : undefined, tier);
    if (failing.has(spec.csv)) reason = sql`coalesce(${reason}, 'is not valid: ' || ${castError(sql, spec, ref)})`;
    return { spec, column: spec.csv, reason };
  });
}

/** Lines of one order must agree on every order column: the first line wins, others are errors. */
function consistencyChecks(sql: Sql, entity: EntitySpec, staged: Staged): Check[] {
  if (!entity.child) return [];
  return repeatedColumns(entity, staged).map((spec) => {
    const ref = stagingRef(sql, spec);
    return {
      spec,
      column: spec.csv,
      reason: sql`case when ${ref} is distinct from first_value(${ref}) over w then 'differs between lines of the same order (each line repeats the order columns)' end`,
      refRow: sql`first_value(s._row) over w`,
    };
  });
}

function lookupAlias(index: number): string {
  return `l${index}`;
}

/** Joins that bring what the lookup checks need: existing rows per name, known codes. */
/** The lookups whose match column the file has (required ones always: the header check makes sure). */
export function presentLookups(entity: EntitySpec, staged: Staged): LookupSpec[] {
  return (entity.lookups ?? []).filter((l) => present(staged, l.columns[0]!.csv));
}

function lookupJoins(sql: Sql, entity: EntitySpec, staged: Staged, scope: Scope): Fragment[] {
  const { schema } = scope;
  return presentLookups(entity, staged).map((lookup, index) => {
    const [match, ...others] = lookup.columns as [ColumnSpec, ...ColumnSpec[]];
    const alias = lookupAlias(index);
    const codes = lookup.create?.codes;
    const othersAgg = others.map((o) => sql`, min(${sql(o.column)}) as ${sql(o.column)}`);
    const codeJoin = codes ? sql`left join ${sql('public')}.${sql(codes.sharedTable)} ${sql(alias + 'c')} on ${sql(alias + 'c')}.code = s.${sql(codes.csv)}` : sql``;
    // Pooled: only the tenant's own rows (and the declared kind) are candidates.
    const own = lookup.tenantColumn || lookup.only ? sql`where true ${lookupRows(sql, lookup, scope, 'x')}` : sql``;
    return sql`left join (select x.${sql(match.column)} as k, count(*)::int as n ${seq(sql, othersAgg)} from ${sql(schema)}.${sql(lookup.table)} x ${own} group by 1) ${sql(alias)} on ${sql(alias)}.k = ${stagingRef(sql, match)} ${codeJoin}`;
  });
}

function lookupChecks(sql: Sql, entity: EntitySpec, staged: Staged): Check[] {
  return presentLookups(entity, staged).flatMap((lookup: LookupSpec, index) => {
    const [match, ...others] = lookup.columns as [ColumnSpec, ...ColumnSpec[]];
    const l = sql(lookupAlias(index));
    const ref = stagingRef(sql, match);
    const codes = lookup.create?.codes;
    const canCreate = codes && present(staged, codes.csv);
    const checks: Check[] = [
      {
        spec: match,
        column: match.csv,
        reason: sql`case when ${ref} is null then null
          when ${l}.n > 1 then 'matches ' || ${l}.n || ' ' || ${lookup.table} || ' rows of that name (rename them apart first)'
          when ${l}.n is null and ${canCreate ? sql`s.${sql(codes!.csv)} is null` : sql`true`} then ${`is not in ${lookup.table}${codes ? `; give ${codes.csv} to create it` : ''}`} end`,
      },
    ];
    for (const other of others.filter((o) => present(staged, o.csv))) {
      const oref = stagingRef(sql, other);
      const codeCheck = codes?.csv === other.csv ? sql`when ${l}.n is null and ${sql(lookupAlias(index) + 'c')}.code is null then ${`is not a known ${other.column.replace(/_code$/, '').replace(/_/g, ' ')}`} || ' (see public.' || ${codes.sharedTable} || ')'` : sql``;
      checks.push({
        spec: other,
        column: other.csv,
        reason: sql`case when ${oref} is null then null
          when ${l}.n = 1 and ${l}.${sql(other.column)} is distinct from ${oref} then 'does not match the existing ' || ${lookup.table} || ' row (' || coalesce(${l}.${sql(other.column)}, 'empty') || ')'
          ${codeCheck} end`,
      });
    }
    return checks;
  });
}

/** Key checks that only matter when the apply step hits a key conflict. */
function keyChecks(sql: Sql, entity: EntitySpec, scope: Scope, mode: string): Check[] {
  if (matchedByKey(entity)) return matchedKeyChecks(sql, entity, scope, mode);
  const first = entity.naturalKey[0]!;
  const checks: Check[] = [];
  if (!entity.child) {
    checks.push({
      spec: undefined,
      column: first,
      reason: sql`case when s._row <> first_value(s._row) over w then ${`repeats the ${entity.naturalKey.join(' + ')} of an earlier line`} end`,
      refRow: sql`first_value(s._row) over w`,
    });
  }
  if (mode === 'insert') {
    checks.push({
      spec: undefined,
      column: first,
      reason: sql`case when (${commaList(sql, entity.naturalKey.map((csv) => sql`s.${sql(csv)}`))}) in (${existingKeys(sql, entity, scope)}) then 'already exists (use --mode upsert to update it)' end`,
    });
  }
  return checks;
}

/**
 * The natural keys of the tenant's existing rows, as their CSV values, in one uncorrelated
 * subquery: a Citus coordinator plans it on its own, while it refuses a subquery that
 * refers to the staging table (local) from inside the distributed tenant table.
 */
function existingKeys(sql: Sql, entity: EntitySpec, scope: Scope): Fragment {
  const { schema } = scope;
  const lookups = entity.lookups ?? [];
  const joins: Fragment[] = [];
  const values = entity.naturalKey.map((csv) => {
    const index = lookups.findIndex((l) => l.columns[0]!.csv === csv);
    if (index < 0) return sql`t.${sql(entity.columns.find((c) => c.csv === csv)!.column)}`;
    const lookup = lookups[index]!;
    const x = `k${index}`;
    joins.push(sql` join ${sql(schema)}.${sql(lookup.table)} ${sql(x)} on ${sql(x)}.id = t.${sql(lookup.target)}${lookupRows(sql, lookup, scope, x)}`);
    return sql`${sql(x)}.${sql(lookup.columns[0]!.column)}`;
  });
  return sql`select ${commaList(sql, values)} from ${sql(schema)}.${sql(entity.table)} t${seq(sql, joins)} where ${ownRows(sql, entity, scope, 't')}`;
}

async function record(tx: Sql, entity: EntitySpec, joins: Fragment[], checks: Check[], windowed: boolean): Promise<void> {
  if (checks.length === 0) return;
  const keyRefs = entity.naturalKey.map((csv) => tx`s.${tx(csv)}`);
  const cols = checks.map((c, i) => tx`${c.reason} as ${tx('e' + i)}, ${c.spec ? stagingRef(tx, c.spec) : tx`s.${tx(c.column)}`} as ${tx('v' + i)}, ${c.refRow ?? tx`null::bigint`} as ${tx('r' + i)}`);
  const values = checks.map((c, i) => tx`(${c.column}, q.${tx('v' + i)}, q.${tx('e' + i)}, q.${tx('r' + i)})`);
  const window = windowed ? tx`window w as (partition by ${commaList(tx, keyRefs)} order by s._row)` : tx``;
  await tx`
    insert into ${tx(REJECTS)} (_row, col, val, reason, ref_row)
    select q._row, x.col, x.val, x.reason, x.ref_row
    from (
      select s._row, ${commaList(tx, cols)}
      from ${tx(STAGING)} s ${seq(tx, joins)}
      ${window}
    ) q
    cross join lateral (values ${commaList(tx, values)}) as x(col, val, reason, ref_row)
    where ${anyOf(tx, checks.map((_c, i) => tx`q.${tx('e' + i)} is not null`))} and x.reason is not null`;
}

/** Check every staged value, lookups and (for entities with lines) order consistency. */
export async function validateStaged(tx: Tx, entity: EntitySpec, staged: Staged, scope: Scope): Promise<void> {
  const failing = await probeCasts(tx, staged);
  const checks = [...valueChecks(tx, entity, staged, failing), ...lookupChecks(tx, entity, staged), ...ownershipChecks(tx, entity, staged, scope), ...linkChecks(tx, entity, staged, scope), ...consistencyChecks(tx, entity, staged)];
  await record(tx, entity, lookupJoins(tx, entity, staged, scope), checks, Boolean(entity.child));
}

/**
 * A key unique across ALL tenants (Prometric order_number) whose value another tenant's row
 * holds: a located error that names neither the other tenant nor its row, never an
 * overwrite. Pooled entities only.
 */
function ownershipChecks(sql: Sql, entity: EntitySpec, staged: Staged, scope: Scope): Check[] {
  if (!entity.tenant) return [];
  return (entity.globalUnique ?? []).filter((csv) => present(staged, csv)).map((csv) => {
    const spec = entity.columns.find((c) => c.csv === csv)!;
    return {
      spec,
      column: csv,
      reason: sql`case when exists (select 1 from ${sql(scope.schema)}.${sql(entity.table)} o where o.${sql(spec.column)} = ${stagingRef(sql, spec)} and not (${ownRows(sql, entity, scope, 'o')})) then 'belongs to another organization (this value is unique across all organizations; choose another)' end`,
    };
  });
}

/** Child links whose target is NOT NULL (an order line's product): a value that names no row of the tenant is an error. */
function linkChecks(sql: Sql, entity: EntitySpec, staged: Staged, scope: Scope): Check[] {
  const links = (entity.child?.links ?? []).filter((l) => l.required && present(staged, l.csv));
  return links.map((l) => {
    const spec = allColumnsOfChild(entity).find((c) => c.csv === l.csv);
    const ref = sql`s.${sql(l.csv)}`;
    return {
      spec,
      column: l.csv,
      reason: sql`case when ${ref} is not null and not exists (select 1 from ${sql(scope.schema)}.${sql(l.table)} x where x.${sql(l.matchColumn)} = ${ref}${ownLookupRows(sql, l.tenantColumn, scope, 'x')}) then ${`is not in ${l.table}${l.tenantColumn ? ' of this organization' : ''}`} end`,
    };
  });
}

function allColumnsOfChild(entity: EntitySpec): readonly ColumnSpec[] {
  return entity.child?.columns ?? [];
}

/** The order columns that every line of one order repeats (natural key aside). */
function repeatedColumns(entity: EntitySpec, staged: Staged): ColumnSpec[] {
  return [...(entity.lookups ?? []).flatMap((l) => l.columns), ...entity.columns].filter((c) => present(staged, c.csv) && !entity.naturalKey.includes(c.csv));
}

/**
 * Do the lines of some order disagree on an order column? Each line against its order's
 * first line, by a hash join on the key: no sort, exact (IS DISTINCT FROM treats NULL and
 * '' apart). 1.7 s on 600,000 lines where the window functions of the precise pass, which
 * then say which line and column, take ~6 s.
 */
async function linesDisagree(tx: Tx, entity: EntitySpec, staged: Staged): Promise<boolean> {
  const cols = repeatedColumns(entity, staged);
  if (!entity.child || cols.length === 0) return false;
  // bool_or over every line, not EXISTS: under EXISTS the planner goes for the first row
  // and picks a nested loop, which on a file without a bad line never ends.
  const [row] = await tx<{ bad: boolean | null }[]>`
    select bool_or((${commaList(tx, cols.map((c) => stagingRef(tx, c)))}) is distinct from (${commaList(tx, cols.map((c) => stagingRef(tx, c, 'f')))})) as bad
    from ${tx(STAGING)} s join ${firstLines(tx, entity.naturalKey)} f using (${commaList(tx, entity.naturalKey.map((k) => tx`${tx(k)}`))})`;
  return Boolean(row?.bad);
}

/**
 * Does any row of `from` fail one of `checks`? bool_or over every row rather than EXISTS,
 * which makes the planner aim for a first row and choose nested loops.
 */
async function anyFails(tx: Tx, checks: Check[], from: Fragment, joins: Fragment[]): Promise<boolean> {
  if (checks.length === 0) return false;
  const [row] = await tx<{ bad: boolean }[]>`
    select coalesce(bool_or(${anyOf(tx, checks.map((c) => tx`(${c.reason}) is not null`))}), false) as bad
    from ${from} ${seq(tx, joins)}`;
  return Boolean(row?.bad);
}

/**
 * The fast path's only check: does any row break a rule the typed INSERT would not
 * enforce by itself? (See `Tier`.) Lookups and order-line consistency are included.
 */
export async function cheapCheckFails(tx: Tx, entity: EntitySpec, staged: Staged, scope: Scope): Promise<boolean> {
  const values = valueChecks(tx, entity, staged, new Set(), 'cheap');
  const lineColumns = new Set(entity.child?.columns.map((c) => c.csv) ?? []);
  // Every line of an order repeats its order columns (linesDisagree makes sure), so those
  // are checked on each order's first line only: a third of the work for 3-line orders.
  const parents = entity.child ? tx`${firstLines(tx, entity.naturalKey)} s` : tx`${tx(STAGING)} s`;
  const parentChecks = [...values.filter((c) => !lineColumns.has(c.column)), ...lookupChecks(tx, entity, staged), ...ownershipChecks(tx, entity, staged, scope)];
  if (await anyFails(tx, parentChecks, parents, lookupJoins(tx, entity, staged, scope))) return true;
  if (await anyFails(tx, [...values.filter((c) => lineColumns.has(c.column)), ...linkChecks(tx, entity, staged, scope)], tx`${tx(STAGING)} s`, [])) return true;
  return linesDisagree(tx, entity, staged);
}

/** After a key conflict: find the duplicate keys (and, in insert mode, existing ones). */
export async function validateKeys(tx: Sql, entity: EntitySpec, scope: Scope, mode: string): Promise<void> {
  // Key checks read no lookup columns: no joins.
  await record(tx, entity, [], keyChecks(tx, entity, scope, mode), !entity.child);
}

/**
 * An order with one bad line is rejected whole: its other lines join the rejects. Then
 * the rejected rows leave staging. Returns the number of rejected rows.
 */
export async function dropRejected(tx: Sql, entity: EntitySpec): Promise<number> {
  if (entity.child) {
    const keys = entity.naturalKey.map((k) => tx`${tx(k)}`);
    await tx`
      insert into ${tx(REJECTS)} (_row, col, val, reason, ref_row)
      select s._row, null, null, 'belongs to an order with a rejected line', b.first_bad
      from ${tx(STAGING)} s
      join (select ${commaList(tx, keys.map((k) => tx`s.${k}`))}, min(r._row) as first_bad
            from ${tx(REJECTS)} r join ${tx(STAGING)} s using (_row) group by ${commaList(tx, keys.map((k) => tx`s.${k}`))}) b
        using (${commaList(tx, keys)})
      where not exists (select 1 from ${tx(REJECTS)} r where r._row = s._row)`;
  }
  await tx`delete from ${tx(STAGING)} s where exists (select 1 from ${tx(REJECTS)} r where r._row = s._row)`;
  const [row] = await tx<{ n: number }[]>`select count(distinct _row)::int as n from ${tx(REJECTS)}`;
  return row?.n ?? 0;
}
