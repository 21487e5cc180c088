import type { Sql } from '../db/connect.js';
import { query, registryQuery } from '../db/queries.js';
import { ensureBookkeeping } from '../migrate/state.js';
import type { Tenant } from '../tenancy/registry.js';
import type { TenancyStrategy } from '../tenancy/strategy.js';
import { assertTenantSchema } from '../tenancy/schema-guard.js';
import { requireTenant, type TenantRecord } from './find.js';
import { countRows, locateTenantData, qualified } from './locate.js';
import { recentTenantEvents, type TenantEvent } from './events.js';

/** One line of `tenant list`. */
export interface TenantSummary {
  slug: string;
  name: string;
  status: string;
  plan: string | null;
  subscription: string | null;
  schemaVersion: string | null;
  /** From the planner statistics (pages as of the last VACUUM/ANALYZE) unless exact sizes were asked for. */
  sizeBytes: number;
  sizeExact: boolean;
  schemaExists: boolean;
  createdAt: Date;
}

/** Filters and page of `tenant list`; all of them run in SQL. */
export interface ListFilter {
  status?: string;
  plan?: string;
  search?: string;
  /** At most this many tenants. @default every tenant */
  limit?: number;
  /** Skip this many (in slug order) first. @default 0 */
  offset?: number;
  /** Exact bytes on disk (opens every relation of the page's schemas) instead of the statistics. @default false */
  exactSizes?: boolean;
}

interface ListRow { slug: string; schema_name: string; name: string; status: string; plan: string | null; subscription: string | null; schema_version: string | null; schema_exists: boolean; created_at: Date }

/**
 * Up to this many schemas, sizes are looked up schema by schema (index lookups, ~35 per
 * schema); beyond it one pass over pg_class costs less (at 1,000 tenants a pass costs about
 * what 100 schemas' lookups do).
 */
const LOOKUP_SCHEMAS = 100;

/**
 * One page of tenants (filtered, slug order) with plan and schema version, then the sizes
 * of the page's schemas only: from the catalog statistics, or exact on request.
 */
export async function listTenants(sql: Sql, strategy: TenancyStrategy, filter: ListFilter = {}): Promise<TenantSummary[]> {
  await ensureBookkeeping(sql);
  const rows = await registryQuery<ListRow>(sql, 'tenants/list', strategy.registry, [filter.status ?? null, filter.plan ?? null, filter.search ?? null, filter.limit ?? null, filter.offset ?? 0]);
  const sizes = await schemaSizes(sql, rows.filter((r) => r.schema_exists).map((r) => r.schema_name), filter.exactSizes ?? false);
  return rows.map((r) => ({
    slug: r.slug,
    name: r.name,
    status: r.status,
    plan: r.plan,
    subscription: r.subscription,
    schemaVersion: r.schema_version,
    sizeBytes: sizes.get(r.schema_name) ?? 0,
    sizeExact: filter.exactSizes ?? false,
    schemaExists: r.schema_exists,
    createdAt: r.created_at,
  }));
}

async function schemaSizes(sql: Sql, schemas: string[], exact: boolean): Promise<Map<string, number>> {
  if (schemas.length === 0) return new Map();
  const rows =
    exact ? await query<{ schema: string; bytes: string }>(sql, 'tenants/list-exact-sizes', [schemas])
    : schemas.length <= LOOKUP_SCHEMAS ? await query<{ schema: string; bytes: string }>(sql, 'tenants/page-sizes', [schemas])
    : await query<{ schema: string; bytes: string }>(sql, 'tenants/list-sizes', [schemas]);
  return new Map(rows.map((r) => [r.schema, Number(r.bytes)]));
}

/** Everything about one tenant. */
export interface TenantDetails extends Omit<TenantRecord, 'schema'> {
  schema: string;
  schemaExists: boolean;
  schemaVersions: string[];
  migrationState: string | null;
  sizeBytes: number;
  users: number;
  owners: { email: string; name: string }[];
  tables: { table: string; rows: number; scope: 'tenant' | 'shared' }[];
  recentAudit: { action: string; createdAt: Date; metadata: unknown }[];
  statusHistory: TenantEvent[];
}

/** `tenant show`: the registry row, subscription, schema state, owners, row counts per table, recent audit entries. */
export async function showTenant(sql: Sql, strategy: TenancyStrategy, ref: Tenant): Promise<TenantDetails> {
  await ensureBookkeeping(sql);
  const tenant = await requireTenant(sql, strategy.registry, ref);
  assertTenantSchema(strategy, tenant);
  const data = await locateTenantData(sql, strategy, tenant);
  const [[version], [size], audit, statusHistory, own, shared] = await Promise.all([
    query<{ versions: string[]; state: string | null }>(sql, 'tenants/schema-version', [tenant.schema]),
    query<{ bytes: string }>(sql, 'tenants/schema-size', [tenant.schema]),
    query<{ action: string; created_at: Date; metadata: unknown }>(sql, 'tenants/recent-audit', [tenant.id, 10]),
    recentTenantEvents(sql, tenant.id),
    Promise.all(data.own.map(async (l) => ({ table: l.column === null ? l.table : qualified(l), rows: await countRows(sql, l, tenant.id), scope: 'tenant' as const }))),
    Promise.all(data.shared.map(async (l) => ({ table: qualified(l), rows: await countRows(sql, l, tenant.id), scope: 'shared' as const }))),
  ]);
  let users = 0;
  let owners: { email: string; name: string }[] = [];
  if (data.own.length) {
    // Scoping needs a transaction (set_config … is_local); read-only, so nothing can change.
    [users, owners] = await sql.begin('read only', async (transaction) => {
      const tx = transaction as unknown as Sql;
      await strategy.scopeTo(tx, tenant);
      const [row] = await query<{ users: number; owners: { email: string; name: string }[] }>(tx, 'tenants/owners');
      return [row!.users, row!.owners] as const;
    });
  }
  return {
    ...tenant,
    schemaExists: data.own.length > 0,
    schemaVersions: version?.versions ?? [],
    migrationState: version?.state ?? null,
    sizeBytes: Number(size?.bytes ?? 0),
    users,
    owners,
    tables: [...own, ...shared.filter((s) => s.rows > 0)],
    recentAudit: audit.map((a) => ({ action: a.action, createdAt: a.created_at, metadata: a.metadata })),
    statusHistory,
  };
}

/** Active plans (code, name, monthly price), for the create prompt. */
export async function listPlans(sql: Sql): Promise<{ code: string; name: string; price: string }[]> {
  return query<{ code: string; name: string; price: string }>(sql, 'tenants/plans');
}
