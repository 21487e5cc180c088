import type { Sql } from '../db/connect.js';
import type { Fragment } from '../csv/sql-parts.js';
import type { PooledDeclarations } from './declarations.js';
import { notOwned, owned, tableRef, type Scope } from './scope.js';
import { ident } from '../db/ident.js';

/**
 * People's names written into other tenants' free text ("Approved by Anna Berg"). A name is
 * looked for only as a whole full name: at least two words and MIN_NAME_LENGTH characters,
 * word-bounded, case-insensitive, any run of white space between the words. A single word
 * ("Mark", "Rose", "Will") is also an ordinary word, and a short one sits inside ordinary
 * words: scrubbing those would rewrite text that never named the person. A single-word name is
 * therefore left alone (the plan's personal-data counts show what was found).
 */
export const MIN_NAME_LENGTH = 5;

/** A letter, digit or underscore: a match may not touch one on either side (lookbehind/lookahead, PostgreSQL 9.6+). */
const WORD_CHAR = '[[:alnum:]_]';
export const BOUND_BEFORE = `(?<!${WORD_CHAR})(?:`;
export const BOUND_AFTER = `)(?!${WORD_CHAR})`;

/** `alternation` matching only as whole words: "ann" never matches inside "planned". */
export const wordBounded = (alternation: string): string => `${BOUND_BEFORE}${alternation}${BOUND_AFTER}`;

/** Regular-expression metacharacters of a name, escaped in SQL; the name is data, the pattern a parameter. */
const META = '([.^$*+?()\\[\\]{}|\\\\])';
const ESCAPED = '\\\\\\1';
const SPACES = '\\s+';

/** The same escaping in TypeScript, for the post-scan's pattern of names it already holds. */
export const namePatternOf = (names: string[]): string | null =>
  names.length ? wordBounded(names.map((n) => n.replace(/[.^$*+?()[\]{}|\\]/g, '\\$&').replace(/ /g, SPACES)).join('|')) : null;

/**
 * A person's full name from its columns (of the row aliased `alias`, or of the relation read
 * when null): lower-cased, trimmed, white space collapsed to one space.
 */
export function fullNameOf(sql: Sql, alias: string | null, columns: readonly string[]): Fragment {
  const parts = columns.map((c, i) => {
    const ref = alias === null ? ident(sql, c) : sql`${sql(alias)}.${ident(sql, c)}`;
    return i === 0 ? sql`${ref}::text` : sql`, ${ref}::text`;
  });
  return sql`lower(btrim(regexp_replace(concat_ws(' ', ${parts}), '\\s+', ' ', 'g')))`;
}

const fullName = (s: Scope, alias: string, columns: string[]): Fragment => fullNameOf(s.sql, alias, columns);

/** A full name long enough to look for (see MIN_NAME_LENGTH): two words at least. */
export const searchableName = (name: string): boolean => name.length >= MIN_NAME_LENGTH && name.includes(' ');

/**
 * The erased people's full names: every name of the tenant's people that is long enough to
 * look for (see MIN_NAME_LENGTH) and that no person who stays (another tenant's user of the
 * same name) also has: their colleagues' text about the other person stays as written.
 */
export function erasedNames(s: Scope, decl: PooledDeclarations): Fragment {
  const names = decl.names ?? [];
  if (!names.length) return s.sql`select null::text as n where false`;
  const kept = (n: Fragment) => names.map((p, i) => {
    const k = `nk${i}`;
    const one = s.sql`exists (select 1 from ${tableRef(s, p.table)} ${s.sql(k)} where ${fullName(s, k, p.columns)} = ${n} and ${notOwned(s, p.table, k)})`;
    return i === 0 ? one : s.sql` or ${one}`;
  });
  const sources = names.map((p, i) => {
    const a = `nn${i}`;
    const n = fullName(s, a, p.columns);
    const one = s.sql`select ${n} as n from ${tableRef(s, p.table)} ${s.sql(a)} where ${owned(s, p.table, a)}
      and length(${n}) >= ${MIN_NAME_LENGTH} and position(' ' in ${n}) > 0 and not (${kept(n)})`;
    return i === 0 ? one : s.sql` union ${one}`;
  });
  return s.sql`${sources}`;
}

/** A word-bounded regular expression of every erased name, NULL when there are none (then nothing matches). */
export function namePattern(s: Scope, decl: PooledDeclarations): Fragment {
  return s.sql`(select ${BOUND_BEFORE} || string_agg(replace(regexp_replace(q.n, ${META}, ${ESCAPED}, 'g'), ' ', ${SPACES}), '|') || ${BOUND_AFTER} from (${erasedNames(s, decl)}) q)`;
}
