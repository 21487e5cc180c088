import type { Pool } from '../db/connect.js';
import { createdBackups } from './log.js';
import type { Manifest } from './manifest.js';
import { serverFacts, systemIdentifier } from './snapshot.js';

/** Who is asking: the connected database, its cluster, and the backups it logged as created. */
export interface Us {
  database: string;
  systemIdentifier: string | null;
  created: ReadonlySet<string>;
}

/**
 * Is this backup of the connected database? When both sides know the cluster's system
 * identifier, it and the database name decide (a copy of the database restored elsewhere,
 * log included, is another database). Otherwise only this database's own creation record
 * makes a backup ours: a name alone could be another server's database of the same name.
 */
export function isOurs(manifest: Pick<Manifest, 'id' | 'database' | 'source'>, us: Us): boolean {
  if (manifest.database !== us.database) return false;
  const theirs = manifest.source?.systemIdentifier ?? null;
  if (theirs && us.systemIdentifier) return theirs === us.systemIdentifier;
  return us.created.has(manifest.id);
}

/** The database a backup was taken from, as people read it. */
export function whose(manifest: Pick<Manifest, 'database' | 'source'>): string {
  const where = manifest.source ? `${manifest.source.server}, system ${manifest.source.systemIdentifier ?? 'unknown'}` : 'no server recorded';
  return `database ${manifest.database} (${where})`;
}

/** The connected database, as isOurs() compares a backup with it. */
export async function whoAsks(sql: Pool): Promise<Us> {
  return { database: (await serverFacts(sql)).database, systemIdentifier: await systemIdentifier(sql), created: await createdBackups(sql) };
}
