import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { copiedFrom, destroyTargets, unmeasuredChange, type DestroyTarget } from './down-targets.js';
import type { Migration } from './files.js';
import type { Plan, SchemaPlan } from './plan.js';

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
  const table = sql`${sql(where.schema)}.${sql(where.table)}`;
  const [row] = where.column
    ? await sql`select count(*)::bigint as n from ${table} where ${sql(where.column)} is not null`
    : await sql`select count(*)::bigint as n from ${table}`;
  return Number((row as { n: string }).n);
}

/** One schema's losses: each table counted once, under the first migration (in run order) that destroys it. */
async function schemaLosses(sql: Sql, plan: SchemaPlan, catalog: Catalog, targetsOf: (m: Migration) => DestroyTarget[]): Promise<DataLoss[]> {
  const seen = new Set<string>();
  const losses: DataLoss[] = [];
  for (const migration of plan.migrations) {
    // Tables whose rows the section copies elsewhere first are rebuilt, not lost.
    const copied = new Set((migration.down?.statements ?? []).flatMap((s) => copiedFrom(s.text)).flatMap((n) => resolve({ action: 'drop table', ...n }, plan, catalog)).map((w) => `${w.schema}.${w.table}`));
    for (const target of targetsOf(migration)) {
      for (const where of resolve(target, plan, catalog)) {
        const key = `${where.schema}.${where.table}`;
        if (!where.column && copied.has(key)) continue;
        if (seen.has(key) || seen.has(`${key}.${where.column ?? ''}`)) continue;
        seen.add(where.column ? `${key}.${where.column}` : key);
        const rows = await countLoss(sql, where);
        if (rows > 0) losses.push({ schema: where.schema, slug: plan.slug, table: where.table, column: where.column, action: target.action, rows, file: migration.path });
      }
    }
  }
  return losses;
}

/**
 * Measure what a `migrate down` plan would destroy: parse every down section for DROP
 * TABLE, TRUNCATE, DROP SCHEMA, DROP COLUMN and DELETE, resolve the names as the migration
 * would (tenant schema, then public), and count the rows there now (non-null values for a
 * column). Statements that may change rows otherwise (UPDATE, DO, …) are listed as
 * unmeasured. Read-only. Schemas are measured a few at a time.
 */
export async function measureDownImpact(sql: Sql, plan: Plan): Promise<DownImpact> {
  const schemaPlans = [...plan.tenants, ...(plan.shared?.migrations.length ? [plan.shared] : [])];
  const parsed = new Map<Migration, DestroyTarget[]>();
  const targetsOf = (m: Migration): DestroyTarget[] => {
    if (!parsed.has(m)) parsed.set(m, (m.down?.statements ?? []).flatMap((s) => destroyTargets(s.text)));
    return parsed.get(m)!;
  };
  const named = schemaPlans.flatMap((p) => p.migrations.flatMap((m) => targetsOf(m).map((t) => (t.action === 'drop schema' ? t.name : t.schema)).filter((s): s is string => Boolean(s))));
  const catalog = await readCatalog(sql, [...new Set([...schemaPlans.flatMap(searchPath), ...named])]);
  const all: DataLoss[] = [];
  // Four at a time: enough to overlap round trips, few enough to leave the pool to others.
  for (let i = 0; i < schemaPlans.length; i += 4) {
    const batch = await Promise.all(schemaPlans.slice(i, i + 4).map((p) => schemaLosses(sql, p, catalog, targetsOf)));
    all.push(...batch.flat());
  }
  // A shared table reached from every tenant's section (an unqualified name found in public) counts once.
  const seen = new Set<string>();
  const losses = all.filter((l) => {
    const key = `${l.schema}.${l.table}.${l.column ?? ''}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
  return { losses, rows: losses.reduce((n, l) => n + l.rows, 0), schemas: new Set(losses.map((l) => l.schema)).size, unmeasured: unmeasuredStatements(schemaPlans) };
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
