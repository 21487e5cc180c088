import type { PooledDeclarations } from '../../pooled/declarations.js';
import { TenantctlError } from '../../errors.js';
import type { TenancyProfile } from '../../tenancy/profile.js';

/** The pooled engine's declarations of a pooled profile; a profile without them is a programming error, said plainly. */
export function declarationsOf(profile: TenancyProfile): PooledDeclarations {
  if (!profile.pooled) throw new TenantctlError('PROFILE_NOT_POOLED', `Profile ${profile.name} is ${profile.mode}: it has no pooled declarations.`, { hint: 'This operation is for pooled profiles.' });
  return profile.pooled;
}
