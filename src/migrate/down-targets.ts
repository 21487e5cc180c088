import { keyword, tokenize, type Token } from './lint.js';

/** Something a statement destroys data in: a table (dropped or emptied), a whole schema, or one column. */
export interface DestroyTarget {
  action: 'drop table' | 'truncate' | 'drop schema' | 'drop column' | 'delete';
  /** The schema named in the statement; undefined when the name is unqualified (search_path decides). */
  schema?: string;
  /** The table, or for `drop schema` the schema. */
  name: string;
  column?: string;
}

/**
 * An identifier as PostgreSQL reads it: "Quoted" keeps its case; unquoted folds A-Z alone to
 * lower case (downcase_identifier in a UTF-8 database: `Ärger` stays `Ärger`, `İndex` is
 * `İndex`, not `i̇ndex`); either is cut to its first 63 bytes (NAMEDATALEN - 1) on a character
 * boundary. A name read otherwise than the server reads it finds no table, and its rows would
 * be counted as none.
 */
const ident = (t: Token | undefined): string | undefined => (t?.kind === 'word' ? truncated(t.quoted ? t.text : t.text.replace(/[A-Z]+/g, (w) => w.toLowerCase())) : undefined);

const MAX_NAME_BYTES = 63;

function truncated(name: string): string {
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  let kept = '';
  for (const ch of name) {
    if (Buffer.byteLength(kept + ch) > MAX_NAME_BYTES) break;
    kept += ch;
  }
  return kept;
}

/** `IF EXISTS` at i: how many tokens to skip. */
const ifExists = (tokens: Token[], i: number): number => (keyword(tokens[i]) === 'IF' && keyword(tokens[i + 1]) === 'EXISTS' ? 2 : 0);

/** A comma-separated list of `name` or `schema.name` from i (a trailing `*` of TRUNCATE is skipped). */
function nameList(tokens: Token[], start: number): { names: { schema?: string; name: string }[]; next: number } {
  const names: { schema?: string; name: string }[] = [];
  let i = start;
  while (i < tokens.length) {
    if (keyword(tokens[i]) === 'ONLY') i += 1;
    const first = ident(tokens[i]);
    if (!first) break;
    if (tokens[i + 1]?.text === '.' && ident(tokens[i + 2])) {
      names.push({ schema: first, name: ident(tokens[i + 2])! });
      i += 3;
    } else {
      names.push({ name: first });
      i += 1;
    }
    if (tokens[i]?.text === '*') i += 1;
    if (tokens[i]?.text !== ',') break;
    i += 1;
  }
  return { names, next: i };
}

/** `ALTER TABLE t DROP [COLUMN] [IF EXISTS] c, …`: the columns dropped (not constraints, defaults or NOT NULL). */
function droppedColumns(tokens: Token[], start: number): string[] {
  const columns: string[] = [];
  let depth = 0;
  let actionStart = true;
  for (let i = start; i < tokens.length; i += 1) {
    const t = tokens[i]!;
    if (t.text === '(' && t.kind === 'punct') depth += 1;
    else if (t.text === ')' && t.kind === 'punct') depth -= 1;
    if (depth === 0 && actionStart && keyword(t) === 'DROP') {
      let j = i + 1;
      if (keyword(tokens[j]) === 'CONSTRAINT') continue;
      if (keyword(tokens[j]) === 'COLUMN') j += 1;
      j += ifExists(tokens, j);
      const column = ident(tokens[j]);
      if (column) columns.push(column);
    }
    actionStart = depth === 0 && t.kind === 'punct' && t.text === ',';
  }
  return columns;
}

/**
 * What one statement of a down section destroys: DROP TABLE, TRUNCATE, DROP SCHEMA,
 * ALTER TABLE … DROP COLUMN and DELETE FROM, with the names as written. Pure; other
 * statements give [].
 */
export function destroyTargets(statement: string): DestroyTarget[] {
  const tokens = tokenize(statement);
  const [a, b] = [keyword(tokens[0]), keyword(tokens[1])];
  if (a === 'DROP' && (b === 'TABLE' || b === 'SCHEMA')) {
    const { names } = nameList(tokens, 2 + ifExists(tokens, 2));
    return b === 'TABLE' ? names.map((n) => ({ action: 'drop table', ...n })) : names.map((n) => ({ action: 'drop schema', name: n.name }));
  }
  if (a === 'DELETE' && b === 'FROM') {
    // Counted as every row the table holds: a WHERE clause is not evaluated in advance, so
    // the figure is an upper bound (as the plan says), never an underestimate.
    const { names } = nameList(tokens, 2);
    return names.slice(0, 1).map((n) => ({ action: 'delete', ...n }));
  }
  if (a === 'TRUNCATE') {
    const { names } = nameList(tokens, b === 'TABLE' ? 2 : 1);
    return names.map((n) => ({ action: 'truncate', ...n }));
  }
  if (a === 'ALTER' && b === 'TABLE') {
    let i = 2 + ifExists(tokens, 2);
    if (keyword(tokens[i]) === 'ONLY') i += 1;
    const { names, next } = nameList(tokens, i);
    const table = names[0];
    if (!table) return [];
    return droppedColumns(tokens, next).map((column) => ({ action: 'drop column', ...table, column }));
  }
  return [];
}

/**
 * The tables an `INSERT INTO … SELECT … FROM t` reads: a down section that copies a table's
 * rows into a new one before dropping it (rebuilding it, as a partitioning revert does)
 * keeps them. Pure.
 */
export function copiedFrom(statement: string): { schema?: string; name: string }[] {
  const tokens = tokenize(statement);
  if (keyword(tokens[0]) !== 'INSERT') return [];
  const sources: { schema?: string; name: string }[] = [];
  tokens.forEach((t, i) => {
    if (keyword(t) === 'FROM') sources.push(...nameList(tokens, i + 1).names);
  });
  return sources;
}

/** Statements that neither remove nor rewrite stored rows (what they drop can be rebuilt from the rows). */
const KEEPS_ROWS = new Set(['CREATE', 'COMMENT', 'GRANT', 'REVOKE', 'ANALYZE', 'VACUUM', 'REINDEX', 'CLUSTER', 'LOCK', 'REFRESH', 'NOTIFY', 'SECURITY', 'SELECT', 'SET', 'RESET']);
/** DROP of these, with CASCADE, drops the columns (or tables) that use them. */
const CASCADES_INTO_DATA = new Set(['TYPE', 'DOMAIN', 'EXTENSION', 'FOREIGN', 'SERVER', 'COLLATION']);

/**
 * Why a down statement may change or destroy rows in a way measureDownImpact does not count,
 * or undefined when it is counted (destroyTargets) or keeps every row. An UPDATE, a
 * data-modifying WITH, a DO block, a column's type change or a DROP … CASCADE of a type can
 * each empty a table as surely as a DELETE: a dry run must not call such a section harmless.
 * A function called from a SELECT is beyond any reading of the text.
 */
export function unmeasuredChange(statement: string): string | undefined {
  const tokens = tokenize(statement);
  const [a, b] = [keyword(tokens[0]), keyword(tokens[1])];
  const has = (word: string) => tokens.some((t) => keyword(t) === word);
  if (!a || KEEPS_ROWS.has(a)) return undefined;
  if (a === 'INSERT') return has('CONFLICT') && has('UPDATE') ? 'INSERT … ON CONFLICT DO UPDATE rewrites rows' : undefined;
  if (a === 'DELETE' || a === 'TRUNCATE') return undefined;
  if (a === 'DROP') {
    if (b === 'TABLE' || b === 'SCHEMA') return undefined;
    if (b === 'OWNED') return 'DROP OWNED drops every table the role owns';
    return CASCADES_INTO_DATA.has(b) && has('CASCADE') ? `DROP ${b} … CASCADE drops the columns and tables that use it` : undefined;
  }
  if (a === 'ALTER') {
    if (b === 'TABLE' && has('TYPE')) return 'ALTER TABLE … TYPE rewrites the column\'s values (USING can replace them)';
    if (b === 'TYPE' && has('DROP')) return 'ALTER TYPE … DROP ATTRIBUTE drops values';
    return undefined;
  }
  if (a === 'UPDATE') return 'UPDATE changes rows';
  if (a === 'WITH') return 'a WITH query may delete or change rows';
  if (a === 'DO') return 'a DO block runs code that is not read';
  if (a === 'MERGE') return 'MERGE changes and deletes rows';
  return `${a} is not read for what it changes`;
}
