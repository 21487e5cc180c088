import type { Sql } from '../db/connect.js';
import { query, renderedQuery, sqlText } from '../db/queries.js';
import { expectedSchema, schemaColumnLabel } from '../tenancy/schema-guard.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import type { TenancyStrategy, TenantRef } from '../tenancy/strategy.js';

/** Where sizes find the tenants: the profile's `lifecycle.targets` (a pooled profile lists none). */
type TenantList = Pick<TenancyStrategy, 'listTenants'>;
import { num, schemaFilter } from './session.js';
import { sizeNames } from '../citus/sizes.js';

/** Said in every estimated size report: where the figures come from and how to refresh them. */
export const ESTIMATE_NOTE = 'sizes estimated from pg_class (relpages × block_size, reltuples); run ANALYZE for fresh figures, or --exact on a few schemas/tenants';

/** One table's size; bytes are null for a relation skipped because of an exclusive lock. */
export interface TableSize {
  schema: string;
  tenant: string | null;
  table: string;
  kind: string;
  rows: number | null;
  tableBytes: number | null;
  indexBytes: number | null;
  toastBytes: number | null;
  totalBytes: number | null;
  skipped: boolean;
}

export interface SizeReport<Row> {
  /** 'catalog' (estimated from pg_class), 'statistics' (pooled: from pg_stats on the tenant columns) or 'exact'. */
  source: 'catalog' | 'statistics' | 'exact';
  note: string | null;
  /** How many rows matched before the limit. */
  matched: number;
  /** Relations not sized because someone holds or awaits an ACCESS EXCLUSIVE lock on them. */
  skipped: number;
  rows: Row[];
}

/** `monitor tenant-sizes`: one row per tenant. */
export interface TenantSizeReport extends SizeReport<TenantSize> {
  tenants: number;
  /** The rows are counted (pooled --exact), not estimated from reltuples or statistics. */
  rowsExact: boolean;
}

export interface TableSizesOptions {
  /** Only these schemas (exact names). @default all but system schemas */
  schemas?: readonly string[];
  /** @default 20 */
  limit?: number;
  /** Size from the files (pg_total_relation_size) instead of the catalog. @default false */
  exact?: boolean;
  /** Up to this many schemas named, their tables are looked up through the catalog's indexes. @default LOOKUP_SCHEMAS */
  lookupSchemas?: number;
}

/**
 * The catalog's table sizes by one plan or the other: a pass over pg_class (table-sizes.sql) or
 * lookups for a few schemas (table-sizes-lookup.sql), both ending in the same rows shown
 * (table-sizes-shown.sql, after their `sized`). $1 schemas, $2 limit.
 */
export const catalogTableSizes = (sql: Sql, plan: 'monitor/table-sizes' | 'monitor/table-sizes-lookup', params: [string[], number]): Promise<Record<string, unknown>[]> =>
  renderedQuery(sql, plan, { 'table.sizes.shown': sqlText('monitor/table-sizes-shown') }, params);

/** Map schema name → tenant, for labelling the rows shown (only their schemas are looked up). */
async function tenantBySchema(sql: Sql, strategy: TenantList, schemas: readonly string[]): Promise<Map<string, TenantRef>> {
  return new Map((await strategy.listTenants(sql, { schemas: [...new Set(schemas)] })).map((t) => [t.schema, t]));
}

/**
 * The largest tables with their indexes and TOAST. From the catalog by default (never opens
 * a relation: fast on 100,000+ relations, as fresh as the last ANALYZE), exact with `exact`.
 */
export async function tableSizes(sql: Sql, strategy: TenantList, options: TableSizesOptions = {}): Promise<SizeReport<TableSize>> {
  const exact = options.exact ?? false;
  const schemas = schemaFilter(options.schemas);
  const params: [string[], number] = [schemas, options.limit ?? 20];
  const lookup = fewSchemasNamed(schemas, options.lookupSchemas);
  const rows = exact ? await renderedQuery(sql, 'monitor/table-sizes-exact', await sizeNames(sql), params) : await catalogTableSizes(sql, lookup ? 'monitor/table-sizes-lookup' : 'monitor/table-sizes', params);
  const tenants = await tenantBySchema(sql, strategy, rows.map((r) => String(r.schema)));
  const out = rows.map((r) => ({
    schema: String(r.schema),
    tenant: tenants.get(String(r.schema))?.slug ?? null,
    table: String(r.table),
    kind: String(r.kind),
    rows: num(r.rows),
    tableBytes: num(r.table_bytes),
    indexBytes: num(r.index_bytes),
    toastBytes: num(r.toast_bytes),
    totalBytes: num(r.total_bytes),
    skipped: Boolean(r.skipped),
  }));
  return { source: exact ? 'exact' : 'catalog', note: exact ? null : ESTIMATE_NOTE, matched: num(rows[0]?.matched) ?? 0, skipped: out.filter((r) => r.skipped).length, rows: out };
}

/** One tenant's footprint. */
export interface TenantSize {
  tenant: string;
  schema: string;
  status: string;
  schemaExists: boolean;
  tables: number;
  totalBytes: number | null;
  largestTable: string | null;
  largestBytes: number | null;
  rows: number | null;
  /** Tables never analyzed: their row estimates are unknown (counted as 0). */
  neverAnalyzed: number;
  skipped: number;
  /**
   * The registry row names a schema that is not this tenant's (public, a system schema,
   * another tenant's): it is not sized, so that nobody's size is reported as this tenant's.
   */
  schemaMismatch: { registered: string; expected: string; reason: string; column: string } | null;
}

export interface TenantSizesOptions {
  /** Only these tenants (slugs). @default every tenant */
  tenants?: readonly string[];
  /** @default 'size' */
  sort?: 'size' | 'rows' | 'name';
  /** @default all */
  limit?: number;
  /** From the files instead of the catalog; meant for a few tenants. @default false */
  exact?: boolean;
  /** Up to this many schemas (in all, or shown), sizes are looked up schema by schema. @default LOOKUP_SCHEMAS */
  lookupSchemas?: number;
}

const compare: Record<NonNullable<TenantSizesOptions['sort']>, (a: TenantSize, b: TenantSize) => number> = {
  size: (a, b) => (b.totalBytes ?? -1) - (a.totalBytes ?? -1) || a.tenant.localeCompare(b.tenant),
  rows: (a, b) => (b.rows ?? -1) - (a.rows ?? -1) || a.tenant.localeCompare(b.tenant),
  name: (a, b) => a.tenant.localeCompare(b.tenant),
};

/**
 * Up to this many schemas, a schema's sizes are looked up through the catalog's indexes
 * (tenant-sizes-lookup.sql, ~40 lookups per table; table-sizes-lookup.sql and `monitor
 * indexes` the same way); beyond it one pass over pg_class costs less. At 10,000 schemas the
 * pass that also finds each schema's largest table (it needs every index's table from
 * pg_index) is several times the pass without it.
 */
export const LOOKUP_SCHEMAS = 100;

/** A few schemas named (a --tenant, a short --schema list): found by lookups rather than a pass over the catalog. */
export const fewSchemasNamed = (schemas: readonly string[], lookupSchemas = LOOKUP_SCHEMAS): boolean =>
  schemas.length > 0 && schemas.length <= lookupSchemas;

type SizeRow = Record<string, unknown>;

/**
 * The catalog figures per schema, by the cheapest plan for the rows shown: a few schemas by
 * index lookups; for a page of many (a --limit), one pass for the totals that sort them and
 * lookups for the largest table of the page; for all of many, one pass with the largest tables.
 */
async function catalogSizes(sql: Sql, schemas: readonly string[], shown: number, lookupSchemas: number, sortedBySize: boolean, pick: (totals: Map<string, SizeRow>) => string[]): Promise<Map<string, SizeRow>> {
  const bySchema = (rows: SizeRow[]): Map<string, SizeRow> => new Map(rows.map((r) => [String(r.schema), r]));
  if (schemas.length <= lookupSchemas) return bySchema(await query(sql, 'monitor/tenant-sizes-lookup', [schemas]));
  if (shown > lookupSchemas) return bySchema(await query(sql, 'monitor/tenant-sizes', [schemas]));
  // Sorted by name, the page is known without any size: its schemas are all there is to read.
  if (!sortedBySize) return bySchema(await query(sql, 'monitor/tenant-sizes-lookup', [pick(new Map())]));
  const totals = bySchema(await query(sql, 'monitor/schema-totals', [schemas]));
  const page = pick(totals);
  if (page.length === 0) return totals;
  for (const r of await query(sql, 'monitor/tenant-sizes-lookup', [page])) {
    const row = totals.get(String(r.schema));
    if (row) Object.assign(row, { largest_table: r.largest_table, largest_bytes: r.largest_bytes });
  }
  return totals;
}

/**
 * One row per tenant: total size of its tables (with indexes and TOAST), its largest table,
 * estimated rows. Tenants come from the tenancy strategy; sizes from the catalog (or exact
 * sizes with `exact`), for all their schemas at once. A tenant whose registry row names a
 * schema that is not its own (the schema guard's rule) is listed with `schemaMismatch` and
 * no sizes: that schema is never sized as the tenant's.
 */
export async function tenantSizes(sql: Sql, strategy: Pick<TenancyStrategy, 'listTenants' | 'schemaMismatch' | 'schemaFor'> & { readonly registry?: RegistrySpec }, options: TenantSizesOptions = {}): Promise<TenantSizeReport> {
  let tenants = await strategy.listTenants(sql);
  if (options.tenants?.length) {
    const wanted = new Set(options.tenants);
    tenants = tenants.filter((t) => wanted.has(t.slug));
  }
  const mismatch = new Map(tenants.map((t) => [t.id, strategy.schemaMismatch(t)] as const));
  const sizable = (t: TenantRef): boolean => t.schemaExists && !mismatch.get(t.id);
  const schemas = tenants.filter(sizable).map((t) => t.schema);
  const exact = options.exact ?? false;
  const toRows = (sized: Map<string, SizeRow>): TenantSize[] => tenants.map((t) => {
    const reason = mismatch.get(t.id);
    const r = reason ? undefined : sized.get(t.schema);
    return {
      tenant: t.slug,
      schema: t.schema,
      status: t.status,
      schemaExists: t.schemaExists,
      tables: num(r?.tables) ?? 0,
      totalBytes: sizable(t) ? num(r?.total_bytes) ?? 0 : null,
      largestTable: (r?.largest_table as string | undefined) ?? null,
      largestBytes: num(r?.largest_bytes),
      rows: sizable(t) ? num(r?.rows) ?? 0 : null,
      neverAnalyzed: num(r?.never_analyzed) ?? 0,
      skipped: num(r?.skipped) ?? 0,
      schemaMismatch: reason ? { registered: t.schema, expected: expectedSchema(strategy, t.slug), reason, column: schemaColumnLabel(strategy.registry) } : null,
    };
  });
  const ordered = (rows: TenantSize[]): TenantSize[] => rows.sort(compare[options.sort ?? 'size']);
  const shown = (rows: TenantSize[]): TenantSize[] => (options.limit ? rows.slice(0, options.limit) : rows);
  const sized = exact
    ? new Map((await renderedQuery(sql, 'monitor/tenant-sizes-exact', await sizeNames(sql), [schemas])).map((r) => [String(r.schema), r]))
    : await catalogSizes(sql, schemas, options.limit ?? tenants.length, options.lookupSchemas ?? LOOKUP_SCHEMAS, (options.sort ?? 'size') !== 'name',
        (totals) => shown(ordered(toRows(totals))).filter((r) => r.totalBytes !== null).map((r) => r.schema));
  const rows = ordered(toRows(sized));
  return {
    source: exact ? 'exact' : 'catalog',
    note: exact ? null : ESTIMATE_NOTE,
    tenants: tenants.length,
    // --exact sizes the files; the rows are still reltuples, as fresh as the last ANALYZE.
    rowsExact: false,
    matched: rows.length,
    skipped: rows.reduce((n, r) => n + r.skipped, 0),
    rows: shown(rows),
  };
}
