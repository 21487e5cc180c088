import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SOCKET_DIRS } from './socket-dirs.js';

function unescape(field: string): string {
  return field.replace(/\\(.)/g, '$1');
}

function splitLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      current += ch + line[i + 1];
      i += 1;
    } else if (ch === ':') {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  fields.push(current);
  return fields;
}

/**
 * The password for host:port:database:user from a libpq password file (`passfile` URL
 * parameter, PGPASSFILE, or ~/.pgpass), with libpq's `*` wildcards and `\:` escapes.
 */
export function lookupPgpass(file: string | undefined, target: { host: string; port: number; database: string; user: string }): string | undefined {
  const path = file ?? join(homedir(), '.pgpass');
  let text: string;
  try {
    // As libpq: a password file others may read is not used (its passwords are no secret), with a warning.
    const stat = statSync(path);
    if (!stat.isFile()) return undefined;
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      process.stderr.write(`warning: password file "${path}" has group or world access; permissions should be u=rw (0600) or less (chmod 600 ${path}). It is not used.\n`);
      return undefined;
    }
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  for (const raw of text.split(/\r?\n/)) {
    if (!raw || raw.startsWith('#')) continue;
    const fields = splitLine(raw);
    if (fields.length < 5) continue;
    const [host, port, database, user] = fields.slice(0, 4).map(unescape);
    const password = fields.slice(4).join(':');
    const matches = (pattern: string | undefined, value: string): boolean => pattern === '*' || pattern === value;
    // As libpq: "localhost" also matches a connection to the socket in the default folder.
    const hostMatches = matches(host, target.host) || (host === 'localhost' && DEFAULT_SOCKET_DIRS.includes(target.host));
    if (hostMatches && matches(port, String(target.port)) && matches(database, target.database) && matches(user, target.user)) {
      return unescape(password);
    }
  }
  return undefined;
}
