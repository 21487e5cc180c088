import { usageError } from '../errors.js';

/** PostgreSQL's reserved key words plus names that would shadow system schemas. */
const RESERVED = new Set(
  `all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column
  concurrently constraint create cross current_catalog current_date current_role current_schema current_time
  current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze from
  full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit
  localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references
  returning right select session_user similar some symmetric system_user table tablesample then to trailing true union
  unique user using variadic verbose when where window with
  public information_schema tenantctl template shared admin postgres`.split(/\s+/),
);

/** The longest slug: its schema, tenant_<slug>, must fit PostgreSQL's 63-character names. */
export const MAX_SLUG = 63 - 'tenant_'.length;
const SLUG_SHAPE = /^[a-z][a-z0-9_]*$/;

/**
 * Validate a tenant slug before any SQL runs: a-z, 0-9 and _, starting with a letter, at most
 * MAX_SLUG characters, not a reserved word, not starting with `pg_`. Throws a usage error that
 * says what is allowed.
 */
export function validateSlug(slug: string, flag = 'slug'): string {
  if (!SLUG_SHAPE.test(slug)) {
    throw usageError(`Invalid ${flag} ${JSON.stringify(slug)}: a slug is 1–${MAX_SLUG} characters of a-z, 0-9 and _, starting with a letter.`, 'Example: acme or acme_eu. Upper case, spaces, dashes and punctuation are not allowed.', { slug });
  }
  if (slug.length > MAX_SLUG) {
    throw usageError(`Invalid ${flag} "${slug}": it is ${slug.length} characters; a slug is at most ${MAX_SLUG}, so that its schema tenant_<slug> fits PostgreSQL's 63-character names.`, `Shorten it to ${MAX_SLUG} characters or fewer.`, { slug });
  }
  if (RESERVED.has(slug) || slug.startsWith('pg_')) {
    throw usageError(`Invalid ${flag} "${slug}": it is a reserved word.`, 'Pick another slug, e.g. add a suffix such as _co.', { slug });
  }
  return slug;
}
