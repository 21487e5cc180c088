import { TenantctlError } from '../errors.js';
import { compareVersions, type Migration, type MigrationScope } from './files.js';

/** A scope whose database is ahead of the migration files at hand. */
export interface AheadOfCheckout {
  scope: MigrationScope;
  /** The newest version applied in the database that no file here has. */
  database: string;
  /** The newest file here (null: none). */
  checkout: string | null;
}

/**
 * Is the database ahead of these files (applied versions newer than the newest file)? Such
 * a checkout is older than the database: provisioning or migrating with it would create
 * tenants at an old version. Pure. Versions older than the newest file that have no file are
 * drift (`migrate verify`), not this.
 */
export function aheadOfCheckout(scope: MigrationScope, applied: Iterable<string>, files: Migration[]): AheadOfCheckout | undefined {
  const newestFile = files.at(-1)?.version ?? null;
  const known = new Set(files.map((f) => f.version));
  let newest: string | undefined;
  for (const version of applied) {
    if (known.has(version) || (newestFile !== null && compareVersions(version, newestFile) < 0)) continue;
    if (!newest || compareVersions(version, newest) > 0) newest = version;
  }
  return newest ? { scope, database: newest, checkout: newestFile } : undefined;
}

/** Refuse to provision or migrate with migration files older than the database. */
export function refuseOlderCheckout(ahead: AheadOfCheckout | undefined, what: string, dir?: string): void {
  if (!ahead) return;
  throw new TenantctlError('CHECKOUT_BEHIND_DATABASE', `Refusing to ${what}: the database has ${ahead.scope} migration ${ahead.database} applied, but the newest ${ahead.scope} migration here is ${ahead.checkout ?? '(none)'}${dir ? ` (${dir})` : ''}. This checkout is older than the database. Nothing was changed.`, {
    hint: 'Update tenantctl or the migrations folder (git pull, --migrations-dir, TENANTCTL_MIGRATIONS_DIR) to the version that migrated this database, then run the command again.',
    details: { ...ahead },
  });
}
