import type { Pool, Sql } from '../db/connect.js';
import { ensureTables } from '../db/bootstrap.js';
import { query } from '../db/queries.js';
import { TenantctlError, usageError } from '../errors.js';
import type { TenancyProfile } from './profile.js';

/** What the user asked for, before the database is asked. */
export interface ProfileRequest {
  /** --profile */
  flag?: string;
  /** TENANTCTL_PROFILE */
  env?: string;
}

/** The profile a command runs with, and where that came from. */
export interface ResolvedProfile {
  profile: TenancyProfile;
  source: 'flag' | 'environment' | 'database' | 'default';
  /** The name recorded in tenantctl.profile, if any. */
  recorded: string | null;
}

const requested = (request: ProfileRequest): { name: string; source: 'flag' | 'environment' } | undefined => {
  if (request.flag) return { name: request.flag, source: 'flag' };
  if (request.env) return { name: request.env, source: 'environment' };
  return undefined;
};

/** A built-in profile by name; an unknown name is a usage error listing the known ones. */
export function profileNamed(profiles: readonly TenancyProfile[], name: string, where: string): TenancyProfile {
  const profile = profiles.find((p) => p.name === name);
  if (!profile) throw usageError(`Unknown profile "${name}" (${where}).`, `Known profiles: ${profiles.map((p) => p.name).join(', ')}.`, { profile: name });
  return profile;
}

/**
 * The profile named by --profile or TENANTCTL_PROFILE, without asking the database; used to
 * check what users typed before connecting. Undefined when neither is given.
 */
export function requestedProfile(profiles: readonly TenancyProfile[], request: ProfileRequest): TenancyProfile | undefined {
  const asked = requested(request);
  return asked ? profileNamed(profiles, asked.name, asked.source === 'flag' ? '--profile' : 'TENANTCTL_PROFILE') : undefined;
}

/** The name recorded in the database, or null (no record, or tenantctl never ran here). */
export async function recordedProfile(sql: Sql): Promise<string | null> {
  const [row] = await query<{ name: string | null }>(sql, 'tenancy/read-profile');
  return row?.name ?? null;
}

/**
 * Resolve the profile once per command: --profile, else TENANTCTL_PROFILE, else what the
 * database recorded at its first `migrate up`, else `fallback` (commerce: databases
 * migrated before profiles existed have no record). A flag or variable that disagrees with
 * the record is a usage error naming both.
 */
export async function resolveProfile(sql: Sql, profiles: readonly TenancyProfile[], request: ProfileRequest, fallback: TenancyProfile): Promise<ResolvedProfile> {
  const asked = requested(request);
  const chosen = requestedProfile(profiles, request);
  const recorded = await recordedProfile(sql);
  if (recorded !== null && chosen && chosen.name !== recorded) {
    const where = asked!.source === 'flag' ? `--profile ${chosen.name}` : `TENANTCTL_PROFILE=${chosen.name}`;
    throw usageError(`This database belongs to profile "${recorded}" (recorded in tenantctl.profile at its first migrate up), but ${where} asks for profile "${chosen.name}".`, `Drop ${asked!.source === 'flag' ? 'the --profile flag' : 'TENANTCTL_PROFILE'} (later commands need none), or point at the database of profile "${chosen.name}".`, { recorded, requested: chosen.name });
  }
  if (chosen) return { profile: chosen, source: asked!.source, recorded };
  if (recorded !== null) {
    const profile = profiles.find((p) => p.name === recorded);
    if (!profile) {
      throw new TenantctlError('PROFILE_UNKNOWN', `This database belongs to profile "${recorded}", which this tenantctl does not know.`, { hint: `Known profiles: ${profiles.map((p) => p.name).join(', ')}. Upgrade tenantctl.`, details: { recorded } });
    }
    return { profile, source: 'database', recorded };
  }
  return { profile: fallback, source: 'default', recorded };
}

/**
 * Record the profile (first `migrate up`); a database that already has a record keeps it. Two
 * first runs started together with different profiles both passed resolveProfile before either
 * recorded: the one that records second is refused here (`migrate up` records before it runs).
 * @returns whether this call made the record (forgetProfileIfUnused may then undo it)
 */
export async function recordProfile(sql: Pool, profile: TenancyProfile): Promise<boolean> {
  await ensureTables(sql, 'tenantctl.profile', 'tenancy/bootstrap-profile');
  return recordProfileRow(sql, profile);
}

/**
 * recordProfile where its table is known to exist (a recordProfile of this run made sure): on
 * any connection, such as the one holding the fleet lock, where `migrate up` records again.
 */
export async function recordProfileRow(sql: Sql, profile: TenancyProfile): Promise<boolean> {
  const [inserted] = await query<{ name: string }>(sql, 'tenancy/record-profile', [profile.name]);
  if (inserted) return true;
  const recorded = await recordedProfile(sql);
  if (recorded !== null && recorded !== profile.name) {
    throw usageError(`This database was just recorded as profile "${recorded}" by another tenantctl run, while this run uses profile "${profile.name}".`, `Point this command at the database of profile "${profile.name}", or run it again without --profile and TENANTCTL_PROFILE to use the recorded one.`, { recorded, requested: profile.name });
  }
  return false;
}

/**
 * Undo the record recordProfile made for a run that then applied nothing: while
 * tenantctl.schema_migrations is empty the database holds nothing of the profile, and a failed
 * first `migrate up` must not lock it to a profile (the next run may use another). Only the run
 * whose recordProfile returned true calls this.
 * @returns whether the record was removed
 */
export async function forgetProfileIfUnused(sql: Sql, profile: TenancyProfile): Promise<boolean> {
  return (await query(sql, 'tenancy/forget-profile', [profile.name])).length > 0;
}
