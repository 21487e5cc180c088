import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/db/queries.js';

/**
 * A reader for seed 002 (ABParts), so the schema test compares the catalog with the seed
 * itself rather than with a hand-typed copy. It reads only this seed's shape: ```sql
 * fences holding CREATE TYPE … AS ENUM, CREATE TABLE (one column or CONSTRAINT per line),
 * CREATE INDEX … ON t(cols) [WHERE …], CREATE VIEW, ALTER TABLE … ADD CONSTRAINT … CHECK.
 * Everything else in the fences (the monitoring SELECTs, shell commands) is ignored.
 */

/** A verbatim copy of seed 002 kept with the tests, so a fresh checkout can run them. */
export const SEED_002 = join(PACKAGE_ROOT, 'test', 'profiles', 'seeds', '002_64276ea4300ed011.txt');

export interface SeedColumn {
  name: string;
  /** The type as `format_type()` prints it (`character varying(255)`, `numeric(10,3)`, an enum name …). */
  type: string;
  notNull: boolean;
  primaryKey: boolean;
  unique: boolean;
  /** The DEFAULT expression as written, lower-cased (`now()`, `'active'`, `0`). */
  default?: string;
  references?: { table: string; column: string };
}

export interface SeedTable {
  name: string;
  columns: SeedColumn[];
  /** Named table constraints (`CONSTRAINT _org_warehouse_name_uc UNIQUE (organization_id, name)`). */
  uniques: { name: string; columns: string[] }[];
}

export interface SeedIndex {
  name: string;
  table: string;
  columns: string[];
  where?: string;
}

export interface Seed {
  tables: SeedTable[];
  enums: { name: string; labels: string[] }[];
  indexes: SeedIndex[];
  views: string[];
  checks: { name: string; table: string }[];
}

/** Seed type spelling → `format_type()` spelling. Enum names pass through. */
function catalogType(seedType: string): string {
  const t = seedType.toUpperCase().replace(/\s+/g, ' ');
  const sized = /^(VARCHAR|DECIMAL)\((\d+(?:,\d+)?)\)$/.exec(t);
  if (sized) return `${sized[1] === 'VARCHAR' ? 'character varying' : 'numeric'}(${sized[2]})`;
  const plain: Record<string, string> = {
    UUID: 'uuid',
    TEXT: 'text',
    'TEXT[]': 'text[]',
    BOOLEAN: 'boolean',
    INTEGER: 'integer',
    'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone',
  };
  return plain[t] ?? seedType.toLowerCase();
}

const COLUMN = /^(\w+)\s+(TIMESTAMP WITH TIME ZONE|VARCHAR\(\d+\)|DECIMAL\(\d+,\d+\)|TEXT\[\]|\w+)(.*)$/i;

function parseColumn(line: string): SeedColumn {
  const m = COLUMN.exec(line);
  if (!m) throw new Error(`seed 002: cannot read column line "${line}"`);
  const rest = m[3]!;
  const def = /DEFAULT\s+('[^']*'|\w+\(\)|\w+)/i.exec(rest);
  const ref = /REFERENCES\s+(\w+)\s*\((\w+)\)/i.exec(rest);
  return {
    name: m[1]!.toLowerCase(),
    type: catalogType(m[2]!),
    notNull: /NOT NULL|PRIMARY KEY/i.test(rest),
    primaryKey: /PRIMARY KEY/i.test(rest),
    unique: /\bUNIQUE\b/i.test(rest),
    ...(def ? { default: def[1]!.toLowerCase() } : {}),
    ...(ref ? { references: { table: ref[1]!.toLowerCase(), column: ref[2]!.toLowerCase() } } : {}),
  };
}

/** Split a CREATE TABLE body on the commas between its items (none of this seed's items nest commas except inside parentheses). */
function tableItems(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of body) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      items.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) items.push(current.trim());
  return items.map((i) => i.replace(/\s+/g, ' ')).filter(Boolean);
}

function parseTable(name: string, body: string): SeedTable {
  const table: SeedTable = { name: name.toLowerCase(), columns: [], uniques: [] };
  for (const item of tableItems(body)) {
    const constraint = /^CONSTRAINT (\w+) UNIQUE \(([^)]*)\)$/i.exec(item);
    if (constraint) table.uniques.push({ name: constraint[1]!, columns: constraint[2]!.split(',').map((c) => c.trim()) });
    else if (/^CONSTRAINT /i.test(item)) throw new Error(`seed 002: unexpected table constraint "${item}"`);
    else table.columns.push(parseColumn(item));
  }
  return table;
}

/** Parse seed 002's SQL fences. Pure. */
export function parseSeed002(text: string): Seed {
  const seed: Seed = { tables: [], enums: [], indexes: [], views: [], checks: [] };
  const fences = [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const code = fences.join('\n').replace(/--[^\n]*/g, '');
  for (const raw of code.split(';')) {
    const s = raw.trim().replace(/\s+/g, ' ');
    let m: RegExpExecArray | null;
    if ((m = /^CREATE TABLE (\w+) \((.*)\)$/i.exec(s))) seed.tables.push(parseTable(m[1]!, m[2]!));
    else if ((m = /^CREATE TYPE (\w+) AS ENUM \((.*)\)$/i.exec(s))) {
      seed.enums.push({ name: m[1]!, labels: [...m[2]!.matchAll(/'([^']*)'/g)].map((l) => l[1]!) });
    } else if ((m = /^CREATE INDEX (\w+) ON (\w+) ?\(([^)]*)\)(?: WHERE (.*))?$/i.exec(s))) {
      seed.indexes.push({ name: m[1]!, table: m[2]!, columns: m[3]!.split(',').map((c) => c.trim()), ...(m[4] ? { where: m[4] } : {}) });
    } else if ((m = /^CREATE VIEW (\w+) AS /i.exec(s))) seed.views.push(m[1]!);
    else if ((m = /^ALTER TABLE (\w+) ADD CONSTRAINT (\w+) CHECK /i.exec(s))) seed.checks.push({ name: m[2]!, table: m[1]! });
  }
  return seed;
}

/** Read and parse seed 002 from disk. */
export async function readSeed002(path = SEED_002): Promise<Seed> {
  return parseSeed002(await readFile(path, 'utf8'));
}
