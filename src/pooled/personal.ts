import type { Sql } from '../db/connect.js';
import { seq, type Fragment } from '../csv/sql-parts.js';
import { columnOf, type Catalog } from './catalog.js';
import { caseless, folded, type Fold } from './fold.js';
import type { PersonalDataColumn, PooledDeclarations } from './declarations.js';
import { namePattern } from './names.js';
import { col, notOwned, owned, tableRef, type Scope } from './scope.js';

/**
 * Personal data outside the foreign keys: the tenant's people's e-mails and the tenant's
 * ids copied into text, JSON or array columns (declared per profile; a free-text column
 * nobody declared is not searched, and the plan says so). Everything is computed inside
 * PostgreSQL: the e-mails and ids never travel to tenantctl.
 */

/** What replaces a scrubbed value inside a text. */
export const SCRUBBED = '[erased]';

/** `\\\1`: regexp_replace's "a backslash, then the matched character". */
export const ESCAPE_REPLACEMENT = '\\\\\\1';

/**
 * An identifier that cannot be an ordinary word: an e-mail (`@`), or a username with a digit,
 * dot, underscore or hyphen (`kff.admin`, `olav_b`, `user42`). Usernames are matched in free
 * text as whole words, so a username that is a plain word (`admin`, `support`, `anna`) would
 * match every other tenant's prose that uses the word ("first admin of Beta Farms") and the
 * scrub would rewrite text that never named the person. Dictionary words never hold these
 * characters; usernames that people make up usually do. The plain-word ones are not searched
 * in free text (the plan and the receipt list them); rows keyed to the person by id are
 * handled by the foreign keys as before. Same reasoning as names.ts's MIN_NAME_LENGTH.
 */
export const NOT_A_WORD = '[@0-9._-]';

/**
 * The erased people's e-mails and other identifiers (usernames), case-folded (fold.ts), that can be
 * searched for in text (see NOT_A_WORD): every one of the tenant's people that no person who
 * stays (another tenant's user with the same value) still has.
 */
export function erasedEmails(s: Scope, decl: PooledDeclarations): Fragment {
  return s.sql`select q.e from (${erasedIdentifiers(s, decl)}) q where q.e ~ ${NOT_A_WORD}`;
}

/** The erased identifiers that could be ordinary words: not searched in free text (listed by the plan). */
export function ordinaryWordIdentifiers(s: Scope, decl: PooledDeclarations): Fragment {
  return s.sql`select q.e from (${erasedIdentifiers(s, decl)}) q where q.e !~ ${NOT_A_WORD}`;
}

function erasedIdentifiers(s: Scope, decl: PooledDeclarations): Fragment {
  const people = decl.people ?? [];
  if (!people.length) return s.sql`select null::text as e where false`;
  const kept = (e: Fragment) => people.map((p, i) => {
    const k = `pk${i}`;
    const one = s.sql`exists (select 1 from ${tableRef(s, p.table)} ${s.sql(k)} where ${folded(s.sql, s.fold, s.sql`btrim(${col(s, k, p.emailColumn)}::text)`)} = ${e} and ${notOwned(s, p.table, k)})`;
    return i === 0 ? one : s.sql` or ${one}`;
  });
  const sources = people.map((p, i) => {
    const a = `pe${i}`;
    // Trimmed: an address typed with a space around it is the same person's (the post-scan finds it so).
    const e = folded(s.sql, s.fold, s.sql`btrim(${col(s, a, p.emailColumn)}::text)`);
    const one = s.sql`select ${e} as e from ${tableRef(s, p.table)} ${s.sql(a)} where ${owned(s, p.table, a)} and ${col(s, a, p.emailColumn)} is not null and not (${kept(e)})`;
    return i === 0 ? one : s.sql` union ${one}`;
  });
  return s.sql`${sources}`;
}

/**
 * An e-mail address inside text (lower-cased), wide: any character an address's local part may
 * hold (RFC 5322 atext, dots, and letters beyond ASCII), then a domain. Wide on purpose: the token
 * may carry text that touches the address ("email=alice@…", "'alice@…'", "…acme.test.Call back"),
 * and holdsEmail tries the address inside it, so that an erased address is found however the
 * text sets it off, and whatever characters an address the tool accepted holds (jo&bo@…).
 */
// The escapes are read by PostgreSQL's regular expressions, so that the pattern is plain ASCII
// whatever the database's encoding.
/**
 * Letters and digits beyond ASCII, as ranges that leave out Unicode's spaces and punctuation:
 * Latin-1's (no-break space, « », ¡ ¿, × ÷), General Punctuation (em dash, “ ” ‘ ’, zero-width
 * and other spaces), Supplemental Punctuation, CJK punctuation (。 、 「 」 and the ideographic
 * space), the compatibility and small forms, the byte-order mark and the full-width ASCII
 * punctuation (： ＠ ＜). Those set an address off as their ASCII kin do: "Contact:<no-break
 * space>alice@…", "—alice@…" and "連絡先：alice@…" hold alice@…. Not by character class
 * ([[:alpha:]]): that follows the database's locale, and under C it knows no letter beyond ASCII.
 */
const LETTERS_BEYOND_ASCII = '\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u1fff\\u2070-\\u209f\\u2100-\\u214f\\u2c00-\\u2dff\\u2e80-\\u2fff\\u3040-\\ufe2f\\ufe70-\\ufefe\\uff10-\\uff19\\uff21-\\uff3a\\uff41-\\uff5a\\uff66-\\uffef';
const EMAIL_TOKEN = `[a-z0-9!#$%&'*+/=?^_\`{|}~.${LETTERS_BEYOND_ASCII}-]+@[a-z0-9${LETTERS_BEYOND_ASCII}-]+(?:\\.[a-z0-9${LETTERS_BEYOND_ASCII}-]+)+`;

/**
 * A character an address's local part commonly holds: letters and digits (those beyond ASCII
 * too), `.`, `_`, `+`, `%`, `-`. An erased address right after one is the tail of another
 * person's mailbox (`x.alice@…`, `bob+alice@…`, `mr-alice@…`, `jo_alice@…`), not the address:
 * matching it would rewrite another tenant's data.
 * Lower-case: holdsEmail reads the folded text (fold.ts); the scrub's pattern is applied case-insensitively.
 */
const LOCAL_PART_CHAR = `[a-z0-9._+%${LETTERS_BEYOND_ASCII}-]`;

/** A letter or digit (those beyond ASCII too). */
const LETTER_OR_DIGIT = `[a-z0-9${LETTERS_BEYOND_ASCII}]`;

/**
 * The rest of RFC 5322 atext but `=`: punctuation an address may hold inside (`o'neil@…`,
 * `bob&neil@…`, both accepted by tenantctl's isEmail) as well as text around an address may set
 * it off with (`'neil@…'`, `x='neil@…`, `{neil@…`). Right after a letter or digit it is inside
 * another person's local part (`o'neil@…` is not neil@…); after anything else it sets the
 * address off. `=` always sets an address off (`email=neil@…`), and so does every character
 * outside atext (start of text, space, quotes, `<`, `(`, `:`, `;`, `,`, …): `mailto:neil@…`.
 */
const ATEXT_PUNCT = "[!#$&'*/?^`{|}~]";

/**
 * The text holds one of the erased e-mails `values` (folded as `fold` folds the text): each e-mail token of the text
 * (EMAIL_TOKEN), and each address inside it (its local part whole, or from just after any
 * character that sets an address off, see LOCAL_PART_CHAR and ATEXT_PUNCT; substr(…, 0, 1) is
 * '', the start of the token, which sets it off; its domain up to any dot or hyphen),
 * looked up in the value set. The token starts after a character outside it, which sets it off.
 */
export function holdsEmail(sql: Sql, text: Fragment, values: Fragment, fold: Fold): Fragment {
  return sql`(${caseless(sql, fold, text)} ~* ${EMAIL_TOKEN} and exists (
    select 1
    from regexp_matches(regexp_replace(${folded(sql, fold, text)}, ${JSON_ESCAPE}, ' ', 'g'), ${EMAIL_TOKEN}, 'g') m
    cross join lateral (select split_part(m[1], '@', 1) as local, substr(m[1], strpos(m[1], '@') + 1) as dom) x
    cross join lateral (select x.local as part union all
                        select substr(x.local, i + 1) from generate_series(1, length(x.local) - 1) i
                        where substr(x.local, i, 1) !~ ${LOCAL_PART_CHAR} and (substr(x.local, i, 1) = '=' or substr(x.local, i - 1, 1) !~ ${LETTER_OR_DIGIT})) l
    cross join lateral (select x.dom as part union all
                        select left(x.dom, j - 1) from generate_series(2, length(x.dom)) j where substr(x.dom, j, 1) in ('.', '-')) d
    where l.part || '@' || d.part in (${values})))`;
}

/** A uuid inside text (lower-cased). */
// Bounded by hex digits: `<id>ff` is another token, not the id; `user-<id>` and `<id>.json` hold it.
export const UUID_TOKEN = '(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])';

/** A key (uuid, number) found in text only as a whole token: `12` never inside `123`, a uuid never with more hex run on. */
const KEY_BEFORE = '(?<![0-9a-z])(?:';
const KEY_AFTER = ')(?![0-9a-z])';

/**
 * The text holds one of `values` as a token of the given shape: the text is read once, its
 * tokens looked up in the (hashed) value set, however many values there are. A regular
 * expression of every value would cost in proportion to their number on every row.
 */
export function holdsToken(sql: Sql, text: Fragment, token: string, values: Fragment): Fragment {
  // The plain match first: most rows hold no such token, and a boolean match is far cheaper than extracting.
  return sql`(${text} ~* ${token} and exists (select 1 from regexp_matches(lower(${text}), ${token}, 'g') m where m[1] in (${values})))`;
}

/**
 * An escape in a JSON string's text: \n, \t, \r, \b, \f, or \u followed by four hex digits
 * (`\u003c` is Go's `<`). A json or jsonb value read as text holds its strings so: a newline
 * before an address is "…\nalice@…" there, and a letter (the n) before the address would make
 * it another mailbox. An escape sets an address off as the character it stands for would:
 * holdsEmail reads the text with each escape as a space, and the scrub's lookbehind takes one.
 */
const JSON_ESCAPE = '\\\\(?:[bfnrt]|u[0-9a-f]{4})';

/**
 * Set off on the left as holdsEmail finds an address: after a JSON escape (JSON_ESCAPE), or not
 * after LOCAL_PART_CHAR, nor after ATEXT_PUNCT that follows a letter or digit.
 */
const EMAIL_BEFORE = `(?:(?<=${JSON_ESCAPE})|(?<!${LOCAL_PART_CHAR})(?<!${LETTER_OR_DIGIT}${ATEXT_PUNCT}))(?:`;
/**
 * Not right before a letter or digit: where holdsEmail ends an address (EMAIL_TOKEN's domain
 * stops at any other character, and is tried up to each dot or hyphen). A word bound would leave
 * `alice@acme.test_old` in place although holdsEmail finds it, and the post-scan would then
 * report, after the commit, what the erasure was to scrub.
 */
const EMAIL_AFTER = `)(?!${LETTER_OR_DIGIT})`;

/**
 * An identifier that is not an e-mail (a username, `kff.admin`), found in text as the post-scan
 * finds it (post-scan.ts): set off on the left as an e-mail is (IDENTIFIER_BEFORE, EMAIL_BEFORE's
 * rule: `bob-kff.admin` is the tail of another name), and followed by no word character ("ann"
 * never inside "annex") nor `@`: `kff.admin@other.test` is the local part of another person's
 * address, at another domain.
 */
export const IDENTIFIER_BEFORE = EMAIL_BEFORE;
export const IDENTIFIER_AFTER = ')(?![[:alnum:]_@])';

/**
 * A regular expression (alternation) matching any of the erased people's e-mails and other
 * identifiers, NULL when there are none. E-mails where holdsEmail finds them: set off on the
 * left (EMAIL_BEFORE; `x.alice@…` is another mailbox) and ending where holdsEmail ends them
 * (EMAIL_AFTER); the other identifiers between IDENTIFIER_BEFORE and IDENTIFIER_AFTER.
 */
function emailPattern(s: Scope, decl: PooledDeclarations, only: 'all' | 'not-email' = 'all'): Fragment {
  // Every character but letters and digits escaped: a value is matched literally.
  const alternation = (before: string, after: string, which: Fragment) =>
    s.sql`(select ${before} || string_agg(regexp_replace(q.e, '([^a-z0-9])', ${ESCAPE_REPLACEMENT}, 'g'), '|') || ${after} from (${erasedEmails(s, decl)}) q where ${which})`;
  const others = alternation(IDENTIFIER_BEFORE, IDENTIFIER_AFTER, s.sql`q.e not like '%@%'`);
  if (only === 'not-email') return others;
  // concat_ws skips the NULL of an empty set; both empty is '', which would match everywhere.
  return s.sql`nullif(concat_ws('|', ${alternation(EMAIL_BEFORE, EMAIL_AFTER, s.sql`q.e like '%@%'`)}, ${others}), '')`;
}

/** The erased keys of `of` as text (for `holds: 'ids'`). */
function erasedIds(s: Scope, catalog: Catalog, of: string): Fragment {
  const key = catalog.tables.find((t) => t.name === of)?.primaryKey[0] ?? 'id';
  return s.sql`select lower(${col(s, 'ix', key)}::text) from ${tableRef(s, of)} ix where ${owned(s, of, 'ix')}`;
}

/** The regular expression of what the column may hold. */
function pattern(s: Scope, decl: PooledDeclarations, catalog: Catalog, pd: PersonalDataColumn): Fragment {
  if (pd.holds === 'emails') return emailPattern(s, decl);
  if (pd.holds === 'names') return namePattern(s, decl);
  if (pd.holds === 'tenant-id') return s.sql`(${KEY_BEFORE} || ${s.tenantId}::text || ${KEY_AFTER})`;
  if (pd.holds === 'tenant-handle') {
    const r = decl.registry;
    return s.sql`(select regexp_replace(${folded(s.sql, s.fold, s.sql`h.${s.sql(r.handle)}::text`)}, '([^a-z0-9])', ${ESCAPE_REPLACEMENT}, 'g') from ${tableRef(s, r.table)} h where h.${s.sql(r.key)}::text = ${s.tenantId})`;
  }
  return s.sql`(select ${KEY_BEFORE} || string_agg(q.k, '|') || ${KEY_AFTER} from (${erasedIds(s, catalog, pd.of ?? decl.registry.table)}) q(k))`;
}

const keyIsUuid = (catalog: Catalog, table: string) => {
  const t = catalog.tables.find((x) => x.name === table);
  return t?.columns.find((c) => c.name === (t.primaryKey[0] ?? 'id'))?.type === 'uuid';
};

/** Array types whose elements are text: searched and scrubbed as text, element by element. */
const TEXT_ARRAYS = new Set(['_text', '_varchar', '_bpchar', '_citext', '_name']);

/** Whether an array column's elements are text (a `text[]` of tags), not keys (a `uuid[]` of ids). */
export const isTextArray = (type: string | undefined): boolean => type !== undefined && TEXT_ARRAYS.has(type);

/** An array of keys (uuid[], int[]): its ids are taken out whole. A text array is read as text (isTextArray). */
const isArray = (catalog: Catalog, pd: PersonalDataColumn) => {
  const c = columnOf(catalog, pd.table, pd.column);
  return c?.category === 'A' && !isTextArray(c.type);
};

/** Free text holding an erased e-mail, found by token. */
const holdsEmails = (s: Scope, decl: PooledDeclarations, ref: Fragment): Fragment =>
  holdsEmail(s.sql, s.sql`${ref}::text`, s.sql`select q.e from (${erasedEmails(s, decl)}) q`, s.fold);

/** Free text holding an erased identifier that is not an e-mail (a username): their own, usually short, alternation. */
const holdsUsernames = (s: Scope, decl: PooledDeclarations, ref: Fragment): Fragment =>
  s.sql`${caseless(s.sql, s.fold, s.sql`${ref}::text`)} ~* ${emailPattern(s, decl, 'not-email')}`;

/** The condition "this row's column holds the tenant's personal data", under alias `t`. */
export function personalMatch(s: Scope, decl: PooledDeclarations, catalog: Catalog, pd: PersonalDataColumn): Fragment {
  const ref = col(s, 't', pd.column);
  if (isArray(catalog, pd) && pd.holds === 'ids') {
    return s.sql`exists (select 1 from unnest(${ref}) e where lower(e::text) in (${erasedIds(s, catalog, pd.of ?? decl.registry.table)}))`;
  }
  if (pd.holds === 'ids' && pd.action === 'nullify') return s.sql`lower(${ref}::text) in (${erasedIds(s, catalog, pd.of ?? decl.registry.table)})`;
  // A whole-value column (an e-mail column, not text mentioning one): equality, not a substring.
  if (pd.holds === 'emails' && pd.action === 'delete') return s.sql`${folded(s.sql, s.fold, s.sql`btrim(${ref}::text)`)} in (select q.e from (${erasedEmails(s, decl)}) q)`;
  if (pd.holds === 'emails') return s.sql`(${holdsEmails(s, decl, ref)} or ${holdsUsernames(s, decl, ref)})`;
  if (pd.holds === 'ids' && keyIsUuid(catalog, pd.of ?? decl.registry.table)) return holdsToken(s.sql, s.sql`${ref}::text`, UUID_TOKEN, erasedIds(s, catalog, pd.of ?? decl.registry.table));
  return s.sql`${caseless(s.sql, s.fold, s.sql`${ref}::text`)} ~* ${pattern(s, decl, catalog, pd)}`;
}

/** The column's new value: NULL, or its text with every match replaced (cast back to json/jsonb), or the array without the ids. */
function scrubbedValue(s: Scope, decl: PooledDeclarations, catalog: Catalog, pd: PersonalDataColumn): Fragment {
  const ref = col(s, 't', pd.column);
  if (pd.action === 'nullify') return pd.replaceWith === undefined ? s.sql`null` : s.sql`${pd.replaceWith}`;
  if (isArray(catalog, pd)) {
    return s.sql`array(select e from unnest(${ref}) e where lower(e::text) not in (${erasedIds(s, catalog, pd.of ?? decl.registry.table)}))`;
  }
  const type = columnOf(catalog, pd.table, pd.column)?.type;
  // A text array: each element equal to or holding a match keeps its place, with the match replaced.
  if (isTextArray(type)) return s.sql`array(select regexp_replace(${caseless(s.sql, s.fold, s.sql`u.e`)}, ${pattern(s, decl, catalog, pd)}, ${SCRUBBED}, 'gi') from unnest(${ref}) with ordinality u(e, n) order by u.n)`;
  const replaced = s.sql`regexp_replace(${caseless(s.sql, s.fold, s.sql`${ref}::text`)}, ${pattern(s, decl, catalog, pd)}, ${SCRUBBED}, 'gi')`;
  return type === 'jsonb' ? s.sql`${replaced}::jsonb` : type === 'json' ? s.sql`${replaced}::json` : replaced;
}

/**
 * How many rows outside the erasure hold the tenant's personal data in this column (`n`); for
 * free text searched for e-mails, also how many hold a username (`u`), in the same pass: the
 * dry run says "usernames" where no e-mail was found.
 */
export function countPersonal(s: Scope, decl: PooledDeclarations, catalog: Catalog, pd: PersonalDataColumn): Fragment {
  const text = pd.holds === 'emails' && pd.action !== 'delete';
  const usernames = text ? s.sql`, count(*) filter (where ${holdsUsernames(s, decl, col(s, 't', pd.column))})::bigint as u, count(*) filter (where ${holdsEmails(s, decl, col(s, 't', pd.column))})::bigint as e` : s.sql``;
  return s.sql`select count(*)::bigint as n${usernames} from ${tableRef(s, pd.table)} t where ${personalMatch(s, decl, catalog, pd)} and ${notOwned(s, pd.table, 't')}`;
}

/** Scrub, nullify or delete in the rows outside the erasure (the tenant's own rows are deleted anyway). */
export function scrubPersonal(s: Scope, decl: PooledDeclarations, catalog: Catalog, pd: PersonalDataColumn): Fragment {
  if (pd.action === 'delete') return s.sql`delete from ${tableRef(s, pd.table)} t where ${personalMatch(s, decl, catalog, pd)} and ${notOwned(s, pd.table, 't')}`;
  const along = pd.alongside;
  const alongside = (along?.columns ?? []).map((c) => s.sql`, ${s.sql(c)} = case when t.${s.sql(along!.whereNull)} is null then null else t.${s.sql(c)} end`);
  return s.sql`update ${tableRef(s, pd.table)} t set ${s.sql(pd.column)} = ${scrubbedValue(s, decl, catalog, pd)}${seq(s.sql, alongside)} where ${personalMatch(s, decl, catalog, pd)} and ${notOwned(s, pd.table, 't')}`;
}
