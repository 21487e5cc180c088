import { keyword, tokenize, type Token } from './lint.js';
import type { MigrationSection } from './files.js';
import type { Statement } from './split.js';

/** The CONCURRENTLY of CREATE [UNIQUE] INDEX, DROP INDEX or REINDEX [(…)] INDEX|TABLE, or undefined. */
function concurrently(tokens: Token[]): Token | undefined {
  const words = tokens.map(keyword);
  let i: number;
  if (words[0] === 'CREATE') i = words[1] === 'UNIQUE' ? 3 : 2;
  else if (words[0] === 'DROP') i = 2;
  else if (words[0] === 'REINDEX') {
    i = 1;
    if (tokens[1]?.text === '(') while (i < tokens.length && tokens[i - 1]?.text !== ')') i += 1;
    if (words[i] !== 'INDEX' && words[i] !== 'TABLE') return undefined;
    i += 1;
  } else return undefined;
  if (words[0] !== 'REINDEX' && words[i - 1] !== 'INDEX') return undefined;
  return words[i] === 'CONCURRENTLY' ? tokens[i] : undefined;
}

/**
 * A `transaction:false` section as provisioning can run it inside its one transaction, or
 * undefined. Such files exist for CREATE INDEX CONCURRENTLY and its kin, which PostgreSQL
 * refuses in a transaction block; refusing them at provisioning stopped every `tenant create`
 * once the warm pool was empty. On a schema being provisioned CONCURRENTLY buys nothing: the
 * schema is new, and no one sees it until the transaction commits. So when every statement is
 * CREATE [UNIQUE] INDEX, DROP INDEX or REINDEX INDEX|TABLE with CONCURRENTLY, the word is
 * blanked out with spaces (positions stay, so a server error still maps to file:line:column).
 * Anything else in the file (VACUUM, ALTER SYSTEM, …) keeps the refusal.
 */
export function inTransactionForm(section: MigrationSection): MigrationSection | undefined {
  let sql = section.sql;
  const statements: Statement[] = [];
  for (const statement of section.statements) {
    const word = concurrently(tokenize(statement.text));
    if (!word) return undefined;
    const blank = (text: string, at: number) => text.slice(0, at) + ' '.repeat(word.text.length) + text.slice(at + word.text.length);
    sql = blank(sql, statement.offset - section.offset + word.offset);
    statements.push({ ...statement, text: blank(statement.text, word.offset) });
  }
  return { sql, offset: section.offset, statements, transaction: true };
}
