import type { TransactionSql } from 'postgres';
import type { Pool, Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { registryRows } from './registry.js';
import type { RegistrySpec } from './profile.js';
import { describeHolder, withSessionLock, type LockHolder } from '../db/session-lock.js';
import { EXIT, isPgError, TenantctlError } from '../errors.js';
import { failpoint } from '../tenants/failpoint.js';

/**
 * The advisory lock that owns one schema: every migration of it, and anything that must not
 * interleave with one (tenant create, erase, fixture loads), takes this name.
 */
export const schemaLockName = (schema: string): string => `tenantctl.migrate:${schema}`;

/**
 * The advisory lock that owns one tenant, keyed by its registry id (not its schema or
 * slug): erase, import, export, restore-tenant and provisioning of the same tenant take it,
 * always as their FIRST lock (before the schema's migration lock, row locks and table
 * locks), so that two of them queue on it instead of deadlocking half-way.
 */
export const tenantLockName = (tenantId: string): string => `tenantctl.tenant:${tenantId}`;

/** How a command takes a tenant's lock. */
export interface TenantLockOptions {
  /** What the command does, for whoever waits on it: `import products`, `tenant erase`. */
  what: string;
  /** Readers (exports) share the lock with each other, taken before their snapshot (withReaderLock); writers hold it alone. @default false */
  shared?: boolean;
  /** Fail at once (exit 75) instead of waiting when another command holds it. @default false */
  noWait?: boolean;
  /** Called once when the lock is busy and the command queues behind the holder. */
  onWait?: (message: string) => void;
  /** The registry row must still exist once the lock is held (false: provisioning). @default true */
  expectRow?: boolean;
  /**
   * A second lock, taken (exclusively) right after the tenant's with the same wait rules.
   * Provisioning needs it: a new tenant's id is known to nobody else, so what another command
   * holds is the lock of the schema it will occupy (erase, migrate, another create of it).
   */
  scopeLock?: { name: string; label: string };
  /** TENANTCTL_FAILPOINT value (tests only): `tenant-lock:before-snapshot` (readers). */
  failpoints?: string;
  /** The profile's registry, holding the tenant's row (checked once the lock is held unless `expectRow` is false). */
  registry: RegistrySpec;
}

/** The tenant a lock is for: its id keys the lock, slug and schema name it in messages. */
export interface LockedTenant {
  id: string;
  slug: string;
  schema: string;
}

function lockedError(tenant: LockedTenant, holder: LockHolder | undefined, what: string, lock = 'its lock'): TenantctlError {
  return new TenantctlError('TENANT_LOCKED', `Tenant ${tenant.slug} is busy: another command holds ${lock}${describeHolder(holder)}; ${what} did not start.`, {
    hint: 'Wait for it to finish and run the command again, or leave out --no-wait to queue behind it.',
    details: { tenant: tenant.slug, tenantId: tenant.id, holderPid: holder?.pid ?? null, holder: holder?.applicationName ?? null },
    exitCode: EXIT.locked,
  });
}

async function holderOf(sql: Sql, name: string): Promise<LockHolder | undefined> {
  const [row] = await query<{ pid: number; application_name: string | null }>(sql, 'db/lock-holder', [name]);
  return row ? { pid: row.pid, applicationName: row.application_name } : undefined;
}

/**
 * Inside the transaction, once the lock is ours: the tenant must still be the one we resolved,
 * in the profile's registry (its schema: its own, or the pooled one every tenant shares).
 */
async function checkStillThere(tx: Sql, registry: RegistrySpec, tenant: LockedTenant): Promise<void> {
  const row = (await registryRows(tx, registry, [tenant.id])).find((r) => r.id === tenant.id);
  if (!row) throw new TenantctlError('TENANT_GONE', `Tenant ${tenant.slug} no longer exists: it was erased while this command was getting ready or waiting for it. Nothing was changed.`, { hint: `See \`tenantctl tenant receipts --slug ${tenant.slug}\`.`, details: { tenant: tenant.slug, tenantId: tenant.id } });
  if (row.schema !== tenant.schema) {
    throw new TenantctlError('TENANT_SCHEMA_MISMATCH', `Tenant ${tenant.slug}'s registry row changed while this command was getting ready: its schema is now "${row.schema}", was "${tenant.schema}". Nothing was changed.`, { hint: `Check ${registry.schema}.${registry.table}, then run the command again.`, details: { tenant: tenant.slug, was: tenant.schema, now: row.schema } });
  }
}

/** The lock a try found busy: its name, and how messages call it. */
interface Busy {
  busy: { name: string; label: string };
}

/**
 * Run `work` in one transaction that holds the tenant's lock from its first statement to
 * its end. When another command holds it: with `noWait`, TENANT_LOCKED (exit 75) naming the
 * holder; else `onWait` is told who holds it, the wait happens OUTSIDE the transaction, and
 * the transaction starts afresh once the holder is done, so a REPEATABLE READ snapshot
 * (exports) never predates the holder's commit. Then the registry row is checked again.
 * @param mode transaction mode for sql.begin, e.g. 'isolation level repeatable read' @default read committed
 */
export async function withTenantLock<T>(sql: Pool, tenant: LockedTenant, options: TenantLockOptions, work: (tx: TransactionSql<Record<string, never>>) => Promise<T>, mode = ''): Promise<T> {
  if (options.shared) return withReaderLock(sql, tenant, options, work, mode);
  const own = { name: tenantLockName(tenant.id), label: 'its lock' };
  const locks = options.scopeLock ? [own, options.scopeLock] : [own];
  const application = `tenantctl ${options.what} ${tenant.slug}`;
  let told = false;
  for (;;) {
    const result = await sql.begin(mode, async (tx): Promise<Busy | { value: T }> => {
      const [tried] = await query<{ busy: number | null }>(tx, 'tenancy/tenant-lock-try', [locks.map((l) => l.name), application]);
      if (tried!.busy !== null) return { busy: locks[tried!.busy - 1]! };
      if (options.expectRow ?? true) await checkStillThere(tx, options.registry, tenant);
      return { value: await work(tx) };
    });
    if (!('busy' in result)) return result.value;
    const { name, label } = result.busy;
    const holder = await holderOf(sql, name);
    if (options.noWait) throw lockedError(tenant, holder, options.what, label);
    if (!told) options.onWait?.(`waiting for tenant ${tenant.slug}: another command holds ${label}${describeHolder(holder)} (pass --no-wait to fail instead)…`);
    told = true;
    try {
      await query(sql, 'tenancy/tenant-lock-wait', [name]);
    } catch (error) {
      // A lock_timeout set for the role or database ends the wait: the same answer as --no-wait.
      if (isPgError(error) && error.code === '55P03') throw lockedError(tenant, holder, options.what, label);
      throw error;
    }
  }
}

/**
 * Readers (exports) read one snapshot, and it must not predate the lock: a snapshot taken by
 * the statement that also takes the lock is older than the lock, and an erase committing in
 * between would be invisible to it, so its rows would be exported after their erasure. So a
 * reader takes the lock (shared) at session level on a reserved connection FIRST, and only
 * then begins its transaction on another: the snapshot is taken while nobody can erase.
 */
async function withReaderLock<T>(sql: Pool, tenant: LockedTenant, options: TenantLockOptions, work: (tx: TransactionSql<Record<string, never>>) => Promise<T>, mode: string): Promise<T> {
  let holder: LockHolder | undefined;
  const onBusy = (busy: LockHolder | undefined): void => {
    holder = busy;
    if (options.noWait) throw lockedError(tenant, busy, options.what);
    options.onWait?.(`waiting for tenant ${tenant.slug}: another command holds its lock${describeHolder(busy)} (pass --no-wait to fail instead)…`);
  };
  try {
    return await withSessionLock(sql, tenantLockName(tenant.id), onBusy, async () => {
      await failpoint(options.failpoints, 'tenant-lock:before-snapshot');
      return sql.begin(mode, async (transaction) => {
        if (options.expectRow ?? true) await checkStillThere(transaction, options.registry, tenant);
        return work(transaction);
      }) as Promise<T>;
    }, { shared: true });
  } catch (error) {
    // A lock_timeout set for the role or database ends the wait: the same answer as --no-wait.
    if (isPgError(error) && error.code === '55P03') throw lockedError(tenant, holder, options.what);
    throw error;
  }
}

/**
 * Hold the tenant's lock across several transactions and external tools (restore-tenant runs
 * pg_restore between its SQL steps): a session-level lock on a reserved connection, released
 * at the end or when the process dies.
 */
export function withTenantSessionLock<T>(sql: Pool, tenant: LockedTenant, options: Pick<TenantLockOptions, 'what' | 'noWait' | 'onWait'>, work: () => Promise<T>): Promise<T> {
  return withSessionLock(
    sql,
    tenantLockName(tenant.id),
    (holder) => {
      if (options.noWait) throw lockedError(tenant, holder, options.what);
      options.onWait?.(`waiting for tenant ${tenant.slug}: another command holds its lock${describeHolder(holder)} (pass --no-wait to fail instead)…`);
    },
    work,
  );
}

/** The lock a `migrate` run holds for its whole duration (one run at a time). */
export const FLEET_LOCK = 'tenantctl.migrate:fleet';

/**
 * The lock that owns one migration target: a tenant schema, or a pooled profile's one
 * schema (the same name as schemaLockName: a target is a schema).
 */
export const targetLockName = schemaLockName;

/** Take a transaction-level advisory lock (released at commit or rollback). */
export async function lockInTransaction(tx: Sql, name: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`;
}
