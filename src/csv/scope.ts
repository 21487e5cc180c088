import type { Sql } from '../db/connect.js';
import { seq, typedValue, type Fragment } from './sql-parts.js';
import type { EntitySpec, LookupSpec } from './spec.js';

/**
 * Which tenant's rows a statement may read or write. Pooled tables hold every tenant's
 * rows, so every statement on them is scoped by the tenant column; the id is set by the
 * tool, never read from the file. In a tenant's own schema the scope is the whole table.
 */
export interface Scope {
  schema: string;
  tenantId: string;
  /** COPY takes no parameters: read the id from the transaction's TENANT_SETTING instead. @default false */
  viaSetting?: boolean;
}

/** The transaction-local setting an export's COPY reads the tenant id from. */
export const TENANT_SETTING = 'tenantctl.csv_tenant';

/** The tenant's id as a SQL value. */
export function tenantIdRef(sql: Sql, scope: Scope): Fragment {
  return scope.viaSetting ? sql`current_setting('tenantctl.csv_tenant')::uuid` : sql`${scope.tenantId}::uuid`;
}

/**
 * "This row of the entity's table is the tenant's": its tenant column, or (ABParts
 * inventory) a parent row's. `true` where the table is the tenant's alone or a shared catalogue.
 */
export function ownRows(sql: Sql, entity: EntitySpec, scope: Scope, alias: string): Fragment {
  const t = entity.tenant;
  if (!t) return sql`true`;
  if (!t.through) return sql`${sql(alias)}.${sql(t.column)} = ${tenantIdRef(sql, scope)}`;
  return sql`${sql(alias)}.${sql(t.column)} in (select o.id from ${sql(scope.schema)}.${sql(t.through.table)} o where o.${sql(t.through.tenantColumn)} = ${tenantIdRef(sql, scope)})`;
}

/** ` and alias.tenantColumn = id` for a lookup or link table with a tenant column; empty otherwise. */
export function ownLookupRows(sql: Sql, tenantColumn: string | undefined, scope: Scope, alias: string): Fragment {
  return tenantColumn ? sql` and ${sql(alias)}.${sql(tenantColumn)} = ${tenantIdRef(sql, scope)}` : sql``;
}

/** ` and …` restricting a lookup's candidates: the tenant's own rows, and the declared `only` values. */
export function lookupRows(sql: Sql, lookup: LookupSpec, scope: Scope, alias: string): Fragment {
  const only = lookup.only ? sql` and ${sql(alias)}.${sql(lookup.only.column)}::text = any(${[...lookup.only.values]}::text[])` : sql``;
  return sql`${ownLookupRows(sql, lookup.tenantColumn, scope, alias)}${only}`;
}

/** The tenant column the tool writes on each new row (not for `through` scopes: the parent row carries the tenant). */
export function writtenTenantColumn(entity: EntitySpec): string | undefined {
  return entity.tenant && !entity.tenant.through ? entity.tenant.column : undefined;
}

/**
 * `t.k = typed(s.k)` for one key column of the entity's own table: the staged text as the
 * column's type, so that a time key (ABParts `order_date`) compares as a time.
 */
export function sameKeyValue(sql: Sql, entity: EntitySpec, csv: string, t: string, s: string): Fragment {
  const spec = entity.columns.find((c) => c.csv === csv);
  if (!spec) throw new Error(`natural key ${csv} of ${entity.name} is not a column of ${entity.table}`);
  return sql`${sql(t)}.${sql(spec.column)} = ${typedValue(sql, spec, sql`${sql(s)}.${sql(csv)}`)}`;
}

/**
 * The parent table `t` matched to staging rows `s` by natural key: lookup tables joined
 * by name (as joins, not per-row subqueries, so the planner can hash them).
 */
export function keyJoin(tx: Sql, entity: EntitySpec, scope: Scope, t: string): { joins: Fragment; on: Fragment } {
  const lookups = new Map((entity.lookups ?? []).map((l, i) => [l.columns[0]!.csv, { l, alias: `m${i}` }]));
  const joins: Fragment[] = [];
  const conds = entity.naturalKey.map((csv) => {
    const found = lookups.get(csv);
    if (found) {
      joins.push(tx`join ${tx(scope.schema)}.${tx(found.l.table)} ${tx(found.alias)} on ${tx(found.alias)}.${tx(found.l.columns[0]!.column)} = s.${tx(csv)}${lookupRows(tx, found.l, scope, found.alias)}`);
      return tx`${tx(t)}.${tx(found.l.target)} = ${tx(found.alias)}.id`;
    }
    return sameKeyValue(tx, entity, csv, t, 's');
  });
  // Natural keys include the tenant: another tenant's row with the same key is not this one.
  if (entity.tenant) conds.push(ownRows(tx, entity, scope, t));
  return { joins: seq(tx, joins), on: tx`${conds.map((c, i) => (i ? tx` and ${c}` : c))}` };
}
