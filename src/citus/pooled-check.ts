import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';

/** One table of a pooled schema, as distributing by the tenant column would treat it. */
export interface PooledTable {
  table: string;
  /**
   * registry: the tenant table itself (distribute by its key); direct: has the tenant column;
   * indirect: reaches the registry only through other tables' keys; global: no path to a
   * tenant (a reference-table candidate).
   */
  role: 'registry' | 'direct' | 'indirect' | 'global';
  tenantColumn: string | null;
  /** What has to change before `create_distributed_table(table, tenantColumn)` works. */
  needs: string[];
}

interface ConstraintRow {
  table_name: string;
  constraint_name: string | null;
  kind: 'p' | 'u' | 'f' | null;
  columns: string[] | null;
  references_table: string | null;
  all_columns: string[];
}

interface TableFacts {
  name: string;
  keys: { name: string; kind: 'p' | 'u'; columns: string[] }[];
  fks: { name: string; columns: string[]; target: string }[];
}

function factsByTable(rows: readonly ConstraintRow[], schema: string): Map<string, TableFacts> {
  const tables = new Map<string, TableFacts>();
  const unqualified = (name: string): string => name.replace(new RegExp(`^"?${schema}"?\\.`), '').replace(/"/g, '');
  for (const r of rows) {
    const t = tables.get(r.table_name) ?? { name: r.table_name, keys: [], fks: [] };
    tables.set(r.table_name, t);
    if (r.kind === 'p' || r.kind === 'u') t.keys.push({ name: r.constraint_name!, kind: r.kind, columns: r.columns ?? [] });
    if (r.kind === 'f') t.fks.push({ name: r.constraint_name!, columns: r.columns ?? [], target: unqualified(r.references_table!) });
  }
  return tables;
}

/** The direct tables' tenant column: the single-column foreign key to the registry. */
function tenantColumnOf(table: TableFacts, registry: string): string | null {
  return table.fks.find((fk) => fk.target === registry && fk.columns.length === 1)?.columns[0] ?? null;
}

/** Tables from which some chain of foreign keys reaches a direct table (or the registry). */
function reachesTenant(tables: Map<string, TableFacts>, registry: string, direct: ReadonlySet<string>): Set<string> {
  const reached = new Set<string>([registry, ...direct]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of tables.values()) {
      if (!reached.has(t.name) && t.fks.some((fk) => fk.target !== t.name && reached.has(fk.target))) {
        reached.add(t.name);
        grew = true;
      }
    }
  }
  return reached;
}

function directNeeds(t: TableFacts, column: string, roleOf: (name: string) => PooledTable['role']): string[] {
  const needs: string[] = [];
  for (const k of t.keys) {
    if (!k.columns.includes(column)) needs.push(`${k.kind === 'p' ? 'primary key' : 'unique constraint'} ${k.name} (${k.columns.join(', ')}) must include ${column}: Citus enforces uniqueness only within a shard`);
  }
  for (const fk of t.fks) {
    const role = roleOf(fk.target);
    if ((role === 'direct' || role === 'indirect') && !fk.columns.includes(column)) {
      needs.push(`foreign key ${fk.name} (${fk.columns.join(', ')}) → ${fk.target} must include ${column} (and ${fk.target} a unique key on (${column}, …)): keys between distributed tables must contain the distribution column`);
    }
  }
  return needs;
}

/**
 * What distributing a pooled schema by its tenant column would need, table by table.
 * Pure over the catalog facts; nothing changes.
 * @param registry the tenant table (its key is what the tenant columns point at)
 */
export async function pooledFindings(sql: Sql, schema: string, registry: string): Promise<PooledTable[]> {
  const tables = factsByTable(await query<ConstraintRow>(sql, 'citus/table-constraints', [schema]), schema);
  const direct = new Map<string, string>();
  for (const t of tables.values()) {
    const column = t.name === registry ? null : tenantColumnOf(t, registry);
    if (column) direct.set(t.name, column);
  }
  const reached = reachesTenant(tables, registry, new Set(direct.keys()));
  const roleOf = (name: string): PooledTable['role'] => (name === registry ? 'registry' : direct.has(name) ? 'direct' : reached.has(name) ? 'indirect' : 'global');
  return [...tables.values()].map((t) => {
    const role = roleOf(t.name);
    const column = direct.get(t.name) ?? null;
    if (role === 'registry') return { table: t.name, role, tenantColumn: null, needs: ['distribute by its key (the value the tenant columns hold), colocated with the direct tables'] };
    if (role === 'direct') return { table: t.name, role, tenantColumn: column, needs: directNeeds(t, column!, roleOf) };
    if (role === 'indirect') return { table: t.name, role, tenantColumn: null, needs: ['add the tenant column (filled from its owner row) and include it in its keys, or it cannot be colocated with its tenant'] };
    return { table: t.name, role, tenantColumn: null, needs: [`reference table candidate: create_reference_table('${schema}.${t.name}')`] };
  });
}
