import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import type { TenancyStrategy } from '../tenancy/strategy.js';
import { assertTenantSchema } from '../tenancy/schema-guard.js';
import type { TenantRecord } from './find.js';
import { countRows, locateTenantData, qualified, type TenantData } from './locate.js';
import { dependentsRefusal, outsideDependents } from './outside-dependents.js';
import { refuseSharedRows } from './shared-rows.js';

/** A table in the plan with how many of the tenant's rows it holds now. */
export interface PlannedTable {
  table: string;
  rows: number;
  /** Why it is in the plan: its own storage, a foreign key, a tenant-id column, the registry. */
  foundBy: string;
  column: string | null;
}

/** Will DROP SCHEMA … CASCADE fit in the server's lock table? (django-tenants #943) */
export interface LockCheck {
  relations: number;
  needed: number;
  capacity: number;
  maxLocksPerTransaction: number;
  maxConnections: number;
  maxPreparedTransactions: number;
  ok: boolean;
  /** The smallest max_locks_per_transaction that would make it fit. */
  requiredMaxLocksPerTransaction: number;
}

/** What `tenant erase` will remove and keep. Printable with --dry-run; changes nothing. */
export interface ErasurePlan {
  tenant: { id: string; slug: string; name: string; schema: string; status: string };
  remove: { storage: PlannedTable[]; shared: PlannedTable[]; bookkeeping: PlannedTable[]; registry: PlannedTable };
  keep: string[];
  locks: LockCheck;
  totals: { tables: number; rows: number };
  data: TenantData;
}

/** Locks taken besides the tenant's relations (shared tables, their indexes, the catalog). */
const LOCK_MARGIN = 64;

async function lockCheck(sql: Sql, relations: number, sharedTables: number): Promise<LockCheck> {
  const [s] = await query<{ max_locks_per_transaction: number; max_connections: number; max_prepared_transactions: number }>(sql, 'tenants/lock-capacity');
  const slots = s!.max_connections + s!.max_prepared_transactions;
  const needed = relations + sharedTables * 4 + LOCK_MARGIN;
  const capacity = s!.max_locks_per_transaction * slots;
  return {
    relations,
    needed,
    capacity,
    maxLocksPerTransaction: s!.max_locks_per_transaction,
    maxConnections: s!.max_connections,
    maxPreparedTransactions: s!.max_prepared_transactions,
    // Other sessions share the same table: leave them half of it.
    ok: needed <= capacity / 2,
    requiredMaxLocksPerTransaction: Math.ceil((needed * 2) / slots),
  };
}

/**
 * Plan the erasure of one tenant: every table holding its data, with row counts, and what
 * stays. Throws TENANT_SCHEMA_MISMATCH before any SQL when the registry row names a schema
 * that is not the tenant's own, and ERASE_REFUSED when dropping its schema would drop
 * objects of other schemas (outside-dependents.ts).
 */
export async function planErasure(sql: Sql, strategy: TenancyStrategy, tenant: TenantRecord): Promise<ErasurePlan> {
  assertTenantSchema(strategy, tenant);
  const dependents = await outsideDependents(sql, tenant.schema);
  if (dependents.length) throw dependentsRefusal(tenant.slug, tenant.schema, dependents);
  const data = await locateTenantData(sql, strategy, tenant);
  await refuseSharedRows(sql, tenant, data.shared);
  const [storage, shared, registryRows, relations, bookkeeping] = await Promise.all([
    Promise.all(data.own.map(async (l) => ({ table: l.column === null ? l.table : qualified(l), rows: await countRows(sql, l, tenant.id), foundBy: 'tenant storage', column: l.column }))),
    Promise.all(data.shared.map(async (l) => ({ table: qualified(l), rows: await countRows(sql, l, tenant.id), foundBy: l.foundBy, column: l.column }))),
    countRows(sql, data.registry, tenant.id),
    strategy.relationCount(sql, tenant),
    query<{ schema_migrations: number; schema_state: number }>(sql, 'tenants/count-bookkeeping', [tenant.schema]),
  ]);
  const book = bookkeeping[0]!;
  const remove = {
    storage,
    shared,
    bookkeeping: [
      { table: 'tenantctl.schema_migrations', rows: book.schema_migrations, foundBy: `schema_name = ${tenant.schema}`, column: 'schema_name' },
      { table: 'tenantctl.schema_state', rows: book.schema_state, foundBy: `schema_name = ${tenant.schema}`, column: 'schema_name' },
    ],
    registry: { table: qualified(data.registry), rows: registryRows, foundBy: data.registry.foundBy, column: data.registry.column },
  };
  const all = [...storage, ...shared, ...remove.bookkeeping, remove.registry];
  return {
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, schema: tenant.schema, status: tenant.status },
    remove,
    keep: [
      'every other tenant, its schema and its rows in shared tables',
      'shared reference data without a tenant key (plans, features, plan_features, channel and courier types, …)',
      'an erasure receipt in tenantctl.erasure_receipts: tenant id, sha256 of the slug, actor, reason, ticket, row counts, times, digest chain — no personal data',
    ],
    locks: await lockCheck(sql, relations, shared.length + 1),
    totals: { tables: all.length, rows: all.reduce((n, t) => n + t.rows, 0) },
    data,
  };
}
