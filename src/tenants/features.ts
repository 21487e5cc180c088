import type { Pool, Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { usageError } from '../errors.js';
import { auditTenant, type AuditContext } from './audit.js';
import type { Tenant } from '../tenancy/registry.js';
import { requireTenant } from './find.js';
import { withTenantLock } from '../tenancy/locks.js';
import type { RegistrySpec } from '../tenancy/profile.js';

/** One feature as a tenant gets it, and why. */
export interface EffectiveFeature {
  code: string;
  name: string;
  category: string | null;
  enabled: boolean;
  /** 'plan', 'tenant override' or 'not in plan'. */
  source: string;
  planEnabled: boolean | null;
  overrideEnabled: boolean | null;
  overrideReason: string | null;
}

/** What to change: codes to switch on, off, or back to the plan's value. */
export interface FeatureChanges {
  enable?: string[];
  disable?: string[];
  reset?: string[];
}

/** The effective feature set of a tenant: its plan's features and its overrides. */
export async function effectiveFeatures(sql: Sql, registry: RegistrySpec, ref: Tenant): Promise<{ slug: string; plan: string | null; features: EffectiveFeature[] }> {
  const slug = ref.handle;
  const tenant = await requireTenant(sql, registry, ref);
  const rows = await query<{ code: string; name: string; category: string | null; enabled: boolean; source: string; plan_enabled: boolean | null; override_enabled: boolean | null; override_reason: string | null }>(sql, 'tenants/features-effective', [tenant.id, tenant.subscription?.planId ?? null]);
  return {
    slug,
    plan: tenant.subscription?.plan ?? null,
    features: rows.map((r) => ({ code: r.code, name: r.name, category: r.category, enabled: r.enabled, source: r.source, planEnabled: r.plan_enabled, overrideEnabled: r.override_enabled, overrideReason: r.override_reason })),
  };
}

/**
 * Upsert the tenant's overrides in public.tenant_features (and remove the reset ones), each
 * change recorded in public.audit_logs, all in one transaction. Unknown codes and a code
 * named twice are usage errors.
 */
export async function changeFeatures(sql: Pool, registry: RegistrySpec, ref: Tenant, changes: FeatureChanges, context: AuditContext & { reason: string }): Promise<void> {
  const tenant = await requireTenant(sql, registry, ref);
  const [{ codes }] = (await query<{ codes: string[] }>(sql, 'tenants/feature-codes')) as [{ codes: string[] }];
  const all = [...(changes.enable ?? []), ...(changes.disable ?? []), ...(changes.reset ?? [])];
  const unknown = all.filter((c) => !codes.includes(c));
  if (unknown.length) throw usageError(`Unknown feature${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`, `Known features: ${codes.join(', ')}.`);
  const twice = all.filter((c, i) => all.indexOf(c) !== i);
  if (twice.length) throw usageError(`Feature ${twice[0]} is named more than once in --enable/--disable/--reset.`);
  // Under the tenant's lock, as erase takes it: a tenant erased meanwhile is TENANT_GONE.
  await withTenantLock(sql, { id: tenant.id, slug: ref.handle, schema: tenant.schema }, { what: 'tenant features', registry }, async (tx) => {
    for (const [list, enabled] of [[changes.enable ?? [], true], [changes.disable ?? [], false]] as const) {
      for (const code of list) {
        await query(tx, 'tenants/feature-upsert', [tenant.id, code, enabled, context.reason]);
        await auditTenant(tx, tenant.id, 'tenant.feature_override', null, { feature: code, enabled }, context);
      }
    }
    for (const code of changes.reset ?? []) {
      await query(tx, 'tenants/feature-reset', [tenant.id, code]);
      await auditTenant(tx, tenant.id, 'tenant.feature_reset', null, { feature: code }, context);
    }
  });
}
