import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { keptCopies, type KeptCopy } from './down-copies.js';
import { columnRenamed, destroyTargets, tableRenamed, unmeasuredChange, type DestroyTarget } from './down-targets.js';
import type { Migration } from './files.js';
import type { Plan, SchemaPlan } from './plan.js';
import { ident, qualifiedIdent } from '../db/ident.js';

/** Rows that one down section would destroy in one table of one schema. */
export interface DataLoss {
  schema: string;
  slug?: string;
  table: string;
  /** Set for `drop column`: the column whose values are lost (rows = its non-null values). */
  column?: string;
  action: DestroyTarget['action'];
  rows: number;
  /** The migration file whose down section does it. */
  file: string;
}

/** What a `migrate down` plan would destroy, measured before anything runs. */
export interface DownImpact {
  /** Every table (or column) that holds rows now, per schema. */
  losses: DataLoss[];
  rows: number;
  /** Schemas with at least one row to lose. */
  schemas: number;
  /** Statements whose effect on rows is not measured (an UPDATE, a DO block, …): each may destroy data. */
  unmeasured: UnmeasuredStatement[];
  /** Tables dropped or emptied after a copy of every row into another table: they lose nothing. */
  copied: CopiedTable[];
}

/** A table the down sections copy in full (into `into`, as written) before dropping or emptying it. */
export interface CopiedTable {
  schema: string;
  slug?: string;
  table: string;
  into: string;
  file: string;
}

/** A down statement that may change or destroy rows, once per file and statement. */
export interface UnmeasuredStatement {
  file: string;
  /** The statement's first line, cut to 100 characters. */
  statement: string;
  why: string;
}

type Catalog = Map<string, Map<string, Set<string>>>;

async function readCatalog(sql: Sql, schemas: string[]): Promise<Catalog> {
  const rows = await query<{ schema_name: string; table_name: string; columns: string[] }>(sql, 'migrate/tables-in-schemas', [schemas]);
  const catalog: Catalog = new Map();
  for (const r of rows) {
    const tables = catalog.get(r.schema_name) ?? new Map<string, Set<string>>();
    tables.set(r.table_name, new Set(r.columns));
    catalog.set(r.schema_name, tables);
  }
  return catalog;
}

/** Tenant schemas see public too (as migrations run): an unqualified name is the first match. */
const searchPath = (plan: SchemaPlan): string[] => (plan.scope === 'shared' ? ['public'] : [plan.schema, 'public']);

/** The tables (schema, table, column) a target reaches in this catalog. */
function resolve(target: DestroyTarget, plan: SchemaPlan, catalog: Catalog): { schema: string; table: string; column?: string }[] {
  if (target.action === 'drop schema') return [...(catalog.get(target.name)?.keys() ?? [])].map((table) => ({ schema: target.name, table }));
  const schema = target.schema ?? searchPath(plan).find((s) => catalog.get(s)?.has(target.name));
  const columns = schema ? catalog.get(schema)?.get(target.name) : undefined;
  if (!schema || !columns) return [];
  if (target.action === 'drop column') return target.column && columns.has(target.column) ? [{ schema, table: target.name, column: target.column }] : [];
  return [{ schema, table: target.name }];
}

async function countLoss(sql: Sql, where: { schema: string; table: string; column?: string }): Promise<number> {
  const table = qualifiedIdent(sql, where.schema, where.table);
  const [row] = where.column
    ? await sql`select count(*)::bigint as n from ${table} where ${ident(sql, where.column)} is not null`
    : await sql`select count(*)::bigint as n from ${table}`;
  return Number((row as { n: string }).n);
}

/** A schema plan's down statements in the order they run, each with its file and what it destroys. */
interface DownStatement {
  migration: Migration;
  text: string;
  targets: DestroyTarget[];
}

/**
 * One schema's losses: each table counted once, under the first statement (in run order) that
 * destroys it; a table copied in full before (keptCopies, and every column of it selected) is
 * rebuilt, not lost, from that copy on.
 */
async function schemaLosses(sql: Sql, plan: SchemaPlan, catalog: Catalog, down: DownStatement[], copies: KeptCopy[]): Promise<{ losses: DataLoss[]; copied: CopiedTable[] }> {
  const copiedAt = new Map<string, KeptCopy>();
  for (const kept of copies) {
    const [where] = resolve({ action: 'drop table', ...kept.copy.source }, plan, catalog);
    const columns = where && catalog.get(where.schema)?.get(where.table);
    const every = kept.copy.columns === '*' || [...(columns ?? [])].every((c) => kept.copy.columns.includes(c));
    const key = where && `${where.schema}.${where.table}`;
    if (key && every && !copiedAt.has(key)) copiedAt.set(key, kept);
  }
  const seen = new Set<string>();
  const losses: DataLoss[] = [];
  const copied: CopiedTable[] = [];
  const renames = new Renames();
  for (const [at, { migration, text, targets }] of down.entries()) {
    for (const target of targets.map((t) => renames.original(t))) {
      for (const where of resolve(target, plan, catalog)) {
        const key = `${where.schema}.${where.table}`;
        const copy = copiedAt.get(key);
        if (!where.column && copy && copy.at < at) {
          if (!copied.some((c) => `${c.schema}.${c.table}` === key)) copied.push({ schema: where.schema, slug: plan.slug, table: where.table, into: [copy.copy.into.schema, copy.copy.into.name].filter(Boolean).join('.'), file: migration.path });
          continue;
        }
        if (seen.has(key) || seen.has(`${key}.${where.column ?? ''}`)) continue;
        seen.add(where.column ? `${key}.${where.column}` : key);
        const rows = await countLoss(sql, where);
        if (rows > 0) losses.push({ schema: where.schema, slug: plan.slug, table: where.table, column: where.column, action: target.action, rows, file: migration.path });
      }
    }
    renames.note(text);
  }
  return { losses, copied };
}

/**
 * The names the down statements gave by ALTER TABLE … RENAME, back to the ones the catalog has
 * now: `rename to foo_old; drop table foo_old` destroys foo's rows, and `rename column a to b;
 * drop column b` a's values. Without it the new name finds no table, and the rows count as none.
 * A table is known by its name alone (as keptCopies knows it), a column by its table's name in
 * the catalog and its own.
 */
class Renames {
  private readonly tables = new Map<string, { schema?: string; name: string }>();
  private readonly columns = new Map<string, string>();

  /** The target as the catalog names it now. */
  original(target: DestroyTarget): DestroyTarget {
    if (target.action === 'drop schema') return target;
    const table = this.tables.get(target.name);
    const named = table ? { ...target, name: table.name, schema: target.schema ?? table.schema } : target;
    const column = named.column && this.columns.get(`${named.name}\0${named.column}`);
    return column ? { ...named, column } : named;
  }

  /** Learn the renames of one statement, run after the ones before it. */
  note(statement: string): void {
    const table = tableRenamed(statement);
    if (table) {
      const was = this.tables.get(table.from.name) ?? { schema: table.from.schema, name: table.from.name };
      this.tables.set(table.to, was);
    }
    const column = columnRenamed(statement);
    if (column) {
      const on = this.tables.get(column.table.name)?.name ?? column.table.name;
      this.columns.set(`${on}\0${column.to}`, this.columns.get(`${on}\0${column.from}`) ?? column.from);
    }
  }
}

/**
 * Measure what a `migrate down` plan would destroy: parse every down section for DROP
 * TABLE, TRUNCATE, DROP SCHEMA, DROP COLUMN and DELETE, resolve the names as the migration
 * would (tenant schema, then public), and count the rows there now (non-null values for a
 * column). A table first copied in full into another is listed as copied, not counted.
 * Statements that may change rows otherwise (UPDATE, DO, …) are listed as unmeasured.
 * Read-only. Schemas are measured a few at a time.
 */
export async function measureDownImpact(sql: Sql, plan: Plan): Promise<DownImpact> {
  const schemaPlans = [...plan.tenants, ...(plan.shared?.migrations.length ? [plan.shared] : [])];
  // Tenant schemas at one version share their down statements: each list is read once.
  const read = new Map<string, { down: DownStatement[]; copies: KeptCopy[] }>();
  const readDown = (p: SchemaPlan): { down: DownStatement[]; copies: KeptCopy[] } => {
    const key = p.migrations.map((m) => m.path).join('\n');
    if (!read.has(key)) {
      const down = p.migrations.flatMap((migration) => (migration.down?.statements ?? []).map((s) => ({ migration, text: s.text, targets: destroyTargets(s.text) })));
      read.set(key, { down, copies: keptCopies(down.map((s) => s.text)) });
    }
    return read.get(key)!;
  };
  await cutNames(sql, schemaPlans.map(readDown));
  const named = schemaPlans.flatMap((p) => readDown(p).down.flatMap((s) => s.targets.map((t) => (t.action === 'drop schema' ? t.name : t.schema)).filter((n): n is string => Boolean(n))));
  const catalog = await readCatalog(sql, [...new Set([...schemaPlans.flatMap(searchPath), ...named])]);
  const all: { losses: DataLoss[]; copied: CopiedTable[] }[] = [];
  // Four at a time: enough to overlap round trips, few enough to leave the pool to others.
  for (let i = 0; i < schemaPlans.length; i += 4) {
    all.push(...(await Promise.all(schemaPlans.slice(i, i + 4).map((p) => schemaLosses(sql, p, catalog, readDown(p).down, readDown(p).copies)))));
  }
  // A shared table reached from every tenant's section (an unqualified name found in public) counts once.
  const once = <T extends { schema: string; table: string; column?: string }>(list: T[]): T[] => {
    const seen = new Set<string>();
    return list.filter((l) => {
      const key = `${l.schema}.${l.table}.${l.column ?? ''}`;
      return !seen.has(key) && Boolean(seen.add(key));
    });
  };
  const losses = once(all.flatMap((a) => a.losses));
  return {
    losses,
    rows: losses.reduce((n, l) => n + l.rows, 0),
    schemas: new Set(losses.map((l) => l.schema)).size,
    unmeasured: unmeasuredStatements(schemaPlans),
    copied: once(all.flatMap((a) => a.copied)),
  };
}

/**
 * Cut every name the statements use as the server cuts an identifier: to 63 bytes in the
 * database's encoding, on a character boundary (a cast to `name` does exactly that). Done on the
 * server because the byte count depends on the encoding: 40 ä are 80 bytes in UTF-8 and a name
 * of 63, but 40 bytes in LATIN1 and no cut at all. A name cut otherwise finds no table, and its
 * rows would be counted as none. Rewrites the targets and copies in place (each list once).
 */
async function cutNames(sql: Sql, lists: { down: DownStatement[]; copies: KeptCopy[] }[]): Promise<void> {
  const unique = [...new Set(lists)];
  const names = new Set<string>();
  mapNames(unique, (n) => (names.add(n), n));
  // At most 15 characters fit in 63 bytes in every server encoding (4 bytes a character at most): no cut.
  const long = [...names].filter((n) => [...n].length > 15);
  if (!long.length) return;
  const rows = await query<{ given: string; cut: string }>(sql, 'migrate/cut-names', [long]);
  const cut = new Map(rows.map((r) => [r.given, r.cut]));
  mapNames(unique, (n) => cut.get(n) ?? n);
}

/** Replace every name the statements use (their targets' and copies' schemas, tables and columns) by `f` of it. */
function mapNames(lists: { down: DownStatement[]; copies: KeptCopy[] }[], f: (name: string) => string): void {
  const table = (t: { schema?: string; name: string; column?: string }): void => {
    t.name = f(t.name);
    if (t.schema !== undefined) t.schema = f(t.schema);
    if (t.column !== undefined) t.column = f(t.column);
  };
  for (const l of lists) {
    for (const s of l.down) s.targets.forEach(table);
    for (const { copy } of l.copies) {
      table(copy.into);
      table(copy.source);
      if (copy.columns !== '*') copy.columns = copy.columns.map(f);
      if (copy.intoColumns) copy.intoColumns = copy.intoColumns.map(f);
    }
  }
}

/** The down statements of the plan whose effect is not measured, each file once (tenant schemas share files). */
function unmeasuredStatements(schemaPlans: SchemaPlan[]): UnmeasuredStatement[] {
  const files = new Map(schemaPlans.flatMap((p) => p.migrations).map((m) => [m.path, m]));
  return [...files.values()].flatMap((m) =>
    (m.down?.statements ?? []).flatMap((s) => {
      const why = unmeasuredChange(s.text);
      return why ? [{ file: m.path, statement: s.text.trim().split('\n')[0]!.slice(0, 100), why }] : [];
    }),
  );
}
