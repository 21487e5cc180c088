import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';

/**
 * The working folder's `.env`. Its connection settings (DATABASE_URL, PG*) are one source
 * of their own (db/config.ts), never mixed into the environment; the rest fills gaps in it
 * (cli.ts). Kept apart from config.ts so that the CLI reads it without loading the
 * database modules.
 */
export function readDotenv(cwd: string): { path: string; vars: Record<string, string> } | undefined {
  const path = join(cwd, '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return { path, vars: parse(text) };
}

/** Is this a connection setting (kept apart when a `.env` is read)? */
export function isConnectionVar(name: string): boolean {
  return name === 'DATABASE_URL' || name.startsWith('PG');
}
