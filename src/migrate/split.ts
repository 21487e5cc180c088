/** One SQL statement of a migration file, with where it starts in that file. */
export interface Statement {
  text: string;
  /** 0-based character offset of the statement's first character in the file. */
  offset: number;
}

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;
const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/**
 * Split SQL into statements the way psql does: semicolons end statements except inside
 * quotes, quoted identifiers, dollar-quoted bodies, comments (nested block comments too)
 * and `BEGIN ATOMIC … END` function bodies. Statements that hold only comments are dropped.
 */
export function splitStatements(sql: string, baseOffset = 0): Statement[] {
  const statements: Statement[] = [];
  let atomicDepth = 0;
  let previousWord = '';
  let hasCode = false;
  let codeStart = -1;
  let i = 0;
  const push = (end: number): void => {
    if (hasCode) statements.push({ text: sql.slice(codeStart, end).trim(), offset: baseOffset + codeStart });
    hasCode = false;
    codeStart = -1;
    previousWord = '';
  };
  const markCode = (at: number): void => {
    if (!hasCode) {
      hasCode = true;
      codeStart = at;
    }
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (ch === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < sql.length && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') (depth += 1), (i += 2);
        else if (sql[i] === '*' && sql[i + 1] === '/') (depth -= 1), (i += 2);
        else i += 1;
      }
    } else if (ch === "'" || ch === '"') {
      markCode(i);
      const escapes = ch === "'" && i > 0 && /[eE]/.test(sql[i - 1]!) && !/[A-Za-z0-9_]/.test(sql[i - 2] ?? ' ');
      i += 1;
      while (i < sql.length) {
        if (escapes && sql[i] === '\\') i += 2;
        else if (sql[i] === ch && sql[i + 1] === ch) i += 2;
        else if (sql[i] === ch) break;
        else i += 1;
      }
      i += 1;
    } else if (ch === '$') {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(sql);
      // `$1` is a parameter, and `a$b` is part of an identifier: neither opens a quote.
      if (tag && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? ' ')) {
        markCode(i);
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? sql.length : close + tag[0].length;
      } else {
        markCode(i);
        i += 1;
      }
    } else if (ch === ';' && atomicDepth === 0) {
      push(i);
      i += 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      markCode(i);
      WORD.lastIndex = i;
      const word = WORD.exec(sql)![0].toUpperCase();
      if (previousWord === 'BEGIN' && word === 'ATOMIC') atomicDepth += 1;
      else if (atomicDepth > 0 && word === 'CASE') atomicDepth += 1;
      else if (atomicDepth > 0 && word === 'END') atomicDepth -= 1;
      previousWord = word;
      i += word.length;
    } else {
      if (!/\s/.test(ch)) markCode(i);
      i += 1;
    }
  }
  push(sql.length);
  return statements;
}

/** 1-based line and column of a character offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastNewline = -1;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text[i] === '\n') {
      line += 1;
      lastNewline = i;
    }
  }
  return { line, column: offset - lastNewline };
}
