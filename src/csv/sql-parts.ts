import type postgres from 'postgres';
import type { Sql } from '../db/connect.js';
import type { ColumnSpec } from './spec.js';
import { BOOLEAN_WORDS, DATE, INT_MAX, INT_MIN, INTEGER, INTEGER_MAX_CHARS, NUMBER, TIMESTAMP, UUID } from './value-rules.js';

/**
 * SQL fragments built from the entity declarations. Everything here is a postgres.js
 * tagged template: identifiers go through `sql(name)`, values (patterns, enum lists,
 * defaults) are parameters. Type names and regular expressions are fixed text in this
 * file, never input.
 */

export type Fragment = postgres.Fragment;

/** Fragments one after another; an empty list is empty SQL (a bare [] would be a parameter). */
export function seq(sql: Sql, parts: readonly Fragment[]): Fragment {
  return parts.length ? sql`${parts as Fragment[]}` : sql``;
}

/** `a, b, c` from fragments (postgres.js joins an array of fragments with spaces). */
export function commaList(sql: Sql, parts: readonly Fragment[]): Fragment {
  return sql`${parts.map((part, i) => (i === 0 ? part : sql`, ${part}`))}`;
}

/** `a or b or c` (false when empty). */
export function anyOf(sql: Sql, parts: readonly Fragment[]): Fragment {
  if (parts.length === 0) return sql`false`;
  return sql`(${parts.map((part, i) => (i === 0 ? part : sql` or ${part}`))})`;
}

/** The staging column that holds a CSV column's text: named after the CSV header. */
export function stagingRef(sql: Sql, spec: ColumnSpec, alias = 's'): Fragment {
  return sql`${sql(alias)}.${sql(spec.csv)}`;
}

/**
 * The typed value of a staging column: trims what PostgreSQL would not, applies the
 * declared default to an empty (NULL) field. Text keeps its spaces.
 */
export function typedValue(sql: Sql, spec: ColumnSpec, ref: Fragment): Fragment {
  const raw = spec.default === undefined ? ref : sql`coalesce(${ref}, ${String(spec.default)})`;
  switch (spec.type) {
    case 'text':
      return sql`${raw}::text`;
    case 'enum':
      // A native enum column refuses text: cast to its type (pgType comes from the declaration).
      return spec.pgType ? sql`${raw}::text::${sql(spec.pgType)}` : sql`${raw}::text`;
    case 'text[]':
      return sql`${raw}::text[]`;
    case 'integer':
      return sql`btrim(${raw})::integer`;
    case 'numeric':
      // At the column's scale, so that stored and file values compare equal (12.5 = 12.50).
      return spec.scale === undefined ? sql`btrim(${raw})::numeric` : sql`round(btrim(${raw})::numeric, ${spec.scale}::int)`;
    case 'boolean':
      return sql`btrim(${raw})::boolean`;
    case 'timestamptz':
      return sql`btrim(${raw})::timestamptz`;
    case 'date':
      return sql`btrim(${raw})::date`;
    case 'uuid':
      return sql`btrim(${raw})::uuid`;
    case 'jsonb':
      return sql`${raw}::jsonb`;
  }
}

/** Types whose last word only PostgreSQL's input function has (calendar dates, JSON syntax). */
export const PROBED_TYPES = new Set(['timestamptz', 'date', 'jsonb', 'text[]']);

/**
 * How thorough a check is. `precise` explains every bad value. `cheap` only covers what
 * the typed INSERT would NOT refuse by itself: blank required values, extra decimals that
 * numeric(p,s) would silently round, over-long text that varchar(n) would cut, non-ISO times, enum values without a CHECK, and the
 * number, boolean and UUID spellings that PostgreSQL's input functions accept beyond ours
 * ('1e3', 'NaN', 'tru', '{…}' UUIDs, and on 16+ '1_000' and '0x1F'). On a clean file it
 * is the only check that runs, and the INSERT's own casts, lengths and constraints do
 * the rest. Any failure then falls back to the precise pass, which has the
 * last word (a cheap check may flag a value the precise one accepts, never the reverse).
 */
export type Tier = 'cheap' | 'precise';

/**
 * A reason text when the staging value breaks its column's declaration, else NULL.
 * Pure SQL (no exceptions), so one pass checks every value of every row. `present`
 * narrows "required" to rows where it applies (order lines).
 */
export function checkValue(sql: Sql, spec: ColumnSpec, ref: Fragment, present: Fragment | undefined, tier: Tier = 'precise'): Fragment {
  const trimmed = sql`btrim(${ref})`;
  const checks: Fragment[] = [];
  const cheap = tier === 'cheap';
  if (spec.required) {
    const missing = sql`(${ref} is null or ${trimmed} = '')`;
    checks.push(sql`when ${present ? sql`${present} and ${missing}` : missing} then ${present ? 'is required on an order line' : 'is required'}`);
  }
  if (spec.maxLength !== undefined) {
    // Also in the cheap tier: varchar(n) silently cuts excess trailing spaces. Bytes first,
    // as a value is never longer in characters than in bytes.
    checks.push(sql`when octet_length(${ref}) > ${spec.maxLength}::int and char_length(${ref}) > ${spec.maxLength}::int then ${`is longer than ${spec.maxLength} characters`} || ' (' || char_length(${ref}) || ')'`);
  }
  switch (spec.type) {
    case 'integer':
      if (cheap) {
        // Characters int4in may accept but we do not (1e3, 1_000, 0x1F, tabs); any other
        // misspelling with digits, signs and spaces only is an error of the INSERT itself.
        // translate() costs a fraction of a regular expression.
        checks.push(sql`when translate(${ref}, '0123456789+- ', '') <> '' then 'is not a whole number'`);
        break;
      }
      checks.push(sql`when ${trimmed} !~ ${INTEGER} then 'is not a whole number'`);
      checks.push(sql`when length(${trimmed}) > ${INTEGER_MAX_CHARS}::int or ${trimmed}::numeric not between ${INT_MIN}::numeric and ${INT_MAX}::numeric then 'is out of range for an integer'`);
      break;
    case 'numeric': {
      const scale = spec.scale ?? 0;
      const limit = '1' + '0'.repeat((spec.precision ?? 38) - scale);
      if (cheap) {
        // As for integers: NaN, Infinity, 1e3, 1_000 have letters or underscores.
        checks.push(sql`when translate(${ref}, '0123456789.+- ', '') <> '' then 'is not a number'`);
        // More characters after the point than the scale: cheap string arithmetic that may
        // also flag "12.500" or "12.50 "; the precise pass then lets those through.
        checks.push(sql`when strpos(${ref}, '.') > 0 and length(${ref}) - strpos(${ref}, '.') > ${scale}::int then 'may have too many decimal places'`);
        break;
      }
      checks.push(sql`when ${trimmed} !~ ${NUMBER} then 'is not a number (digits with an optional . and no thousands separators)'`);
      checks.push(sql`when round(${trimmed}::numeric, ${scale}::int) <> ${trimmed}::numeric then ${`has more than ${scale} decimal places`}`);
      checks.push(sql`when abs(${trimmed}::numeric) >= ${limit}::numeric then ${`is too large (at most ${limit.length - 1} digits before the decimal point)`}`);
      break;
    }
    case 'boolean':
      checks.push(sql`when lower(${trimmed}) <> all(${BOOLEAN_WORDS}::text[]) then 'is not a boolean (true/false, yes/no, 1/0)'`);
      break;
    case 'uuid':
      checks.push(sql`when ${trimmed} !~ ${UUID} then 'is not a UUID'`);
      break;
    case 'date':
      checks.push(sql`when ${trimmed} !~ ${DATE} then 'is not an ISO 8601 date (YYYY-MM-DD)'`);
      break;
    case 'timestamptz':
      checks.push(sql`when ${trimmed} !~ ${TIMESTAMP} then 'is not an ISO 8601 date-time (e.g. 2024-03-15T10:30:00+05:30)'`);
      break;
    case 'enum':
      checks.push(sql`when ${ref} <> all(${[...(spec.values ?? [])]}::text[]) then ${`is not one of: ${(spec.values ?? []).join(', ')}`}`);
      break;
    case 'text':
    case 'jsonb':
    case 'text[]':
      break;
  }
  if (checks.length === 0) return sql`null::text`;
  // Empty fields pass the type checks: "required" above is the only rule about them.
  return sql`case when ${ref} is null then ${spec.required ? sql`case ${checks[0]!} end` : sql`null`} ${checks} end`;
}

/**
 * Per-row fallback for the probed types: the error text PostgreSQL's input function gives
 * (a subtransaction per value, so it only runs on columns whose bulk probe failed).
 */
export function castError(sql: Sql, spec: ColumnSpec, ref: Fragment): Fragment {
  return sql`pg_temp.tenantctl_cast_error(${spec.default === undefined ? ref : sql`coalesce(${ref}, ${String(spec.default)})`}, ${spec.type})`;
}
