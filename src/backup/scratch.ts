import { createHash, randomBytes } from 'node:crypto';
import type { ConnectionConfig } from '../db/config.js';
import { connect, type Sql } from '../db/connect.js';
import { composed, query } from '../db/queries.js';
import { TenantctlError, isPgError } from '../errors.js';

/** Every scratch database starts with this, so leftovers are recognisable (and cleaned). */
export const SCRATCH_PREFIX = 'tenantctl_verify_';

/** A throwaway database on the live server, guarded by a session that names it. */
export interface ScratchDatabase {
  name: string;
  connection: ConnectionConfig;
  /** Drop it (terminating its sessions); safe to call twice. */
  drop(): Promise<void>;
}

/**
 * The name prefix of scratch databases made for checks of the current database. Leftovers
 * are only ours to drop when they came from this database: another database's cron job
 * (or a concurrent check of it) cleans its own.
 */
async function scratchPrefix(sql: Sql): Promise<string> {
  const [row] = (await sql`select current_database() as name`) as unknown as [{ name: string }];
  return scratchPrefixOf(row.name);
}

/** The scratch name prefix for checks of `database`: the shared prefix plus a hash of its name. */
export function scratchPrefixOf(database: string): string {
  return `${SCRATCH_PREFIX}${createHash('sha256').update(database).digest('hex').slice(0, 8)}_`;
}

/**
 * Drop scratch databases left by verify runs that died without cleaning up (SIGKILL, power
 * loss). A running verify keeps a session with application_name `tenantctl-verify:<name>`;
 * a scratch database with no such session belongs to nobody.
 */
export async function dropStaleScratch(sql: Sql): Promise<string[]> {
  const stale = await query<{ name: string }>(sql, 'backup/stale-scratch', [await scratchPrefix(sql)]);
  for (const { name } of stale) await dropDatabase(sql, name);
  return stale.map((s) => s.name);
}

/**
 * DROP DATABASE as a role without superuser or pg_signal_backend may run it. The plain form
 * first: it ends autovacuum workers in the database itself and waits up to 5 s for other
 * sessions to leave. WITH (FORCE) only when a session stays (the restore's own, still closing):
 * it must be allowed to end each one, and may not end an autovacuum worker unless the role is
 * a superuser (one can start between the two), so a refusal there tries the plain form again.
 */
export async function dropDatabase(sql: Sql, name: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await sql`drop database if exists ${sql(name)}`;
      return;
    } catch (error) {
      if (!isPgError(error) || error.code !== '55006') throw error; // object_in_use: sessions remain
    }
    try {
      await sql`drop database if exists ${sql(name)} with (force)`;
      return;
    } catch (error) {
      if (!isPgError(error) || error.code !== '42501' || attempt === 3) throw error;
    }
  }
}

/** What a scratch database is for, in the words of the command that asks for it. */
export interface ScratchPurpose {
  /** What the database is for, e.g. "the check" (verify): the error for a user without CREATEDB names it. */
  purpose: string;
  /** What else the user can do without CREATEDB with this command, e.g. verify's --target-url; none when nothing. */
  instead?: string;
}

/**
 * Create a scratch database (from template0, so nothing of template1 collides with the
 * restore; with the live database's encoding and locale, so its text restores unchanged and
 * sorts alike) and the guard session that marks it as in use until `drop()`. `why` words the
 * error for a user without CREATEDB: each command has its own way around it (or none).
 */
export async function createScratch(sql: Sql, live: ConnectionConfig, why: ScratchPurpose): Promise<ScratchDatabase> {
  const name = `${await scratchPrefix(sql)}${randomBytes(6).toString('hex')}`;
  const [create] = await query<{ statement: string }>(sql, 'backup/create-scratch-statement', [name]);
  // The guard first: from the moment the database exists, a concurrent run's cleanup sees it is ours.
  const guard = connect({ ...live, applicationName: `tenantctl-verify:${name}` }, { max: 1 });
  await guard`select 1`;
  try {
    await composed(sql, create!.statement);
  } catch (error) {
    await guard.end({ timeout: 5 });
    if (isPgError(error) && error.code === '42501') {
      throw new TenantctlError('BACKUP_NO_CREATEDB', `User "${live.user}" may not create the scratch database for ${why.purpose} (${error.message}).`, {
        hint: `Grant CREATEDB to this user${why.instead ? `, or ${why.instead}` : ''}.`,
        cause: error,
      });
    }
    throw error;
  }
  let dropped = false;
  return {
    name,
    connection: { ...live, database: name, display: live.display.replace(/\/[^/?]*(\?|$)/, `/${name}$1`) },
    async drop() {
      if (dropped) return;
      dropped = true;
      try {
        await dropDatabase(sql, name);
      } finally {
        await guard.end({ timeout: 5 });
      }
    },
  };
}
