import type { Db } from '../csv/sql-parts.js';
import type { Classification } from './classify.js';
import type { PooledDeclarations } from './declarations.js';
import { splitExtra, textChecks, type Check, type ScanHit, type Target } from './post-scan.js';

/** Rows about to be written, standing for a table of the pooled schema: `schema.name` holds them. */
export interface RowsAt {
  table: string;
  schema: string;
  name: string;
}

/**
 * The columns of `table` that can carry an erased person: every uuid column (a key of theirs,
 * foreign key or not: rows not yet written have not met the foreign keys), and the JSON, array
 * and declared personal-data columns the erasure's post-scan reads as text.
 */
function targetsOf(cls: Classification, decl: PooledDeclarations, table: string): Target[] {
  const t = cls.catalog.tables.find((x) => x.name === table);
  if (!t) return [];
  const excluded = (column: string) => (decl.scanExclude ?? []).some((x) => x.table === table && (x.column === undefined || x.column === column));
  const personal = new Set((decl.personalData ?? []).filter((p) => p.table === table).map((p) => p.column));
  const names = new Set((decl.personalData ?? []).filter((p) => p.table === table && p.holds === 'names').map((p) => p.column));
  return t.columns.flatMap((c): Target[] => {
    if (excluded(c.name)) return [];
    if (c.type === 'uuid') return [{ table, column: c.name, type: c.type, how: 'equal', indexed: false }];
    if (personal.has(c.name) || c.type === 'json' || c.type === 'jsonb' || c.category === 'A') return [{ table, column: c.name, type: c.type, how: 'contains', indexed: false, names: names.has(c.name) }];
    return [];
  });
}

/**
 * Which of `relations` hold an erased value (`values`: ids and e-mails; `names`: full names,
 * searched where declared), found as the erasure's post-scan finds them (postScan): per column,
 * how many rows. One pass per relation. The values themselves are never reported.
 */
export async function erasedValuesIn(sql: Db, cls: Classification, decl: PooledDeclarations, relations: readonly RowsAt[], values: string[], names: string[]): Promise<ScanHit[]> {
  const extra = splitExtra(values, names);
  const hits: ScanHit[] = [];
  for (const r of relations) {
    const checks: Check[] = targetsOf(cls, decl, r.table).flatMap((t) => {
      if (t.how === 'contains') return textChecks(sql, t, extra);
      return extra.uuids.length ? [{ column: t.column, match: 'erased value' as const, cond: sql`${sql(t.column)} = any(${extra.uuids}::uuid[])` }] : [];
    });
    if (!checks.length) continue;
    const where = checks.map((c, i) => (i === 0 ? c.cond : sql` or ${c.cond}`));
    const counts = checks.map((c, i) => sql`${i === 0 ? sql`` : sql`, `}count(*) filter (where ${c.cond}) as ${sql(`c${i}`)}`);
    const [row] = await sql`select ${counts} from ${sql(r.schema)}.${sql(r.name)} where ${where}`;
    const found = row as Record<string, string>;
    for (const [i, c] of checks.entries()) {
      const rows = Number(found[`c${i}`]);
      if (rows > 0) hits.push({ table: r.table, column: c.column, rows, match: c.match });
    }
  }
  // Free text the profile keeps on purpose (`report`): the erasure left it as written, so may a restore.
  const reportOnly = new Set((decl.personalData ?? []).filter((p) => p.action === 'report').map((p) => `${p.table}.${p.column}`));
  // One line per column: an e-mail and a uuid in the same column are one finding.
  const merged = new Map<string, ScanHit>();
  for (const h of hits.filter((x) => !reportOnly.has(`${x.table}.${x.column}`))) {
    const key = `${h.table}.${h.column}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, rows: Math.max(seen.rows, h.rows) } : h);
  }
  return [...merged.values()];
}
