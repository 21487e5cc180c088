import type { Sql } from '../../db/connect.js';
import { lockInTransaction, tenantLockName } from '../../tenancy/locks.js';
import type { TenancyProfile } from '../../tenancy/profile.js';
import type { Tenant } from '../../tenancy/registry.js';
import type { Change } from '../lifecycle.js';

/**
 * Suspend or resume a pooled tenant: set the registry's status column, under the tenant's
 * lock. Asking for the status it already has changes nothing and says so. The pooled
 * seeds have no audit table of their own, so the reason is not stored in the database.
 */
export async function setPooledStatus(sql: Sql, profile: TenancyProfile, tenant: Tenant, status: 'active' | 'suspended'): Promise<Change> {
  const r = profile.registry;
  const value = status === 'active' ? r.status.active : r.status.suspended;
  return sql.begin(async (transaction) => {
    const tx = transaction as unknown as Sql;
    await lockInTransaction(tx, tenantLockName(tenant.id));
    const [row] = (await tx`
      with old as (select ${tx(r.status.column)}::text as status from ${tx(r.schema)}.${tx(r.table)} where ${tx(r.key)} = ${tenant.id} for update)
      update ${tx(r.schema)}.${tx(r.table)} set ${tx(r.status.column)} = ${value}
      where ${tx(r.key)} = ${tenant.id} and ${tx(r.status.column)}::text is distinct from ${value}
      returning (select status from old) as previous`) as unknown as { previous: string }[];
    return row ? { slug: tenant.handle, changed: true, from: row.previous, to: status } : { slug: tenant.handle, changed: false, from: tenant.status, to: status };
  });
}
