import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';
import type { TenancyProfile } from './profile.js';

/** A server's version: as people read it (14.23) and as server_version_num (140023). */
export interface ServerVersion {
  version: string;
  versionNum: number;
}

/**
 * The error for a server older than the profile's migrations need, or null when it is new
 * enough. Said before anything runs: on such a server a first `migrate up` would record the
 * profile and apply the shared migrations, and every tenant created after would fail on a
 * statement the server cannot parse (commerce on 14: "syntax error at or near NULLS").
 */
export function serverShortfall(profile: Pick<TenancyProfile, 'name' | 'serverMinimum'>, server: ServerVersion): TenantctlError | null {
  const { major, why } = profile.serverMinimum;
  if (Math.floor(server.versionNum / 10000) >= major) return null;
  return new TenantctlError('SERVER_TOO_OLD', `Profile ${profile.name} needs PostgreSQL ${major} or newer (${why}); this server is PostgreSQL ${server.version}.`, {
    hint: `Use a PostgreSQL ${major}+ server: upgrade this one, or point --database-url / DATABASE_URL at a newer one. Nothing was applied or recorded.`,
    details: { profile: profile.name, needMajor: major, serverVersion: server.version },
  });
}

/** Refuse, before anything runs, a server older than what `profile` needs. */
export async function requireServerFor(sql: Sql, profile: Pick<TenancyProfile, 'name' | 'serverMinimum'>): Promise<void> {
  const [row] = await query<{ version: string; version_num: number }>(sql, 'tenancy/server-version');
  const refused = serverShortfall(profile, { version: row!.version, versionNum: row!.version_num });
  if (refused) throw refused;
}
