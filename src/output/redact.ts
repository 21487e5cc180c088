/**
 * Secrets never reach output. Every string that leaves the process through the output
 * module passes through `redact`, which removes credentials where they appear as
 * credentials: the password of a URL (`scheme://user:pw@`), `password=`-style pairs
 * (`PGPASSWORD=`, `"password": "…"`), SQL password literals (`PASSWORD '…'`, `E'…'`,
 * `$$…$$`, `$tag$…$tag$`, also when cut short), passfile lines, and the resolved database
 * password after `user:` and before `@`. A password is never scrubbed as a bare substring:
 * with the password `demo`, the slug `demo_0002` is data and stays as it is.
 *
 * Every pattern stops at the end of a line, so a literal that is cut short (`--query-length`)
 * is redacted to the end of its line and never swallows the rows after it. The output module
 * also redacts each value on its own (table cells, JSON strings), where "the end" is the end
 * of that value.
 */
const secrets = new Set<string>();

/** Remember the database password, so that it is scrubbed where it appears as `user:password@`. */
export function registerSecret(secret: string | undefined | null): void {
  if (secret && secret.length >= 3) secrets.add(secret);
}

/**
 * Where a URL's password ends: at the first `@` that a host follows (a name, an address or
 * `[v6]`, an optional port, then the path, the query, a separator or the end). Not at the first
 * `@` nor at a `/`: a password typed without %-encoding (`p@ss:w/rd`, a base64 one with `/`) is
 * hidden whole, and a later `@` in the query (`?mail=a@b`) is not taken for it.
 */
const AT_HOST = String.raw`@(?=(?:[A-Za-z0-9._~%-]+|\[[0-9A-Fa-f:.]+\])(?::\d+)?(?:[/?#\s"',;)>\]]|$))`;

/** A word that names a password: password, passwd, PGPASSWORD, db_password … */
const KEYWORD = String.raw`\b\w*pass(?:word|wd)\b"?`;

/** The SQL literals a password can be written as, each ending at its close or at the end of the line. */
const LITERAL = [
  String.raw`[eE]'(?:[^'\\\n]|\\[^\n]|'')*(?:'|$)`, // E'it\'s' (backslash escapes)
  String.raw`'(?:[^'\n]|'')*(?:'|$)`, // 'it''s'
  String.raw`\$(?<tag>[A-Za-z_][A-Za-z0-9_]*)?\$(?:(?!\$\k<tag>\$)[^\n])*(?:\$\k<tag>\$|$)`, // $$…$$, $tag$…$tag$
  String.raw`"(?:[^"\\\n]|\\[^\n])*(?:"|$)`, // "…" (JSON, YAML, conninfo)
].join('|');

/** `'***'`, or `"***"` where the secret was double-quoted (so that JSON stays JSON). */
const hidden = (_match: string, prefix: string, literal: string): string => `${prefix}${literal.startsWith('"') ? '"***"' : "'***'"}`;

const PATTERNS: readonly [RegExp, string | ((match: string, prefix: string, literal: string) => string)][] = [
  // A URL's password: postgresql://user:pw@host, https://user:pw@… (to the `@` before the host: AT_HOST)
  [new RegExp(String.raw`(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)\S*?${AT_HOST}`, 'gi'), '$1***@'],
  // …and in a PostgreSQL URL missing its slashes: postgresql:/user:pw@host, postgres:user:pw@host.
  [new RegExp(String.raw`(\bpostgres(?:ql)?:\/?[^:/@\s]*:)\S*?${AT_HOST}`, 'gi'), '$1***@'],
  // A password literal after its keyword: PASSWORD 'x', password = E'x', "password": "x".
  [new RegExp(String.raw`(${KEYWORD}\s*(?:[=:]\s*)?)(${LITERAL})`, 'gim'), hidden],
  // An unquoted value: password=x, PGPASSWORD=x, password: x (ends at a space, quote or separator).
  [new RegExp(String.raw`(${KEYWORD}\s*[=:]\s*)[^\s'"\\&;,]+`, 'gi'), '$1***'],
  // A passfile line: host:port:database:user:password.
  [/^([^:\s]+:(?:\d+|\*):[^:\s]+:[^:\s]+:)\S+$/gm, '$1***'],
];

/** Scrub credentials from any text (see the module comment for what counts as one). */
export function redact(text: string): string {
  // Every pattern needs a ':' (URL, passfile line, `user:password@`, `password: x`) or the
  // keyword (`pass…`): text with neither has nothing to scrub. Most values are like that
  // (names, numbers, ids), and JSON output redacts each one (1,000 tenant-size rows: ~90 ms
  // of the command through the regular expressions, ~1 ms through this test).
  if (!text.includes(':') && !/pass/i.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement as string);
  for (const secret of secrets) out = out.split(`:${secret}@`).join(':***@');
  return out;
}
