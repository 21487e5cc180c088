import type { Pool } from '../db/connect.js';
import { query, registryQuery } from '../db/queries.js';
import type { TenancyStrategy } from '../tenancy/strategy.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import { TenantctlError } from '../errors.js';
import { auditTenant, type AuditContext } from './audit.js';
import type { Tenant } from '../tenancy/registry.js';
import { ensureTenantEvents, recordTenantEvent } from './events.js';
import { requireTenant } from './find.js';
import { withTenantLock } from '../tenancy/locks.js';
import { unknownPlan } from './unknown-plan.js';

/** The result of a status or plan change. */
export interface Change {
  slug: string;
  changed: boolean;
  from: string | null;
  to: string;
}

/**
 * Suspend or resume a tenant, with the reason in public.audit_logs and tenantctl.tenant_events
 * (what `tenant show` lists for every profile), in one transaction.
 * Asking for the status it already has changes nothing and says so. A cancelled tenant
 * cannot be resumed here.
 */
export async function setTenantStatus(sql: Pool, strategy: TenancyStrategy, ref: Tenant, status: 'active' | 'suspended', context: AuditContext): Promise<Change> {
  const slug = ref.handle;
  const tenant = await requireTenant(sql, strategy.registry, ref);
  if (tenant.status === status) return { slug, changed: false, from: tenant.status, to: status };
  if (tenant.status === 'cancelled') {
    throw new TenantctlError('TENANT_CANCELLED', `Tenant ${slug} is cancelled; it cannot be ${status === 'active' ? 'resumed' : 'suspended'}.`, { hint: 'A cancelled tenant is on its way out: export or erase it.' });
  }
  await ensureTenantEvents(sql);
  // Under the tenant's lock, as erase, import and restore take it: a tenant erased meanwhile is TENANT_GONE, never a half change.
  const lock = { id: tenant.id, slug, schema: tenant.schema };
  return withTenantLock(sql, lock, { what: `tenant ${status === 'active' ? 'resume' : 'suspend'}`, registry: strategy.registry }, async (tx) => {
    const [row] = await registryQuery<{ previous: string; status: string }>(tx, 'tenants/set-status', strategy.registry, [tenant.id, status]);
    const action = status === 'suspended' ? 'tenant.suspended' : 'tenant.resumed';
    await auditTenant(tx, tenant.id, action, { status: row!.previous }, { status }, context);
    await recordTenantEvent(tx, tenant.id, action, { from: row!.previous, to: status }, context);
    return { slug, changed: true, from: row!.previous, to: status };
  });
}

/**
 * Move a tenant to another plan: the live subscription is closed (cancelled now) and a new
 * one starts on the new plan — a trial keeps its end date — so public.subscriptions keeps
 * the history; the change is also in public.audit_logs. One transaction.
 */
export async function changePlan(sql: Pool, registry: RegistrySpec, ref: Tenant, planCode: string, context: AuditContext): Promise<Change & { subscriptionId: string }> {
  const slug = ref.handle;
  const found = await requireTenant(sql, registry, ref);
  const unchanged = (current: typeof found.subscription) => current && current.plan === planCode && !['cancelled', 'expired'].includes(current.status);
  if (unchanged(found.subscription)) return { slug, changed: false, from: found.subscription!.plan, to: planCode, subscriptionId: found.subscription!.id };
  // Under the tenant's lock (see setTenantStatus); the subscription is read again once it is held.
  return withTenantLock(sql, { id: found.id, slug, schema: found.schema }, { what: 'tenant plan', registry }, async (tx) => {
    const tenant = await requireTenant(tx, registry, ref);
    const current = tenant.subscription;
    if (unchanged(current)) return { slug, changed: false, from: current!.plan, to: planCode, subscriptionId: current!.id };
    const [plan] = await query<{ id: string | null; known: string[] }>(tx, 'tenants/plan-by-code', [planCode]);
    if (!plan?.id) throw unknownPlan(planCode, plan?.known ?? []);
    const live = current && !['cancelled', 'expired'].includes(current.status) ? current : null;
    if (live) await query(tx, 'tenants/end-subscription', [live.id]);
    const trialEnd = live?.status === 'trial' ? live.trialEndsAt : null;
    const [created] = await query<{ id: string; status: string }>(tx, 'tenants/insert-subscription', [tenant.id, plan.id, 0, trialEnd]);
    await auditTenant(tx, tenant.id, 'tenant.plan_changed', { plan: current?.plan ?? null, subscription: current?.id ?? null }, { plan: planCode, subscription: created!.id, status: created!.status }, context);
    return { slug, changed: true, from: current?.plan ?? null, to: planCode, subscriptionId: created!.id };
  });
}
