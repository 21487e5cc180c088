/**
 * A small reader for the shape of seed 000 (IMSOP, MySQL dialect): CREATE TABLE statements
 * inside ``` fences of a document, one column or table-level clause per comma, some of
 * them wrapped over lines (and one table split over two fences). It reads only what the
 * schema test compares with the catalog; it is not a MySQL parser.
 */

export interface SeedColumn {
  name: string;
  /** MySQL type as written, upper-cased, without its ENUM labels: VARCHAR(255), DECIMAL(3,2), ENUM. */
  type: string;
  enumLabels?: string[];
  notNull: boolean;
  primaryKey: boolean;
  unique: boolean;
  /** The DEFAULT expression as written, if any. */
  defaultValue?: string;
  generated: boolean;
  onUpdateCurrentTimestamp: boolean;
}

export interface SeedIndex {
  name: string;
  columns: string[];
}

export interface SeedForeignKey {
  column: string;
  refTable: string;
  refColumn: string;
  /** ON DELETE action as written, or 'NO ACTION' (MySQL's and PostgreSQL's default). */
  onDelete: string;
}

export interface SeedTable {
  name: string;
  columns: SeedColumn[];
  indexes: SeedIndex[];
  uniqueKeys: SeedIndex[];
  foreignKeys: SeedForeignKey[];
}

export interface SeedSchema {
  tables: SeedTable[];
  /** The prose's "Composite Indexes" list: `- (a, b) for …`. */
  compositeIndexes: string[][];
}

const names = (list: string): string[] => list.split(',').map((c) => c.trim());

/** Split a table body on commas that are not inside parentheses or quotes. */
function topLevelItems(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth += 1;
    else if (!quoted && ch === ')') depth -= 1;
    else if (!quoted && depth === 0 && ch === ',') {
      items.push(body.slice(start, i));
      start = i + 1;
    }
  }
  items.push(body.slice(start));
  return items.map((s) => s.trim()).filter(Boolean);
}

function parseColumn(item: string): SeedColumn {
  const match = /^(\w+)\s+(ENUM\s*\(([^)]*)\)|\w+(?:\s*\([\d,\s]+\))?)(.*)$/i.exec(item);
  if (!match) throw new Error(`seed column not understood: ${item}`);
  const [, name, rawType, labels, rest] = match as unknown as [string, string, string, string | undefined, string];
  const type = labels !== undefined ? 'ENUM' : rawType.toUpperCase().replace(/\s+/g, '');
  const defaultMatch = /\bDEFAULT\s+('[^']*'|[\w.()]+)/i.exec(rest);
  return {
    name,
    type,
    enumLabels: labels?.split(',').map((l) => l.trim().replace(/^'|'$/g, '')),
    notNull: /\bNOT\s+NULL\b/i.test(rest),
    primaryKey: /\bPRIMARY\s+KEY\b/i.test(rest),
    unique: /\bUNIQUE\b/i.test(rest),
    defaultValue: defaultMatch?.[1],
    generated: /\bGENERATED\s+ALWAYS\b/i.test(rest),
    onUpdateCurrentTimestamp: /\bON\s+UPDATE\s+CURRENT_TIMESTAMP\b/i.test(rest),
  };
}

function parseTable(name: string, body: string): SeedTable {
  const table: SeedTable = { name, columns: [], indexes: [], uniqueKeys: [], foreignKeys: [] };
  for (const item of topLevelItems(body)) {
    let m: RegExpExecArray | null;
    if ((m = /^UNIQUE\s+KEY\s+(\w+)\s*\(([^)]+)\)$/i.exec(item))) table.uniqueKeys.push({ name: m[1]!, columns: names(m[2]!) });
    else if ((m = /^INDEX\s+(\w+)\s*\(([^)]+)\)$/i.exec(item))) table.indexes.push({ name: m[1]!, columns: names(m[2]!) });
    else if ((m = /^FOREIGN\s+KEY\s*\((\w+)\)\s*REFERENCES\s+(\w+)\s*\((\w+)\)(?:\s+ON\s+DELETE\s+(CASCADE|SET\s+NULL|RESTRICT|NO\s+ACTION))?$/i.exec(item))) {
      table.foreignKeys.push({ column: m[1]!, refTable: m[2]!, refColumn: m[3]!, onDelete: (m[4] ?? 'NO ACTION').toUpperCase().replace(/\s+/g, ' ') });
    } else table.columns.push(parseColumn(item));
  }
  return table;
}

/** Read the seed document. Throws on anything inside a CREATE TABLE it does not understand. */
export function parseMysqlSeed(text: string): SeedSchema {
  // Fences and the blank lines between a split table's two halves carry no meaning here.
  const code = text.replace(/^```.*$/gm, ' ').replace(/\s+/g, ' ');
  const tables: SeedTable[] = [];
  const start = /CREATE TABLE (\w+) \(/g;
  let m: RegExpExecArray | null;
  while ((m = start.exec(code))) {
    let depth = 1;
    let i = start.lastIndex;
    for (; i < code.length && depth > 0; i += 1) {
      if (code[i] === '(') depth += 1;
      else if (code[i] === ')') depth -= 1;
    }
    tables.push(parseTable(m[1]!, code.slice(start.lastIndex, i - 1)));
    start.lastIndex = i;
  }
  const compositeIndexes = [...text.matchAll(/^\s*-\s*\(([\w\s,]+)\)\s+for\b/gm)].map((c) => names(c[1]!));
  return { tables, compositeIndexes };
}
