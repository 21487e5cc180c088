import type { Sql } from '../../db/connect.js';
import { TenantctlError } from '../../errors.js';
import type { EraseRequest, ErasureView } from '../../tenancy/lifecycle.js';
import type { TenancyProfile } from '../../tenancy/profile.js';
import type { Tenant } from '../../tenancy/registry.js';
import { tableShares, type TableShare } from './read.js';

/** What `tenant erase` would remove for a pooled tenant. */
export interface PooledErasurePlan {
  tenant: { id: string; slug: string; name: string; status: string };
  remove: (TableShare & { foundBy: string })[];
  totals: { tables: number; rows: number };
}

/** Every table holding the tenant's rows, with counts. */
export async function planPooledErasure(sql: Sql, profile: TenancyProfile, tenant: Tenant): Promise<PooledErasurePlan> {
  const remove = (await tableShares(sql, profile, tenant.id)).filter((t) => t.rows > 0);
  return { tenant: { id: tenant.id, slug: tenant.handle, name: tenant.name, status: tenant.status }, remove, totals: { tables: remove.length, rows: remove.reduce((n, t) => n + t.rows, 0) } };
}

/** Pooled erasure runs the pooled engine's plan; until it is wired, refuse and change nothing. */
export async function erasePooledTenant(_sql: Sql, profile: TenancyProfile, plan: PooledErasurePlan, _options: EraseRequest): Promise<ErasureView> {
  throw new TenantctlError('ERASE_UNAVAILABLE', `Erasing ${plan.tenant.slug} needs the pooled erasure engine, which profile ${profile.name} does not have in this build.`, { hint: 'Nothing was erased.' });
}
