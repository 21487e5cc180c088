import type postgres from 'postgres';
import type { Sql } from '../../db/connect.js';
import { query } from '../../db/queries.js';
import type { PooledDeclarations } from '../../pooled/declarations.js';
import type { RegistrySpec, TenancyProfile } from '../../tenancy/profile.js';

/**
 * Where a pooled tenant's rows are: every table of the pooled schema reached from the
 * registry row by foreign keys (direct: a foreign key to the registry under any column
 * name, or a declared tenant column; indirect: the owner path of foreign keys to a direct
 * table). Read from the catalog on every run, so a user's own variant of a seed system is
 * covered without a hand-kept list.
 */
export interface PooledLocation {
  table: string;
  class: 'registry' | 'direct' | 'indirect';
  /** The column followed: the tenant column (direct) or the FK to the owner (indirect). */
  column: string;
  /** Indirect: the owner table and its key. */
  parent?: { table: string; column: string };
  /** Tables from this one up to the registry, for people. */
  path: string[];
  /** How the owner was chosen: the catalog, or a declaration (with its reason). */
  foundBy: string;
}

/** A table whose owner could not be decided: several parents, none declared. */
export interface UnplacedTable {
  table: string;
  candidates: string[];
}

interface ForeignKey {
  table_name: string;
  column_name: string;
  parent_table: string;
  parent_column: string;
  not_null: boolean;
}

/** Pure: classify from foreign keys + declarations. Tables that hold no tenant rows are left out. */
export function placeTables(fks: readonly ForeignKey[], registry: RegistrySpec, decl: PooledDeclarations | undefined): { locations: PooledLocation[]; unplaced: UnplacedTable[] } {
  const placed = new Map<string, PooledLocation>([[registry.table, { table: registry.table, class: 'registry', column: registry.key, path: [registry.table], foundBy: 'the tenant registry' }]]);
  const globals = new Set(decl?.globalTables);
  for (const fk of fks.filter((f) => f.parent_table === registry.table && f.parent_column === registry.key && f.table_name !== registry.table)) {
    if (!placed.has(fk.table_name)) placed.set(fk.table_name, { table: fk.table_name, class: 'direct', column: fk.column_name, path: [fk.table_name, registry.table], foundBy: `foreign key ${fk.column_name} → ${registry.table}` });
  }
  for (const declared of decl?.tenantColumns ?? []) {
    if (!placed.has(declared.table)) placed.set(declared.table, { table: declared.table, class: 'direct', column: declared.column, path: [declared.table, registry.table], foundBy: `declared tenant column ${declared.column}` });
  }
  // Which tables hold tenant rows at all: those with a foreign key to one that does (a fixpoint).
  const tenantTables = new Set(placed.keys());
  for (let grew = true; grew; ) {
    grew = false;
    for (const fk of fks) {
      if (!tenantTables.has(fk.table_name) && !globals.has(fk.table_name) && tenantTables.has(fk.parent_table)) grew = Boolean(tenantTables.add(fk.table_name));
    }
  }
  // Each one's owner among ALL its tenant parents: declared, else the only NOT NULL one, else the only one.
  const owner = new Map<string, { fk: ForeignKey; declared: boolean }>();
  const unplaced: UnplacedTable[] = [];
  for (const table of [...tenantTables].filter((t) => !placed.has(t))) {
    const candidates = fks.filter((f) => f.table_name === table && f.parent_table !== table && tenantTables.has(f.parent_table));
    const declared = decl?.ownerPaths?.find((o) => o.table === table);
    const required = candidates.filter((c) => c.not_null);
    const chosen = declared ? candidates.find((c) => c.column_name === declared.columns[0]) : required.length === 1 ? required[0] : candidates.length === 1 ? candidates[0] : undefined;
    if (chosen) owner.set(table, { fk: chosen, declared: Boolean(declared) });
    else unplaced.push({ table, candidates: candidates.map((c) => `${c.column_name} → ${c.parent_table}`) });
  }
  // Follow owners up to a placed table; a cycle of owners never reaches one and stays unplaced.
  const place = (table: string, seen: Set<string>): PooledLocation | undefined => {
    const known = placed.get(table);
    if (known) return known;
    const link = owner.get(table);
    if (!link || seen.has(table)) return undefined;
    const parent = place(link.fk.parent_table, new Set([...seen, table]));
    if (!parent) return undefined;
    const location: PooledLocation = {
      table,
      class: 'indirect',
      column: link.fk.column_name,
      parent: { table: link.fk.parent_table, column: link.fk.parent_column },
      path: [table, ...parent.path],
      foundBy: `${link.declared ? 'declared owner path' : 'foreign key'} ${link.fk.column_name} → ${link.fk.parent_table}`,
    };
    placed.set(table, location);
    return location;
  };
  for (const table of owner.keys()) if (!place(table, new Set())) unplaced.push({ table, candidates: [`${owner.get(table)!.fk.column_name} → ${owner.get(table)!.fk.parent_table} (a cycle of owners)`] });
  return { locations: [...placed.values()], unplaced };
}

/** Every location of the profile's tenants in the live database. */
export async function pooledLocations(sql: Sql, profile: TenancyProfile): Promise<{ locations: PooledLocation[]; unplaced: UnplacedTable[] }> {
  const fks = await query<ForeignKey>(sql, 'tenancy/pooled-foreign-keys', [profile.registry.schema]);
  return placeTables(fks, profile.registry, profile.pooled);
}

/**
 * The tenant's rows of one location, as a fragment `select t.* from … where …` (the
 * tenant id a parameter, identifiers quoted by postgres.js): direct rows by the tenant
 * column, indirect rows by their owner's rows, recursively.
 */
export function rowsOf(sql: Sql, schema: string, all: readonly PooledLocation[], location: PooledLocation, tenantId: TenantKey): Fragment {
  return sql`select t.* from ${sql(schema)}.${sql(location.table)} t where ${condition(sql, schema, all, location, tenantId)}`;
}

/** The tenant's key: a value (a bind parameter), or a SQL expression (COPY takes no parameters). */
export type TenantKey = string | Fragment;
export type Fragment = postgres.PendingQuery<postgres.Row[]>;

function condition(sql: Sql, schema: string, all: readonly PooledLocation[], location: PooledLocation, tenantId: TenantKey): Fragment {
  if (location.class !== 'indirect') return sql`t.${sql(location.column)} = ${tenantId}`;
  const parent = all.find((l) => l.table === location.parent!.table)!;
  return sql`t.${sql(location.column)} in (select ${sql(location.parent!.column)} from (${rowsOf(sql, schema, all, parent, tenantId)}) p)`;
}
