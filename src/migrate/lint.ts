import { TenantctlError } from '../errors.js';
import { lineColumn, type Statement } from './split.js';

/** A token of one statement: a word (keyword or identifier), a string literal's content, a dollar-quoted body, or punctuation. */
export interface Token {
  kind: 'word' | 'string' | 'dollar' | 'punct';
  text: string;
  /** A "quoted identifier": its case is kept; unquoted words fold to lower case. */
  quoted?: boolean;
  /** Offset in the statement's text. */
  offset: number;
}

// As PostgreSQL's scanner reads them: every character outside ASCII (a byte >= 0x80 in UTF-8)
// is a letter of a name, so `Ärger` is one word and a no-break space is part of a name, not a
// gap between two; only these six characters separate words.
const WORD = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;
const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const SPACE = /[ \t\n\r\f\v]/;
const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/** Skip a comment at `i` (line or nested block); returns where it ends, or `i` when there is none. */
function skipComment(text: string, i: number): number {
  if (text.startsWith('--', i)) {
    const end = text.indexOf('\n', i);
    return end === -1 ? text.length : end + 1;
  }
  if (!text.startsWith('/*', i)) return i;
  let depth = 1;
  let j = i + 2;
  while (j < text.length && depth > 0) {
    if (text.startsWith('/*', j)) (depth += 1), (j += 2);
    else if (text.startsWith('*/', j)) (depth -= 1), (j += 2);
    else j += 1;
  }
  return j;
}

/**
 * A quoted string or identifier at `i`; returns its content and where it ends. With `escapes`
 * (an E'…' string) a backslash escapes the next character, which is kept: decodeEscapes reads it.
 */
function readQuoted(text: string, i: number, escapes = false): { content: string; end: number } {
  const quote = text[i]!;
  let content = '';
  let j = i + 1;
  while (j < text.length) {
    if (escapes && text[j] === '\\') (content += text.slice(j, j + 2)), (j += 2);
    else if (text[j] === quote && text[j + 1] === quote) (content += quote), (j += 2);
    else if (text[j] === quote) break;
    else (content += text[j]), (j += 1);
  }
  return { content, end: j + 1 };
}

const C_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** An E'…' string's content as the server reads it (\n, \101, \x5f, \u005f, \U0000005f, \\, \'). Pure. */
function decodeEscapes(raw: string): string {
  return raw.replace(/\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([\s\S]))/g, (_m, octal?: string, hex?: string, u4?: string, u8?: string, other?: string) => {
    if (octal ?? hex) return String.fromCharCode(parseInt((octal ?? hex)!, octal ? 8 : 16) & 0xff);
    if (u4 ?? u8) return String.fromCodePoint(parseInt((u4 ?? u8)!, 16));
    return C_ESCAPES[other!] ?? other!;
  });
}

/** A U&'…' string's (or U&"…" name's) content as the server reads it: `\XXXX`, `\+XXXXXX` and a doubled escape character. Pure. */
function decodeUnicode(raw: string, escape: string): string {
  const e = escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  return raw.replace(new RegExp(`${e}(?:${e}|([0-9A-Fa-f]{4})|\\+([0-9A-Fa-f]{6}))`, 'g'), (_m, u4?: string, u6?: string) => (u4 ?? u6 ? String.fromCodePoint(parseInt((u4 ?? u6)!, 16)) : escape));
}

/** The escape character a `UESCAPE 'c'` after a U&'…' constant ending at `end` names (`\` without one), and where the constant then ends. */
function uescapeAfter(text: string, end: number): { escape: string; end: number } {
  let j = end;
  for (let next = j; ; j = next) {
    next = skipComment(text, j);
    if (next === j && /\s/.test(text[j] ?? '')) next = j + 1;
    if (next === j) break;
  }
  const clause = /UESCAPE\s*'([^']|'')'/iy;
  clause.lastIndex = j;
  const found = clause.exec(text);
  return found ? { escape: found[1] === "''" ? "'" : found[1]!, end: clause.lastIndex } : { escape: '\\', end };
}

/** The `$tag$` opening a dollar quote at `i`; `$1` and `a$b` open none. */
function dollarTagAt(text: string, i: number): string | undefined {
  if (/[A-Za-z0-9_\u0080-\uffff]/.test(text[i - 1] ?? ' ')) return undefined;
  DOLLAR_TAG.lastIndex = i;
  return DOLLAR_TAG.exec(text)?.[0];
}

/**
 * A token as a keyword: an unquoted word in upper case, else '' (a "Quoted" word is a name, never
 * a keyword). Only a-z are raised, as PostgreSQL matches keywords: `constraınt` (dotless ı) is a
 * column's name, not CONSTRAINT.
 */
export const keyword = (t: Token | undefined): string => (t?.kind === 'word' && !t.quoted ? t.text.replace(/[a-z]+/g, (w) => w.toUpperCase()) : '');

/** Tokens of one statement outside comments, in order. Quoted identifiers are words. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const afterComment = skipComment(text, i);
    if (afterComment !== i) {
      i = afterComment;
      continue;
    }
    const ch = text[i]!;
    if (SPACE.test(ch)) i += 1;
    else if (ch === "'" || ch === '"') {
      const { content, end } = readQuoted(text, i);
      tokens.push(ch === "'" ? { kind: 'string', text: content, offset: i } : { kind: 'word', text: content, offset: i, quoted: true });
      i = end;
    } else if (ch === '$' && dollarTagAt(text, i)) {
      const tag = dollarTagAt(text, i)!;
      const close = text.indexOf(tag, i + tag.length);
      tokens.push({ kind: 'dollar', text: text.slice(i + tag.length, close === -1 ? text.length : close), offset: i });
      i = close === -1 ? text.length : close + tag.length;
    } else if (WORD_START.test(ch)) {
      WORD.lastIndex = i;
      const word = WORD.exec(text)![0];
      if (/^[eE]$/.test(word) && text[i + 1] === "'") {
        // E'…': backslash escapes, decoded (E'search\x5fpath' is search_path)
        const { content, end } = readQuoted(text, i + 1, true);
        tokens.push({ kind: 'string', text: decodeEscapes(content), offset: i });
        i = end;
      } else if (/^[uU]$/.test(word) && text[i + 1] === '&' && (text[i + 2] === "'" || text[i + 2] === '"')) {
        // U&'…' and U&"…": Unicode escapes, decoded (U&'search\005fpath' is search_path)
        const { content, end } = readQuoted(text, i + 2);
        const after = uescapeAfter(text, end);
        const decoded = decodeUnicode(content, after.escape);
        tokens.push(text[i + 2] === "'" ? { kind: 'string', text: decoded, offset: i } : { kind: 'word', text: decoded, offset: i, quoted: true });
        i = after.end;
      } else {
        tokens.push({ kind: 'word', text: word, offset: i });
        i += word.length;
      }
    } else {
      tokens.push({ kind: 'punct', text: ch, offset: i });
      i += 1;
    }
  }
  return tokens;
}

/** A statement a transactional migration may not contain, and where it is in the statement. */
export interface Forbidden {
  what: 'transaction-control' | 'search-path' | 'role';
  description: string;
  offset: number;
}

const TRANSACTION_CONTROL = new Set(['BEGIN', 'COMMIT', 'ROLLBACK', 'END', 'ABORT', 'SAVEPOINT', 'RELEASE']);
// `SET ROLE x` and `SET SCHEMA 'x'` take no `=`: followed by one, `role` and `schema` are columns
// an UPDATE assigns (`update members set role = 'admin'`), not a change of role or path.
const SET_SEARCH_PATH = /\b(set|reset)\s+((session|local)\s+)?(search_path\b|schema\b(?!\s*=))/i;
const SET_ROLE = /\b(set|reset)\s+((session|local)\s+)?(role|session\s+authorization)\b(?!\s*=)/i;

/**
 * SET [SESSION|LOCAL] ROLE, RESET ROLE, SET [SESSION|LOCAL] SESSION AUTHORIZATION, RESET SESSION
 * AUTHORIZATION: the rest of the section would run with another role's rights (and own what it
 * creates), and the integrity check and bookkeeping after it too. Pure.
 */
function roleChange(words: (string | undefined)[]): string | undefined {
  const [first, ...rest] = words;
  if (first !== 'SET' && first !== 'RESET') return undefined;
  const after = rest[0] === 'SESSION' || rest[0] === 'LOCAL' ? rest.slice(1) : rest;
  if (after[0] === 'ROLE') return `${first} ROLE`;
  if (after[0] === 'SESSION' && after[1] === 'AUTHORIZATION') return `${first} SESSION AUTHORIZATION`;
  // SET SESSION AUTHORIZATION itself: SESSION is the keyword, not a modifier.
  if (rest[0] === 'SESSION' && rest[1] === 'AUTHORIZATION') return `${first} SESSION AUTHORIZATION`;
  return undefined;
}

/** Does this statement end or split the transaction, or change search_path? Pure. */
export function forbiddenIn(statement: string): Forbidden | undefined {
  const tokens = tokenize(statement);
  const words = tokens.slice(0, 4).map((t) => (t.kind === 'word' ? t.text.toUpperCase() : ''));
  const [first, second, third] = words;
  const at = tokens[0]?.offset ?? 0;
  const control = (name: string): Forbidden => ({ what: 'transaction-control', description: `transaction control (${name})`, offset: at });
  if (first && TRANSACTION_CONTROL.has(first)) return control(first);
  if (first === 'START' && second === 'TRANSACTION') return control('START TRANSACTION');
  if (first === 'PREPARE' && second === 'TRANSACTION') return control('PREPARE TRANSACTION');
  const role = roleChange(words);
  if (role) return { what: 'role', description: `a change of role (${role})`, offset: at };
  const setPath = (first === 'SET' || first === 'RESET') && [second, third].some((w) => w === 'SEARCH_PATH' || w === 'SCHEMA');
  if (setPath || (first === 'RESET' && second === 'ALL')) return { what: 'search-path', description: `a change of search_path (${tokens.slice(0, 3).map((t) => t.text).join(' ')} …)`, offset: at };
  if (first === 'SET' && second === 'SESSION') return { what: 'search-path', description: 'a session-wide setting (SET SESSION …), which outlives the migration', offset: at };
  // set_config('search_path', …) in a query, or anything of the kind inside a DO block (it runs
  // now). Routine bodies run later, when called, and CREATE FUNCTION … SET search_path is the
  // safe idiom; any other CREATE or ALTER may run a set_config now (CREATE TABLE … AS SELECT, a
  // column's DEFAULT filled in).
  if (first === 'CREATE' && (ROUTINES.has(second!) || (second === 'OR' && ROUTINES.has(words[3]!)))) return undefined;
  const called = setConfigChange(tokens, false);
  if (called) return called;
  if (first !== 'DO') return undefined;
  for (const t of tokens) {
    if (t.kind !== 'dollar' && t.kind !== 'string') continue;
    if (SET_ROLE.test(t.text)) return { what: 'role', description: 'a change of role (SET ROLE in a DO block)', offset: t.offset };
    if (SET_SEARCH_PATH.test(t.text)) return { what: 'search-path', description: 'a change of search_path (SET in a DO block)', offset: t.offset };
    const inBody = setConfigChange(tokenize(t.text), true);
    if (inBody) return { ...inBody, offset: t.offset };
  }
  return undefined;
}

const ROUTINES = new Set(['FUNCTION', 'PROCEDURE']);

/** Settings whose change the section may not make through set_config, as the SET forms above. */
const GUARDED_SETTINGS = new Map<string, Forbidden['what']>([['search_path', 'search-path'], ['role', 'role'], ['session_authorization', 'role']]);

/**
 * The setting a call of set_config at tokens[i] names: its first argument, a constant in any
 * quoting ('…', E'…', U&'…', $$…$$, $tag$…$tag$), decoded and in lower case; null when that
 * argument is not one constant ('search_' || 'path', a column, a function), so the setting cannot
 * be told; undefined when tokens[i] is not such a call. Pure.
 */
function setConfigName(tokens: Token[], i: number): string | null | undefined {
  const t = tokens[i]!;
  if (t.kind !== 'word' || t.text.toLowerCase() !== 'set_config' || tokens[i + 1]?.text !== '(') return undefined;
  const arg = tokens[i + 2];
  return arg && (arg.kind === 'string' || arg.kind === 'dollar') && tokens[i + 3]?.text === ',' ? arg.text.trim().toLowerCase() : null;
}

/**
 * The first call of set_config among the tokens that changes search_path or the role, or whose
 * setting cannot be told. `nested`: the tokens of a DO block's body, whose strings may be
 * EXECUTEd: searched too. Pure.
 */
function setConfigChange(tokens: Token[], nested: boolean): Forbidden | undefined {
  for (const [i, t] of tokens.entries()) {
    if (nested && (t.kind === 'dollar' || t.kind === 'string')) {
      const inner = setConfigChange(tokenize(t.text), true);
      if (inner) return { ...inner, offset: t.offset };
    }
    const name = setConfigName(tokens, i);
    if (name === undefined) continue;
    if (name === null) return { what: 'search-path', description: 'a set_config whose setting name is not one constant (it could be search_path or role, which cannot be told before it runs; write the name as a single literal, e.g. set_config(\'statement_timeout\', …))', offset: t.offset };
    const what = GUARDED_SETTINGS.get(name);
    if (what === 'role') return { what, description: `a change of role (set_config('${name}', …))`, offset: t.offset };
    if (what) return { what, description: 'a change of search_path (set_config)', offset: t.offset };
  }
  return undefined;
}

const LINT_CODES = { 'transaction-control': 'MIGRATION_TRANSACTION_CONTROL', 'search-path': 'MIGRATION_SEARCH_PATH', role: 'MIGRATION_ROLE_CHANGE' } as const;

function lintHint(what: Forbidden['what'], direction: 'up' | 'down'): string {
  if (what === 'search-path') return `Qualify names instead (the migration already runs with search_path set to the schema being migrated, then public). If the section truly needs its own settings, mark it "-- migrate:${direction} transaction:false".`;
  if (what === 'role') return `Run tenantctl as the role that should own the objects (--database-url with that user), or grant what the section needs; if it truly must switch roles, mark it "-- migrate:${direction} transaction:false".`;
  return `Remove the statement; if the section must control transactions itself (e.g. CREATE INDEX CONCURRENTLY), mark it "-- migrate:${direction} transaction:false".`;
}

/**
 * Refuse a transactional section that ends or splits the transaction tenantctl runs it in,
 * points search_path elsewhere (its DDL would land outside the schema being migrated
 * while the schema is recorded as migrated), or switches role (the rest would run, and be
 * checked and recorded, with another role's rights). Found when the file is loaded, before anything
 * runs; the error names file:line:column.
 */
export function lintSection(path: string, source: string, direction: 'up' | 'down', statements: Statement[]): void {
  for (const statement of statements) {
    const found = forbiddenIn(statement.text);
    if (!found) continue;
    const { line, column } = lineColumn(source, statement.offset + found.offset);
    throw new TenantctlError(LINT_CODES[found.what], `${path}:${line}:${column}: the ${direction} section runs in one transaction that tenantctl begins, checks and commits itself, so it may not contain ${found.description}.`, {
      hint: lintHint(found.what, direction),
      details: { file: path, line, column, direction, statement: statement.text.slice(0, 200) },
    });
  }
}
