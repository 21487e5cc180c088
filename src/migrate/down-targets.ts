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
 * `İndex`, not `i̇ndex`). A name read otherwise than the server reads it finds no table, and
 * its rows would be counted as none. The server also cuts a name to 63 bytes in the database's
 * encoding (40 ä are 80 bytes in UTF-8 but 40 in LATIN1): down-impact.ts has the server cut the
 * names before it looks them up.
 */
const ident = (t: Token | undefined): string | undefined => (t?.kind === 'word' ? (t.quoted ? t.text : t.text.replace(/[A-Z]+/g, (w) => w.toLowerCase())) : undefined);

/** `IF EXISTS` at i: how many tokens to skip. */
const ifExists = (tokens: Token[], i: number): number => (keyword(tokens[i]) === 'IF' && keyword(tokens[i + 1]) === 'EXISTS' ? 2 : 0);

/** A table as a statement names it; schema undefined when unqualified (search_path decides). */
export interface TableName {
  schema?: string;
  name: string;
}

/** `name` or `schema.name` at i, and the index after it. */
function tableName(tokens: Token[], i: number): { table: TableName; next: number } | undefined {
  const first = ident(tokens[i]);
  if (!first) return undefined;
  if (tokens[i + 1]?.text === '.' && ident(tokens[i + 2])) return { table: { schema: first, name: ident(tokens[i + 2])! }, next: i + 3 };
  return { table: { name: first }, next: i + 1 };
}

/** A comma-separated list of `name` or `schema.name` from i (a trailing `*` of TRUNCATE is skipped). */
function nameList(tokens: Token[], start: number): { names: TableName[]; next: number } {
  const names: TableName[] = [];
  let i = start;
  while (i < tokens.length) {
    if (keyword(tokens[i]) === 'ONLY') i += 1;
    const read = tableName(tokens, i);
    if (!read) break;
    names.push(read.table);
    i = read.next;
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

/** An `INSERT … SELECT` that copies every row of one table into another. */
export interface FullCopy {
  into: TableName;
  source: TableName;
  /** The columns it selects, or '*' (all of them): a column left out loses its values. */
  columns: string[] | '*';
  /** The columns it inserts into, when the INSERT names them. */
  intoColumns?: string[];
}

/** Words that read as a column but are values of their own (`select current_date from t`). */
const VALUE_KEYWORDS = new Set(['CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'CURRENT_USER', 'CURRENT_ROLE', 'CURRENT_CATALOG', 'CURRENT_SCHEMA', 'SESSION_USER', 'SYSTEM_USER', 'USER', 'LOCALTIME', 'LOCALTIMESTAMP', 'NULL', 'TRUE', 'FALSE', 'DEFAULT', 'FROM']);

/** The select list from i up to FROM: plain column references (`c`, `t.c`, `*`, `t.*`) alone. */
function selectList(tokens: Token[], start: number): { columns: string[] | '*'; next: number } | undefined {
  const columns: string[] = [];
  let star = false;
  let i = start;
  for (;;) {
    if (tokens[i]?.kind === 'punct' && tokens[i]!.text === '*') (star = true), (i += 1);
    else {
      if (!ident(tokens[i]) || VALUE_KEYWORDS.has(keyword(tokens[i]))) return undefined;
      let column = ident(tokens[i])!;
      i += 1;
      while (tokens[i]?.text === '.' && tokens[i]!.kind === 'punct') {
        if (tokens[i + 1]?.kind === 'punct' && tokens[i + 1]!.text === '*') {
          star = true;
          column = '';
          i += 2;
          break;
        }
        if (!ident(tokens[i + 1])) return undefined;
        column = ident(tokens[i + 1])!;
        i += 2;
      }
      if (column) columns.push(column);
    }
    if (keyword(tokens[i]) === 'FROM') return { columns: star ? '*' : columns, next: i + 1 };
    if (tokens[i]?.text !== ',' || tokens[i]!.kind !== 'punct') return undefined;
    i += 1;
  }
}

/**
 * `INSERT INTO t [(columns)] [OVERRIDING SYSTEM VALUE] SELECT <columns> FROM s [[AS] alias]`
 * and nothing else: every row of s goes into t, as a down section that rebuilds a table (a
 * partitioning revert) copies it before dropping it. Anything that may leave rows or values
 * behind makes it no full copy: WHERE, JOIN, LIMIT, GROUP BY, DISTINCT, UNION, ON CONFLICT,
 * an expression or function call (an aggregate, a window), a subquery, TABLESAMPLE, ONLY,
 * OVERRIDING USER VALUE. Pure.
 */
export function fullCopy(statement: string): FullCopy | undefined {
  const tokens = tokenize(statement);
  if (keyword(tokens[0]) !== 'INSERT' || keyword(tokens[1]) !== 'INTO') return undefined;
  const into = tableName(tokens, 2);
  if (!into) return undefined;
  let i = into.next;
  let intoColumns: string[] | undefined;
  if (tokens[i]?.kind === 'punct' && tokens[i]!.text === '(') {
    const close = tokens.findIndex((t, j) => j > i && t.kind === 'punct' && t.text === ')');
    if (close === -1 || tokens.slice(i + 1, close).some((t) => t.kind !== 'word' && t.text !== ',')) return undefined;
    intoColumns = tokens.slice(i + 1, close).filter((t) => t.kind === 'word').map((t) => ident(t)!);
    i = close + 1;
  }
  if (keyword(tokens[i]) === 'OVERRIDING') {
    if (keyword(tokens[i + 1]) !== 'SYSTEM' || keyword(tokens[i + 2]) !== 'VALUE') return undefined;
    i += 3;
  }
  if (keyword(tokens[i]) !== 'SELECT') return undefined;
  const list = selectList(tokens, keyword(tokens[i + 1]) === 'ALL' ? i + 2 : i + 1);
  if (!list || keyword(tokens[list.next]) === 'ONLY') return undefined;
  const source = tableName(tokens, list.next);
  if (!source) return undefined;
  // `[AS] alias`, then the end: a WHERE, JOIN, LIMIT or ON CONFLICT after it may leave rows behind.
  let end = source.next + (keyword(tokens[source.next]) === 'AS' ? 1 : 0);
  if (ident(tokens[end])) end += 1;
  return end === tokens.length ? { into: into.table, source: source.table, columns: list.columns, ...(intoColumns ? { intoColumns } : {}) } : undefined;
}

/**
 * The table a `CREATE [UNLOGGED] TABLE t …` makes, one that outlives the transaction and starts
 * with no trigger or rule of its own; undefined for a TEMP table, IF NOT EXISTS (an older table
 * may be kept), PARTITION OF (it takes its parent's triggers) and any other statement. Pure.
 */
export function tableCreated(statement: string): TableName | undefined {
  const tokens = tokenize(statement);
  if (keyword(tokens[0]) !== 'CREATE') return undefined;
  const i = keyword(tokens[1]) === 'UNLOGGED' ? 2 : 1;
  if (keyword(tokens[i]) !== 'TABLE' || keyword(tokens[i + 1]) === 'IF') return undefined;
  const read = tableName(tokens, i + 1);
  if (!read || read.table.schema?.startsWith('pg_temp')) return undefined;
  return tokens.some((t, j) => keyword(t) === 'PARTITION' && keyword(tokens[j + 1]) === 'OF') ? undefined : read.table;
}

/** `CREATE [UNLOGGED] TABLE t (LIKE s [INCLUDING …])` and no other column: s, whose columns t has, with their types, in order. Pure. */
export function tableLike(statement: string): TableName | undefined {
  const tokens = tokenize(statement);
  const open = tokens.findIndex((t) => t.kind === 'punct' && t.text === '(');
  if (!tableCreated(statement) || open === -1 || keyword(tokens[open + 1]) !== 'LIKE') return undefined;
  const like = tableName(tokens, open + 2);
  if (!like) return undefined;
  let i = like.next;
  while (keyword(tokens[i]) === 'INCLUDING' || keyword(tokens[i]) === 'EXCLUDING') i += 2;
  return tokens[i]?.kind === 'punct' && tokens[i]!.text === ')' ? like.table : undefined;
}

/** The table a CREATE TRIGGER or CREATE RULE attaches to (either may drop an inserted row). Pure. */
export function tableHooked(statement: string): TableName | undefined {
  const tokens = tokenize(statement);
  if (keyword(tokens[0]) !== 'CREATE') return undefined;
  const kind = tokens.slice(1, 5).map(keyword).find((w) => w === 'TRIGGER' || w === 'RULE');
  if (!kind) return undefined;
  const on = tokens.findIndex((t) => keyword(t) === (kind === 'RULE' ? 'TO' : 'ON'));
  return on === -1 ? undefined : tableName(tokens, on + 1)?.table;
}

/** `ALTER TABLE [IF EXISTS] [ONLY] t RENAME TO n`: the old name and the new (same schema). Pure. */
export function tableRenamed(statement: string): { from: TableName; to: string } | undefined {
  const tokens = tokenize(statement);
  if (keyword(tokens[0]) !== 'ALTER' || keyword(tokens[1]) !== 'TABLE') return undefined;
  let i = 2 + ifExists(tokens, 2);
  if (keyword(tokens[i]) === 'ONLY') i += 1;
  const read = tableName(tokens, i);
  if (!read || keyword(tokens[read.next]) !== 'RENAME' || keyword(tokens[read.next + 1]) !== 'TO' || !ident(tokens[read.next + 2])) return undefined;
  return { from: read.table, to: ident(tokens[read.next + 2])! };
}

/** `ALTER TABLE [IF EXISTS] [ONLY] t RENAME [COLUMN] a TO b`: the table and the column's old and new names. Pure. */
export function columnRenamed(statement: string): { table: TableName; from: string; to: string } | undefined {
  const tokens = tokenize(statement);
  if (keyword(tokens[0]) !== 'ALTER' || keyword(tokens[1]) !== 'TABLE') return undefined;
  let i = 2 + ifExists(tokens, 2);
  if (keyword(tokens[i]) === 'ONLY') i += 1;
  const read = tableName(tokens, i);
  if (!read || keyword(tokens[read.next]) !== 'RENAME') return undefined;
  let j = read.next + 1;
  if (keyword(tokens[j]) === 'COLUMN') j += 1;
  if (keyword(tokens[j]) === 'TO' || keyword(tokens[j]) === 'CONSTRAINT' || !ident(tokens[j]) || keyword(tokens[j + 1]) !== 'TO' || !ident(tokens[j + 2])) return undefined;
  return { table: read.table, from: ident(tokens[j])!, to: ident(tokens[j + 2])! };
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
