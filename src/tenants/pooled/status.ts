import type { Pool } from '../../db/connect.js';
import { lockInTransaction, tenantLockName } from '../../tenancy/locks.js';
import type { TenancyProfile } from '../../tenancy/profile.js';
import type { Tenant } from '../../tenancy/registry.js';
import type { AuditContext } from '../audit.js';
import { ensureTenantEvents, recordTenantEvent } from '../events.js';
import type { Change } from '../lifecycle.js';

/**
 * Suspend or resume a pooled tenant: set the registry's status column, under the tenant's
 * lock. Asking for the status it already has changes nothing and says so. The pooled
 * seeds have no audit table of their own, so who, when and why go to tenantctl's own
 * tenantctl.tenant_events, in the same transaction (`tenant show` lists them).
 */
export async function setPooledStatus(sql: Pool, profile: TenancyProfile, tenant: Tenant, status: 'active' | 'suspended', context: AuditContext): Promise<Change> {
  const r = profile.registry;
  const value = status === 'active' ? r.status.active : r.status.suspended;
  await ensureTenantEvents(sql);
  return sql.begin(async (tx) => {
    await lockInTransaction(tx, tenantLockName(tenant.id));
    const table = tx`${tx(r.schema)}.${tx(r.table)}`;
    const [row] = (await tx`select ${tx(r.status.column)}::text as status from ${table} where ${tx(r.key)} = ${tenant.id} for update`) as unknown as { status: string }[];
    const previous = row?.status;
    // Reported in the words commands use ('active', not ABParts' 'true').
    const from = previous === r.status.active ? 'active' : previous === r.status.suspended ? 'suspended' : (previous ?? tenant.status);
    if (previous === value) return { slug: tenant.handle, changed: false, from, to: status };
    // The value is text ('true', 'suspended'); the column may be anything (ABParts: boolean). A bare
    // parameter is typed as the column and postgres.js then serializes the JS string with that type's
    // encoder (any string is 'f' for a boolean): resume wrote false. The text goes through the
    // column's own input function instead, by way of a record of the table's row type.
    const typed = tx`(json_populate_record(null::${table}, json_build_object(${r.status.column}::text, ${value}::text))).${tx(r.status.column)}`;
    await tx`update ${table} set ${tx(r.status.column)} = ${typed} where ${tx(r.key)} = ${tenant.id}`;
    await recordTenantEvent(tx, tenant.id, status === 'suspended' ? 'tenant.suspended' : 'tenant.resumed', { from, to: status }, context);
    return { slug: tenant.handle, changed: true, from, to: status };
  });
}
