import type { Io } from '../context.js';
import type { Pool } from '../db/connect.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { resolveTenant, type Tenant } from '../tenancy/registry.js';
import { profileRequested, withProfile, type GlobalOptions, type PoolOptions } from './shared.js';

/**
 * Resolve the tenant a command names (id or handle) with the command's profile, then run
 * `work`. The handle is looked up as given: a tenant the application inserted may have one
 * tenantctl would not create (`acme-corp`); one that names no tenant is TENANT_NOT_FOUND.
 */
export async function withTenant<T>(io: Io, options: GlobalOptions, ref: string, work: (sql: Pool, profile: TenancyProfile, tenant: Tenant) => Promise<T>, pool?: PoolOptions): Promise<T> {
  return withProfile(io, options, async (sql, profile) => work(sql, profile, await resolveTenant(sql, profile, ref)), 4, pool);
}

/** Before connecting: a NEW tenant's handle the requested profile would not create is a usage error (existing tenants are looked up as given). */
export function checkNewHandleEarly(io: Io, options: GlobalOptions, handle: string, flag?: string): void {
  profileRequested(io, options)?.validateHandle(handle, flag);
}
