import type { Sql } from '../db/connect.js';
import { ownLookupRows, ownRows, type Scope } from './scope.js';
import type { ColumnSpec, EntitySpec } from './spec.js';
import { commaList, seq, type Fragment } from './sql-parts.js';

/**
 * The SELECT behind `COPY (…) TO STDOUT` for an entity. Deterministic on purpose, so that
 * export → import → export gives the same bytes: columns in declaration order, rows
 * ordered by natural key (then by every line column) in the "C" collation, and values
 * formatted the way import reads them back (UTC ISO 8601 times, true/false, canonical JSON).
 * Filter values and mask patterns come from a one-row temp table (`p`), because COPY
 * cannot take parameters.
 */

/** The one-row temp table of filter values and mask patterns. */
export const PARAMS = 'csv_export_params';

/** Which filters apply, and which CSV columns are masked (pattern in p."mask_<csv>"). */
export interface ExportSettings {
  since?: boolean;
  until?: boolean;
  status?: boolean;
  masked: ReadonlySet<string>;
  /** Quote text cells a spreadsheet would run as formulas (pg_temp.tenantctl_excel_safe). @default false */
  excelSafe?: boolean;
}

function formatted(sql: Sql, spec: ColumnSpec, ref: Fragment): Fragment {
  switch (spec.type) {
    case 'boolean':
      // bool's text cast is 'true'/'false' (COPY's own output would be t/f).
      return sql`(${ref})::text`;
    case 'timestamptz':
      // Whole seconds print without a fraction; otherwise microseconds, always in UTC.
      return sql`to_char(${ref} at time zone 'UTC', case when date_trunc('second', ${ref}) = ${ref} then 'YYYY-MM-DD"T"HH24:MI:SS"Z"' else 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"' end)`;
    case 'date':
      return sql`to_char(${ref}, 'YYYY-MM-DD')`;
    default:
      // COPY's own text output is already what import reads back (jsonb canonical form).
      return ref;
  }
}

/**
 * --excel-safe for one text cell: a leading quote when it starts with = + - @ tab or CR
 * (the rule of pg_temp.tenantctl_excel_safe). Written out as a CASE on a plain column: the
 * function call cost ~30% of the export's speed on 500,000 products (COPY to /dev/null,
 * 9.0-9.6 s plain, 8.6-9.9 s with the CASE, 11.2-15.4 s through the function); a masked
 * value goes through the function, so that the mask is computed once.
 */
function excelSafe(sql: Sql, value: Fragment, plainColumn: boolean): Fragment {
  if (!plainColumn) return sql`pg_temp.tenantctl_excel_safe(${value})`;
  return sql`case when ascii(${value}) in (9, 13, 43, 45, 61, 64) then '''' || ${value} else ${value} end`;
}

function output(sql: Sql, spec: ColumnSpec, ref: Fragment, settings: ExportSettings): Fragment {
  const masked = settings.masked.has(spec.csv);
  const formattedValue = formatted(sql, spec, ref);
  const value = masked ? sql`pg_temp.tenantctl_mask((${formattedValue})::text, p.${sql('mask_' + spec.csv)})` : formattedValue;
  // Free text only: numbers (-5), dates, enums and JSON are never formulas, and quoting a
  // negative number would turn it into text.
  if (settings.excelSafe && spec.type === 'text') return sql`${excelSafe(sql, value, !masked)} as ${sql(spec.csv)}`;
  return sql`${value} as ${sql(spec.csv)}`;
}

/** The parts of the export's SELECT, shared by the COPY statement and the key sample. */
export interface ExportShape {
  cols: Fragment[];
  /** `schema.table t`, where a TABLESAMPLE clause may follow. */
  table: Fragment;
  /** The parameter row and the joins. */
  joins: Fragment;
  where: Fragment[];
  /** Natural key expressions (collation "C"): the leading sort keys, and what a part is cut on. */
  keys: Fragment[];
  orderBy: Fragment[];
  /**
   * Per name taken from another row (a line's product sku, an order's supplier, who ordered):
   * the condition "the row points at a row that is not the tenant's", whose name goes out empty
   * (never another tenant's). A required one the import then refuses; an optional one it reads
   * as "no link", so importing the file back clears the link. Counted to warn (export.ts).
   */
  foreignNames: { csv: string; required: boolean; join: Fragment; when: Fragment; keptAsStored?: boolean }[];
  /** The parameter row's join alone (empty when no filter reads it). */
  params: Fragment;
}

/** `ref` names a row of `target.table`, but none of the tenant's (ExportShape.foreignNames). */
const namesNoOwnRow = (sql: Sql, scope: Scope, target: { table: string; tenantColumn?: string }, ref: Fragment): Fragment =>
  sql`${ref} is not null and not exists (select 1 from ${sql(scope.schema)}.${sql(target.table)} x where x.id = ${ref}${ownLookupRows(sql, target.tenantColumn, scope, 'x')})`;

export function exportShape(sql: Sql, entity: EntitySpec, scope: Scope, settings: ExportSettings): ExportShape {
  const { schema } = scope;
  const lookups = entity.lookups ?? [];
  const cols: Fragment[] = [];
  const joins: Fragment[] = [];
  const keys: Fragment[] = [];
  const lineOrder: Fragment[] = [];
  const foreignNames: ExportShape['foreignNames'] = [];
  lookups.forEach((lookup, i) => {
    const alias = `l${i}`;
    if (lookup.tenantColumn) {
      foreignNames.push({ csv: lookup.columns[0]!.csv, required: Boolean(lookup.columns[0]!.required), join: sql``, when: namesNoOwnRow(sql, scope, lookup, sql`t.${sql(lookup.target)}`) });
    }
    // An optional reference (no required match column) may be empty: its row still goes out.
    // Pooled: only the tenant's own row is named. The schema lets a row point at another
    // tenant's (a purchase order of another organization's supplier): its name stays empty,
    // never another tenant's, and the row still goes out (left join).
    const join = lookup.columns[0]!.required && !lookup.tenantColumn ? sql`join` : sql`left join`;
    joins.push(sql`${join} ${sql(schema)}.${sql(lookup.table)} ${sql(alias)} on ${sql(alias)}.id = t.${sql(lookup.target)}${ownLookupRows(sql, lookup.tenantColumn, scope, alias)}`);
    for (const spec of lookup.columns) cols.push(output(sql, spec, sql`${sql(alias)}.${sql(spec.column)}`, settings));
  });
  for (const spec of entity.columns) cols.push(output(sql, spec, sql`t.${sql(spec.column)}`, settings));
  for (const csv of entity.naturalKey) {
    const lookupIndex = lookups.findIndex((l) => l.columns[0]!.csv === csv);
    if (lookupIndex >= 0) {
      keys.push(sql`${sql(`l${lookupIndex}`)}.${sql(lookups[lookupIndex]!.columns[0]!.column)} collate "C"`);
      continue;
    }
    const spec = entity.columns.find((c) => c.csv === csv)!;
    // A time key (ABParts order_date) sorts and is cut into parts as its exported text.
    const ref = sql`t.${sql(spec.column)}`;
    keys.push(spec.type === 'text' ? sql`${ref} collate "C"` : sql`(${formatted(sql, spec, ref)})::text collate "C"`);
  }
  if (entity.child) {
    const child = entity.child;
    joins.push(sql`left join ${sql(schema)}.${sql(child.table)} c on c.${sql(child.parentKey)} = t.id`);
    child.columns.forEach((spec, i) => {
      let ref = sql`c.${sql(spec.column)}`;
      const link = spec.linkOnly ? child.links?.find((l) => l.csv === spec.csv) : undefined;
      if (link) {
        // Not a column of the line: the linked row's value (the product's sku).
        const alias = `cl${i}`;
        joins.push(sql`left join ${sql(schema)}.${sql(link.table)} ${sql(alias)} on ${sql(alias)}.id = c.${sql(link.target)}${ownLookupRows(sql, link.tenantColumn, scope, alias)}`);
        ref = sql`${sql(alias)}.${sql(link.matchColumn)}`;
        if (link.tenantColumn) {
          foreignNames.push({ csv: link.csv, required: Boolean(link.required), join: sql`join ${sql(schema)}.${sql(child.table)} c on c.${sql(child.parentKey)} = t.id`, when: namesNoOwnRow(sql, scope, link, sql`c.${sql(link.target)}`) });
        }
      }
      cols.push(output(sql, spec, ref, settings));
      lineOrder.push(sql`(${formatted(sql, spec, ref)})::text collate "C"`);
    });
    // A link whose CSV column is the line's own copy of the value (Prometric's product_code
    // snapshot), not the linked row's: the value goes out as stored, and an import links it to
    // this tenant's row of that value. Counted all the same when the line names another's row.
    for (const link of child.links ?? []) {
      if (!link.tenantColumn || child.columns.some((c) => c.csv === link.csv && c.linkOnly)) continue;
      foreignNames.push({ csv: link.csv, required: Boolean(link.required), keptAsStored: true, join: sql`join ${sql(schema)}.${sql(child.table)} c on c.${sql(child.parentKey)} = t.id`, when: namesNoOwnRow(sql, scope, link, sql`c.${sql(link.target)}`) });
    }
  }
  // Pooled: only the tenant's rows (the id from the transaction's setting: COPY takes no parameters).
  const where: Fragment[] = [entity.tenant ? ownRows(sql, entity, scope, 't') : sql`true`];
  if (entity.softDelete) where.push(sql`t.${sql(entity.softDelete)} is null`);
  if (settings.since) where.push(sql`t.${sql(entity.dateColumn)} >= p.since`);
  if (settings.until) where.push(sql`t.${sql(entity.dateColumn)} < p.until`);
  if (settings.status && entity.statusColumn) where.push(sql`t.${sql(entity.statusColumn)} = any(p.status)`);
  // Join the parameter row only when something reads it: the planner takes the never
  // analyzed temp table for ~1,000 rows, and on 1,000,000 products the join cost the server
  // ~0.1-0.2 s of ~3.2 s (COPY to /dev/null, medians of 8 runs each way).
  const params = settings.since || settings.until || settings.status || settings.masked.size > 0 ? sql`cross join pg_temp.${sql(PARAMS)} p` : sql``;
  return { cols, table: sql`${sql(schema)}.${sql(entity.table)} t`, joins: sql`${params} ${seq(sql, joins)}`, where, keys, orderBy: [...keys, ...lineOrder], foreignNames, params };
}

/**
 * One slice of a parallel export, in natural-key order: rows whose key is at or after the
 * lower bound and before the upper one. The bounds are session settings
 * (`tenantctl.export_lower_<i>`, `…_upper_<i>`: one per key column) because COPY takes
 * no parameters; each is read once, as an InitPlan, not per row.
 */
export interface ExportPart {
  lower: boolean;
  upper: boolean;
  /** Only the first part writes the header. */
  header: boolean;
}

export function boundSetting(side: 'lower' | 'upper', index: number): string {
  return `tenantctl.export_${side}_${index}`;
}

function boundRow(sql: Sql, shape: ExportShape, side: 'lower' | 'upper'): Fragment {
  return sql`(${commaList(sql, shape.keys.map((_k, i) => sql`(select current_setting(${sql.unsafe(`'${boundSetting(side, i)}'`)}))`))})`;
}

/** The full `copy (select …) to stdout` statement, for the whole export or one part of it. */
export function exportStatement(sql: Sql, shape: ExportShape, delimiter: Fragment, part: ExportPart = { lower: false, upper: false, header: true }): Fragment {
  const where = [...shape.where];
  const keyRow = sql`(${commaList(sql, shape.keys)})`;
  if (part.lower) where.push(sql`${keyRow} >= ${boundRow(sql, shape, 'lower')}`);
  if (part.upper) where.push(sql`${keyRow} < ${boundRow(sql, shape, 'upper')}`);
  return sql`copy (
    select ${commaList(sql, shape.cols)}
    from ${shape.table} ${shape.joins}
    where ${where.map((w, i) => (i ? sql` and ${w}` : w))}
    order by ${commaList(sql, shape.orderBy)}
  ) to stdout with (format csv, header ${sql.unsafe(part.header ? 'true' : 'false')}, ${delimiter}, encoding 'UTF8')`;
}

/**
 * The planner's estimate of how many rows the export will write (EXPLAIN: nothing is read),
 * with the export's own filters: the total that progress and its ETA are measured against.
 */
export function estimateStatement(sql: Sql, shape: ExportShape): Fragment {
  return sql`explain (format json) select 1 from ${shape.table} ${shape.joins} where ${shape.where.map((w, i) => (i ? sql` and ${w}` : w))}`;
}

/** Natural keys of a random sample of pages (SYSTEM sampling), in export order: where to cut parts. */
export function keySample(sql: Sql, shape: ExportShape, percent: number): Fragment {
  return sql`
    select ${commaList(sql, shape.keys.map((k, i) => sql`(${k})::text as ${sql(`k${i}`)}`))}
    from ${shape.table} tablesample system (${percent}::float4) ${shape.joins}
    where ${shape.where.map((w, i) => (i ? sql` and ${w}` : w))}
    order by ${commaList(sql, shape.keys)}`;
}
