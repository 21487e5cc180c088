import type { Sql } from '../db/connect.js';
import type { Fragment } from '../csv/sql-parts.js';
import type { Classification } from './classify.js';
import type { PooledDeclarations } from './declarations.js';
import { withDetachedPartitions } from './detached.js';
import { namePatternOf, wordBounded } from './names.js';
import { caseless, folded, readFold, type Fold } from './fold.js';
import { holdsEmail, holdsToken, IDENTIFIER_AFTER, IDENTIFIER_BEFORE, UUID_TOKEN } from './personal.js';
import { withRowSecurityOff } from './session.js';
import { ident, qualifiedIdent } from '../db/ident.js';

/** A column where the tenant's id (or another erased value) was still found. */
export interface ScanHit {
  table: string;
  column: string;
  rows: number;
  /** `tenant id`, or `erased value` for the extra values (the values themselves are never reported). */
  match: 'tenant id' | 'erased value';
}

/** What the post-scan searched, how, and what it found. */
export interface PostScanResult {
  clean: boolean;
  found: ScanHit[];
  /** Hits in columns the profile declares `report` (free text kept on purpose): listed, not failing. */
  reported: ScanHit[];
  searched: { tables: number; columns: number };
  /** How each kind of column was searched, for the receipt and the user. */
  method: string[];
  /** Free-text columns that were not searched (not declared as personal data). */
  notSearched: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Target {
  table: string;
  column: string;
  type: string;
  how: 'equal' | 'contains';
  indexed: boolean;
  /** Declared to hold people's names: searched for the erased names too. */
  names?: boolean;
}

/** Free-text columns nobody declared: the scan cannot read every tenant's prose, so it says which it skipped. */
export function unsearchedColumns(cls: Classification, decl: PooledDeclarations): string[] {
  const targets = new Set(scanTargets(cls, decl).map((t) => `${t.table}.${t.column}`));
  return cls.catalog.tables.flatMap((t) => t.columns.filter((c) => c.category === 'S' && !targets.has(`${t.name}.${c.name}`)).map((c) => `${t.name}.${c.name}`));
}

/**
 * The columns that can hold the tenant's id: every foreign key to the registry and every
 * declared tenant column (equality: their tenant index answers), uuid columns without a
 * foreign key (equality; a key to another table cannot hold a registry id), and, searched as
 * text, JSON and array columns plus the declared personal-data columns.
 * `unwritten`: rows not yet written (a restore's staged copy) have not met their foreign keys,
 * so a uuid column with one can hold an erased key too.
 */
function scanTargets(cls: Classification, decl: PooledDeclarations, unwritten = false): Target[] {
  const excluded = (table: string, column: string) => (decl.scanExclude ?? []).some((x) => x.table === table && (x.column === undefined || x.column === column));
  const fkColumns = new Set(cls.catalog.foreignKeys.filter((f) => f.parent !== cls.registry.table).flatMap((f) => f.columns.map((c) => `${f.table}.${c}`)));
  const registryFks = new Set(cls.catalog.foreignKeys.filter((f) => f.parent === cls.registry.table).flatMap((f) => f.columns.map((c) => `${f.table}.${c}`)));
  registryFks.add(`${cls.registry.table}.${cls.registry.key}`);
  const personal = new Set((decl.personalData ?? []).map((p) => `${p.table}.${p.column}`));
  const names = new Set((decl.personalData ?? []).filter((p) => p.holds === 'names').map((p) => `${p.table}.${p.column}`));
  const declared = new Set((decl.tenantColumns ?? []).map((t) => `${t.table}.${t.column}`));
  const targets: Target[] = [];
  for (const t of cls.catalog.tables) {
    for (const c of t.columns) {
      const key = `${t.name}.${c.name}`;
      if (excluded(t.name, c.name)) continue;
      if (registryFks.has(key) || declared.has(key) || (c.type === 'uuid' && (unwritten || !fkColumns.has(key)))) targets.push({ table: t.name, column: c.name, type: c.type, how: 'equal', indexed: c.indexed });
      else if (personal.has(key) || c.type === 'json' || c.type === 'jsonb' || c.category === 'A') targets.push({ table: t.name, column: c.name, type: c.type, how: 'contains', indexed: false, names: names.has(key) });
    }
  }
  return targets;
}

/**
 * The JSON and array columns the post-scan reads as text for the erased values (whether declared
 * or not): the erasure scrubs each of them (catalog-scrubs.ts), so that what the scan searches
 * after the commit was rewritten before it.
 */
export function textScanned(cls: Classification, decl: PooledDeclarations): { table: string; column: string; type: string }[] {
  const isCandidate = (t: Target) => t.type === 'json' || t.type === 'jsonb' || cls.catalog.tables.find((x) => x.name === t.table)?.columns.find((c) => c.name === t.column)?.category === 'A';
  return scanTargets(cls, decl).filter((t) => t.how === 'contains' && isCandidate(t)).map((t) => ({ table: t.table, column: t.column, type: t.type }));
}

/** `a|b|c` matching any of the values literally (escaped here: the values are data, the pattern a parameter). */
const alternation = (values: string[]): string => values.map((v) => v.toLowerCase().replace(/[^a-z0-9]/g, (ch) => `\\${ch}`)).join('|');

/**
 * Keys (digits) as whole words; the other identifiers (usernames) where the erasure scrubs them
 * (personal.ts IDENTIFIER_BEFORE/AFTER): `bob-kff.admin@…` and `kff.admin@other.test` are other
 * people's addresses, left as written, so not a trace either.
 */
function valuePattern(values: string[]): string | null {
  const keys = values.filter((v) => /^[0-9]+$/.test(v));
  const identifiers = values.filter((v) => !/^[0-9]+$/.test(v));
  const parts = [...(keys.length ? [wordBounded(alternation(keys))] : []), ...(identifiers.length ? [`${IDENTIFIER_BEFORE}${alternation(identifiers)}${IDENTIFIER_AFTER}`] : [])];
  return parts.length ? parts.join('|') : null;
}

interface Check { column: string; match: ScanHit['match']; cond: Fragment }

/** The erased values, split by shape: uuids and e-mails are found as tokens, anything else by an alternation; names only where declared. */
interface Extra { uuids: string[]; emails: string[]; pattern: string | null; names: string | null; fold: Fold }

function splitExtra(values: string[], names: string[], fold: Fold): Extra {
  const uuids = values.filter((v) => UUID.test(v)).map((v) => v.toLowerCase());
  // Split as the erasure splits them (personal.ts emailPattern): an identifier with an @ is an e-mail (jo&bo@…, o'neil@… too).
  const emails = values.filter((v) => !UUID.test(v) && v.includes('@')).map((v) => v.toLowerCase());
  const rest = values.filter((v) => !UUID.test(v) && !v.includes('@'));
  return { uuids, emails, pattern: valuePattern(rest), names: namePatternOf(names), fold };
}

function textChecks(sql: Sql, t: Target, extra: Extra): Check[] {
  const text = sql`${ident(sql, t.column)}::text`;
  const checks: Check[] = [];
  const tokens = (token: string, values: string[]) => holdsToken(sql, text, token, sql`select unnest(${values}::text[])`);
  if (extra.uuids.length) checks.push({ column: t.column, match: 'erased value', cond: tokens(UUID_TOKEN, extra.uuids) });
  if (extra.emails.length) checks.push({ column: t.column, match: 'erased value', cond: holdsEmail(sql, text, sql`select unnest(${extra.emails}::text[])`, extra.fold) });
  if (extra.pattern) checks.push({ column: t.column, match: 'erased value', cond: sql`${folded(sql, extra.fold, text)} ~ ${extra.pattern}` });
  if (extra.names && t.names) checks.push({ column: t.column, match: 'erased value', cond: sql`${caseless(sql, extra.fold, text)} ~* ${extra.names}` });
  return checks;
}

function checksFor(sql: Sql, t: Target, tenantId: string, extraUuids: string[], extra: Extra): Check[] {
  const ref = ident(sql, t.column);
  const checks: Check[] = [];
  if (t.how === 'equal') {
    // Untyped parameter: PostgreSQL types it as the column, so the column's index answers.
    if (UUID.test(tenantId) || t.type !== 'uuid') checks.push({ column: t.column, match: 'tenant id', cond: sql`${ref} = ${tenantId}` });
    if (extraUuids.length && t.type === 'uuid') checks.push({ column: t.column, match: 'erased value', cond: sql`${ref} = any(${extraUuids}::uuid[])` });
  } else {
    // A uuid id as a whole token, as the erasure scrubs it (UUID_TOKEN); any other id as text.
    const id = UUID.test(tenantId) ? holdsToken(sql, sql`${ref}::text`, UUID_TOKEN, sql`select ${tenantId.toLowerCase()}::text`) : sql`strpos(lower(${ref}::text), ${tenantId.toLowerCase()}) > 0`;
    checks.push({ column: t.column, match: 'tenant id', cond: id });
    checks.push(...textChecks(sql, t, extra));
  }
  return checks;
}

/** One count per check, each its own statement: an indexed column is answered by its index. */
async function indexLookups(sql: Sql, schema: string, table: string, checks: Check[]): Promise<ScanHit[]> {
  const hits = await Promise.all(checks.map(async (c) => {
    const [row] = await sql`select count(*)::bigint as n from ${qualifiedIdent(sql, schema, table)} where ${c.cond}`;
    return { table, column: c.column, rows: Number((row as { n: string }).n), match: c.match };
  }));
  return hits.filter((h) => h.rows > 0);
}

/**
 * The other checks in ONE pass over the table (conditions OR'd, a count per check). `relation`:
 * where its rows are read, when not the table itself (a restore's staged copy of it).
 */
async function onePass(sql: Sql, schema: string, table: string, checks: Check[], relation = table): Promise<ScanHit[]> {
  if (!checks.length) return [];
  const where = checks.map((c, i) => (i === 0 ? c.cond : sql` or ${c.cond}`));
  const counts = checks.map((c, i) => (i === 0 ? sql`count(*) filter (where ${c.cond}) as ${sql(`c${i}`)}` : sql`, count(*) filter (where ${c.cond}) as ${sql(`c${i}`)}`));
  const [row] = await sql`select ${counts} from ${qualifiedIdent(sql, schema, relation)} where ${where}`;
  const r = row as Record<string, string>;
  return checks.map((c, i) => ({ table, column: c.column, rows: Number(r[`c${i}`]), match: c.match })).filter((h) => h.rows > 0);
}

/** Free text the profile keeps on purpose (`report`): hits there are listed, never a failure. */
const reportOnlyColumns = (decl: PooledDeclarations): Set<string> => new Set((decl.personalData ?? []).filter((p) => p.action === 'report').map((p) => `${p.table}.${p.column}`));

async function scanTable(sql: Sql, schema: string, table: string, targets: Target[], tenantId: string, extra: string[], names: string[], fold: Fold): Promise<ScanHit[]> {
  const split = splitExtra(extra, names, fold);
  const indexed = targets.filter((t) => t.how === 'equal' && t.indexed).flatMap((t) => checksFor(sql, t, tenantId, split.uuids, split));
  const scanned = targets.filter((t) => !(t.how === 'equal' && t.indexed)).flatMap((t) => checksFor(sql, t, tenantId, split.uuids, split));
  return [...(await indexLookups(sql, schema, table, indexed)), ...(await onePass(sql, schema, table, scanned))];
}

/**
 * Prove that no row of the pooled schema still holds the tenant's id (or, `extraValues`,
 * the erased people's ids and e-mails; `names`, their full names, in the columns declared to
 * hold names): one query per table, the conditions OR'd, with
 * row_security off. Tenant columns are compared by equality (their indexes answer); text is
 * searched only in candidate columns (JSON, arrays, declared personal data), and the result
 * lists the free-text columns it did not read. Values are never echoed in the result.
 */
export async function postScan(sql: Sql, declared: PooledDeclarations, cls: Classification, tenantId: string, extraValues: string[] = [], names: string[] = []): Promise<PostScanResult> {
  const decl = withDetachedPartitions(declared, cls.catalog);
  const targets = scanTargets(cls, decl);
  const byTable = new Map<string, Target[]>();
  for (const t of targets) byTable.set(t.table, [...(byTable.get(t.table) ?? []), t]);
  const hits = await withRowSecurityOff(sql, async (tx) => {
    const fold = await readFold(tx);
    return (await Promise.all([...byTable].map(([table, list]) => scanTable(tx, cls.schema, table, list, tenantId, extraValues, names, fold)))).flat();
  });
  const reportOnly = reportOnlyColumns(decl);
  const found = hits.filter((h) => !reportOnly.has(`${h.table}.${h.column}`));
  return {
    clean: found.length === 0,
    found,
    reported: hits.filter((h) => reportOnly.has(`${h.table}.${h.column}`)),
    searched: { tables: byTable.size, columns: targets.length },
    method: [
      `indexed tenant and uuid columns (${targets.filter((t) => t.how === 'equal' && t.indexed).length}): one index lookup each`,
      `unindexed uuid columns and JSON, array and declared personal-data columns (${targets.filter((t) => !(t.how === 'equal' && t.indexed)).length}): one pass per table, text searched for the tenant id and the erased values`,
    ],
    notSearched: unsearchedColumns(cls, decl),
  };
}

/** Rows about to be written, standing for a table of the pooled schema: `schema.name` holds them. */
export interface RowsAt {
  table: string;
  schema: string;
  name: string;
}

/**
 * Which of `relations` hold an erased value (`values`: ids and e-mails; `names`: full names,
 * searched where declared), found as postScan finds them, in the columns it reads (every uuid
 * column here: the rows have not met their foreign keys): per column, how many rows; one pass
 * per relation; free text kept on purpose (`report`) left out, as the erasure left it. The
 * values themselves are never reported.
 */
export async function erasedValuesIn(sql: Sql, cls: Classification, decl: PooledDeclarations, relations: readonly RowsAt[], values: string[], names: string[]): Promise<ScanHit[]> {
  const extra = splitExtra(values, names, await readFold(sql));
  const targets = scanTargets(cls, decl, true);
  const hits: ScanHit[] = [];
  for (const r of relations) {
    const checks = targets.filter((t) => t.table === r.table).flatMap((t): Check[] => {
      if (t.how === 'contains') return textChecks(sql, t, extra);
      return extra.uuids.length && t.type === 'uuid' ? [{ column: t.column, match: 'erased value', cond: sql`${ident(sql, t.column)} = any(${extra.uuids}::uuid[])` }] : [];
    });
    hits.push(...(await onePass(sql, r.schema, r.table, checks, r.name)));
  }
  const reportOnly = reportOnlyColumns(decl);
  // One line per column: an e-mail and a uuid in the same column are one finding.
  const merged = new Map<string, ScanHit>();
  for (const h of hits.filter((x) => !reportOnly.has(`${x.table}.${x.column}`))) {
    const key = `${h.table}.${h.column}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, rows: Math.max(seen.rows, h.rows) } : h);
  }
  return [...merged.values()];
}
