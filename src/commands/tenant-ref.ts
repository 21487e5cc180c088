import type { Io } from '../context.js';
import type { Pool } from '../db/connect.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { resolveTenant, type Tenant } from '../tenancy/registry.js';
import { profileRequested, withProfile, type GlobalOptions } from './shared.js';

/**
 * Resolve the tenant a command names (id or handle) with the command's profile, then run
 * `work`. The handle is checked before connecting when --profile / TENANTCTL_PROFILE names
 * the profile; otherwise once the database said which profile it is.
 */
export async function withTenant<T>(io: Io, options: GlobalOptions, ref: string, work: (sql: Pool, profile: TenancyProfile, tenant: Tenant) => Promise<T>): Promise<T> {
  checkRefEarly(io, options, ref);
  return withProfile(io, options, async (sql, profile) => work(sql, profile, await resolveTenant(sql, profile, ref)));
}

/** Before connecting: a ref the requested profile could never accept (not an id, not a valid handle) is a usage error. */
export function checkRefEarly(io: Io, options: GlobalOptions, ref: string, flag?: string): void {
  const profile = profileRequested(io, options);
  if (profile && !/^[0-9a-f-]{36}$/i.test(ref)) profile.validateHandle(ref, flag);
}
