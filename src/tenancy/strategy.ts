import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { usageError } from '../errors.js';
import { validateSlug } from './slug.js';

/** A tenant as the fleet tools see it. */
export interface TenantRef {
  id: string;
  slug: string;
  schema: string;
  status: string;
  schemaExists: boolean;
}

/**
 * How tenants are laid out in the database. Commands ask this interface, never the
 * catalog directly, so that the pooled (row-level, tenant key column + RLS) design can
 * be added without rewriting them.
 */
export interface TenancyStrategy {
  readonly kind: 'schema-per-tenant' | 'pooled';
  /** The schema that holds a tenant's own tables. */
  schemaFor(slug: string): string;
  /** Every registered tenant, with whether its storage exists. */
  listTenants(sql: Sql): Promise<TenantRef[]>;
}

const MAX_IDENTIFIER = 63;

/** Schema per tenant (seed 004): `tenant_<slug>` holds the tenant's tables. */
export const schemaPerTenant: TenancyStrategy = {
  kind: 'schema-per-tenant',
  schemaFor(slug: string): string {
    validateSlug(slug);
    const schema = `tenant_${slug}`;
    if (schema.length > MAX_IDENTIFIER) {
      throw usageError(`Slug "${slug}" is too long: its schema name ${schema} would exceed PostgreSQL's 63-character limit.`, `Use a slug of at most ${MAX_IDENTIFIER - 'tenant_'.length} characters.`);
    }
    return schema;
  },
  async listTenants(sql: Sql): Promise<TenantRef[]> {
    const [{ present }] = (await sql`select to_regclass('public.tenants') is not null as present`) as unknown as [{ present: boolean }];
    if (!present) return [];
    const rows = await query<{ id: string; slug: string; schema_name: string; status: string; schema_exists: boolean }>(sql, 'tenancy/list-tenant-schemas');
    return rows.map((r) => ({ id: r.id, slug: r.slug, schema: r.schema_name, status: r.status, schemaExists: r.schema_exists }));
  },
};
