import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/db/queries.js';

/**
 * A small parser for seed 003 (Prometric ERP) as its authors wrote it: a markdown document
 * whose ```sql blocks hold CREATE TABLE statements (one column or constraint per line, inline
 * CHECK / REFERENCES / UNIQUE), CREATE [UNIQUE] INDEX, views, functions and triggers. It
 * reads only that shape; it is not a SQL parser. The schema tests compare what it finds with
 * the catalog, so the expectations come from the seed itself, not from a copy of its names.
 */

export const SEED_003_PATH = join(PACKAGE_ROOT, 'test', 'profiles', 'seeds', '003_6e34f4f8dac7c4df.txt');

export interface SeedColumn {
  table: string;
  name: string;
  /** The seed's type as written, upper-cased: VARCHAR(255), DECIMAL(12,2), UUID[], … */
  type: string;
  notNull: boolean;
  /** The DEFAULT expression as written, if any. */
  default?: string;
  unique: boolean;
  references?: { table: string; onDelete: string };
  /** CHECK (col IN ('a', 'b')): the labels, the seed's stand-in for enums. */
  checkLabels?: string[];
  hasCheck: boolean;
  /** GENERATED ALWAYS AS (…) STORED. */
  generated: boolean;
}

export interface SeedIndex {
  name: string;
  table: string;
  unique: boolean;
  /** btree unless the seed says USING …. */
  method: string;
  /** The key list, lower-cased without spaces: "organization_id,workspace_id,status". */
  columns: string;
  /** Has a WHERE clause. */
  partial: boolean;
}

export interface Seed {
  tables: string[];
  columns: SeedColumn[];
  /** Table-level named constraints: CONSTRAINT uk_x UNIQUE (…). */
  namedConstraints: { table: string; name: string }[];
  indexes: SeedIndex[];
  partitions: { name: string; parent: string }[];
  views: string[];
  materializedViews: string[];
  functions: string[];
  triggers: { name: string; table: string }[];
  /** Tables that a REFERENCES clause names but no CREATE TABLE defines. */
  undefinedReferences: string[];
}

/** The ```sql blocks of the document, with `--` comments removed (the seed has no `--` inside strings). */
function sqlBlocks(markdown: string): string {
  const blocks = [...markdown.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.join('\n').replace(/--[^\n]*/g, '');
}

/** Split a CREATE TABLE body at commas outside parentheses. */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i];
    if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if (ch === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts.map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

const TABLE_CONSTRAINT = /^(CONSTRAINT|PRIMARY KEY|UNIQUE|CHECK|FOREIGN KEY)\b/i;
const TYPE = /^(\w+)\s+([A-Za-z]+(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?)/;

function parseColumn(table: string, item: string): SeedColumn {
  const [, name, type] = TYPE.exec(item)!;
  const ref = /REFERENCES (\w+)\(\w+\)(?: ON DELETE (CASCADE|SET NULL|RESTRICT|NO ACTION))?/i.exec(item);
  const inList = /CHECK \(\w+ IN \(([^)]*)\)\)/i.exec(item);
  const dflt = /\bDEFAULT ('(?:[^']|'')*'(?:::\w+)?|\((?:[^()]|\([^()]*\))*\)|[\w.]+(?:\(\))?)/i.exec(item);
  return {
    table,
    name: name!,
    type: type!.toUpperCase(),
    notNull: /\bNOT NULL\b|\bPRIMARY KEY\b/i.test(item),
    default: dflt?.[1],
    unique: /\bUNIQUE\b/i.test(item),
    references: ref ? { table: ref[1]!, onDelete: (ref[2] ?? 'NO ACTION').toUpperCase() } : undefined,
    checkLabels: inList ? [...inList[1]!.matchAll(/'([^']*)'/g)].map((m) => m[1]!) : undefined,
    hasCheck: /\bCHECK\b/i.test(item),
    generated: /\bGENERATED ALWAYS AS\b/i.test(item),
  };
}

/** Parse seed 003's text. */
export function parseSeed(markdown: string): Seed {
  const sql = sqlBlocks(markdown);
  const seed: Seed = { tables: [], columns: [], namedConstraints: [], indexes: [], partitions: [], views: [], materializedViews: [], functions: [], triggers: [], undefinedReferences: [] };
  for (const [, table, body] of sql.matchAll(/CREATE TABLE (\w+) \(([\s\S]*?)\n\);/g)) {
    seed.tables.push(table!);
    for (const item of splitTopLevel(body!)) {
      if (!TABLE_CONSTRAINT.test(item)) seed.columns.push(parseColumn(table!, item));
      else {
        const named = /^CONSTRAINT (\w+)/i.exec(item);
        if (named) seed.namedConstraints.push({ table: table!, name: named[1]! });
      }
    }
  }
  for (const [, table, column] of sql.matchAll(/ALTER TABLE (\w+) ADD COLUMN (\w+ \w+)/g)) seed.columns.push(parseColumn(table!, column!));
  for (const [, name, parent] of sql.matchAll(/CREATE TABLE (\w+) PARTITION OF (\w+)/g)) seed.partitions.push({ name: name!, parent: parent! });
  for (const [, unique, name, table, method, columns, where] of sql.matchAll(/CREATE (UNIQUE )?INDEX (\w+)\s+ON (\w+)(?: USING (\w+))? \(([^;]*?)\)\s*(WHERE [^;]*)?;/g)) {
    seed.indexes.push({ name: name!, table: table!, unique: Boolean(unique), method: (method ?? 'btree').toLowerCase(), columns: columns!.replace(/\s+/g, '').toLowerCase(), partial: Boolean(where) });
  }
  for (const [, name] of sql.matchAll(/CREATE VIEW (\w+)/g)) seed.views.push(name!);
  for (const [, name] of sql.matchAll(/CREATE MATERIALIZED VIEW (\w+)/g)) seed.materializedViews.push(name!);
  for (const [, name] of sql.matchAll(/CREATE (?:OR REPLACE )?FUNCTION (\w+)/g)) seed.functions.push(name!);
  for (const [, name, table] of sql.matchAll(/CREATE TRIGGER (\w+)\s+[\s\S]*?\bON (\w+)/g)) seed.triggers.push({ name: name!, table: table! });
  const referenced = new Set(seed.columns.flatMap((c) => (c.references ? [c.references.table] : [])));
  seed.undefinedReferences = [...referenced].filter((t) => !seed.tables.includes(t)).sort();
  return seed;
}

/** Seed 003 as shipped in test/profiles/seeds (a byte-for-byte copy of the document). */
export const loadSeed003 = (): Seed => parseSeed(readFileSync(SEED_003_PATH, 'utf8'));

/**
 * The catalog's spelling (format_type) of a seed type. The seed uses a handful of type names;
 * anything else is reported as unknown so that a new one cannot slip through unchecked.
 */
export function catalogType(seedType: string): string {
  const m = /^([A-Z]+)(?:\((\d+)(?:,\s*(\d+))?\))?(\[\])?$/.exec(seedType);
  if (!m) return `unknown:${seedType}`;
  const [, base, p, s, array] = m;
  const names: Record<string, string> = {
    UUID: 'uuid', TEXT: 'text', TIMESTAMP: 'timestamp without time zone', DATE: 'date', TIME: 'time without time zone',
    INET: 'inet', JSONB: 'jsonb', INTEGER: 'integer', BOOLEAN: 'boolean', POINT: 'point', BYTEA: 'bytea', BIGSERIAL: 'bigint',
    VARCHAR: 'character varying', DECIMAL: 'numeric',
  };
  const name = names[base!];
  if (!name) return `unknown:${seedType}`;
  const modifier = p ? `(${p}${s ? `,${s}` : ''})` : '';
  return `${name}${modifier}${array ?? ''}`;
}

/**
 * Windows-1252's bytes 0x80–0x9F (the rest of the range is Latin-1). Spelled out because
 * Node 20's TextDecoder('windows-1252') decodes these as Latin-1 control characters.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/** Text that was UTF-8 but got decoded as Windows-1252 ('ÑˆÑ‚'), decoded back ('шт'); other text unchanged. */
export function undoWindows1252(text: string): string {
  const byteOf = (ch: string): number | undefined => {
    const high = CP1252_HIGH.indexOf(ch);
    if (high >= 0) return 0x80 + high;
    const code = ch.codePointAt(0)!;
    return code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : undefined;
  };
  const bytes = [...text].map(byteOf);
  if (bytes.some((b) => b === undefined) || bytes.every((b) => b! < 0x80)) return text;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes as number[]));
  } catch {
    return text;
  }
}
