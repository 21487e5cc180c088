import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';

/** An object of another schema that DROP SCHEMA … CASCADE of the tenant's schema would drop too. */
export interface OutsideDependent {
  /** `view tenant_b.report`, `table column tenant_b.t.a`, `table constraint fk on tenant_b.t`, … */
  object: string;
  /** The tenant's object it depends on. */
  uses: string;
}

/** Objects outside `schema` that depend on its objects (tenants/outside-dependents.sql). */
export async function outsideDependents(sql: Sql, schema: string): Promise<OutsideDependent[]> {
  const rows = await query<{ type: string; identity: string; uses: string }>(sql, 'tenants/outside-dependents', [schema]);
  return rows.map((r) => ({
    // A view is its _RETURN rule in the catalog: name the view.
    object: r.type === 'rule' && r.identity.startsWith('"_RETURN" on ') ? `view ${r.identity.slice('"_RETURN" on '.length)}` : `${r.type} ${r.identity}`,
    uses: r.uses,
  }));
}

/**
 * The erasure refused because dropping the tenant's schema would drop objects of other
 * schemas with it (a table inheriting from one of its tables takes the other tenant's rows).
 */
export function dependentsRefusal(slug: string, schema: string, dependents: readonly OutsideDependent[]): TenantctlError {
  const shown = dependents.slice(0, 10).map((d) => `${d.object} (uses ${d.uses})`).join('; ');
  const more = dependents.length > 10 ? `; and ${dependents.length - 10} more (see --json)` : '';
  return new TenantctlError('ERASE_REFUSED', `Erasing ${slug} would also drop ${dependents.length} object${dependents.length === 1 ? '' : 's'} outside its schema ${schema} that depend on it: ${shown}${more}. Nothing was erased.`, {
    hint: 'These belong to other schemas (another tenant, or shared ones), and DROP SCHEMA … CASCADE would remove them with their data. Drop them or make them stop depending on this tenant, then run the erasure again.',
    details: { schema, dependents },
  });
}
