import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import type { Fragment } from '../csv/sql-parts.js';

/**
 * How e-mails and usernames are case-folded wherever an erasure, its post-scan, the restore
 * check or a person lookup compares them: one fold that does not follow the database's locale.
 * lower() and case-insensitive regular expressions follow the column's collation, so on a tr-TR
 * database lower('Irina@acme.test') is 'ırina@acme.test' (dotless ı) and the erased address was
 * not found, and under the C locale lower() folds ASCII only (IRINA.ZOË2@… stayed upper-case).
 *
 * - `icu`: lower(x COLLATE "und-x-icu"): ICU's root locale, Unicode's default case mapping,
 *   the same on every database, beyond ASCII too; case-insensitive matching under that
 *   collation uses the same mapping. Used when the collation exists and the encoding allows ICU.
 * - otherwise (a server built without ICU, or SQL_ASCII): ASCII A-Z translated to a-z first,
 *   then lower() for the rest: ASCII folds the same everywhere; letters beyond ASCII still fold
 *   as the database's locale folds them (C: not at all), the best PostgreSQL offers there.
 *
 * Decided once per run (readFold), never per row: the conditions run over whole tables.
 */
export interface Fold {
  icu: boolean;
}

/** Without ICU: ASCII folded by translate, the rest by the database's lower(). */
export const ASCII_FOLD: Fold = { icu: false };

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** This database's fold (see Fold): one catalog query. */
export async function readFold(sql: Sql): Promise<Fold> {
  const [row] = await query<{ icu: boolean }>(sql, 'pooled/icu-fold');
  return { icu: row?.icu === true };
}

/** `x` (text) case-folded. */
export const folded = (sql: Sql, fold: Fold, x: Fragment): Fragment =>
  fold.icu ? sql`lower((${x}) collate "und-x-icu")` : sql`lower(translate(${x}, ${UPPER}, ${LOWER}))`;

/**
 * The placeholder a named statement folds e-mails with (person lookups): written
 * `lower(translate(x, 'A…Z', 'a…z') {{fold.collate}})`, which is `folded` in either mode.
 */
export const foldNames = (fold: Fold): Record<string, string> => ({ 'fold.collate': fold.icu ? 'collate "und-x-icu"' : '' });

/** `x` (text) under the collation whose case-insensitive matching (~*, regexp_replace 'i') folds as `folded` does. */
export const caseless = (sql: Sql, fold: Fold, x: Fragment): Fragment =>
  fold.icu ? sql`((${x}) collate "und-x-icu")` : x;
