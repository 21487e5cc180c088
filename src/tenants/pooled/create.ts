import type { Pool, Sql } from '../../db/connect.js';
import { query } from '../../db/queries.js';
import { isPgError, TenantctlError } from '../../errors.js';
import type { LifecycleOptions, ProvisionValues } from '../../tenancy/lifecycle.js';
import { randomUUID } from 'node:crypto';
import { targetLockName, withTenantLock } from '../../tenancy/locks.js';
import type { TenancyProfile } from '../../tenancy/profile.js';
import { ensureBookkeeping } from '../../migrate/state.js';
import { failpoint } from '../failpoint.js';

/** What a pooled profile's provisioning created, as `tenant create` prints it. */
export interface PooledCreated {
  id: string;
  slug: string;
  name: string;
  status: string;
  plan: string | null;
  createdAt: Date;
  roles: { name: string; id: string; permissions: number }[];
  owner: { id: string; email: string; role: string; passwordSet: boolean };
  /** What else this profile's provisioning made (ABParts: the invitation, a warehouse; Prometric: the workspace). */
  details?: Record<string, unknown>;
}

/**
 * A pooled profile's provisioning: `validate` checks the values before any SQL runs,
 * `create` inserts the rows in the caller's transaction; `step` marks the failpoints
 * crash tests use.
 */
export interface Provisioner<Input> {
  validate(values: ProvisionValues): Input;
  create(tx: Sql, input: Input, step: (name: string) => Promise<void>): Promise<PooledCreated>;
}

function explain(error: unknown, profile: TenancyProfile, handle: string): unknown {
  if (!isPgError(error)) return error;
  const r = profile.registry;
  if (error.code === '23505' && error.table_name === r.table) {
    return new TenantctlError('TENANT_EXISTS', `A tenant with ${r.handleLabel} "${handle}" already exists (${error.constraint_name}).`, { hint: `Pick another ${r.handleLabel}, or look at it with \`tenantctl tenant show "${handle}"\`.`, details: { handle, constraint: error.constraint_name }, cause: error });
  }
  if (error.code === '42P01' || error.code === '42704') {
    return new TenantctlError('NOT_MIGRATED', `The ${profile.name} schema is not there yet: ${error.message}.`, { hint: `Run \`tenantctl --profile ${profile.name} migrate up\` first. Nothing was created.`, cause: error });
  }
  if (['23502', '23503', '23505', '23514', '22001', '22P02'].includes(error.code)) {
    return new TenantctlError('TENANT_INVALID', `Tenant "${handle}" was rejected by the database: ${error.message}${error.detail ? ` (${error.detail})` : ''}.`, { hint: 'Check the values given; nothing was created.', details: { handle, constraint: error.constraint_name, table: error.table_name }, cause: error });
  }
  return error;
}

/**
 * Provision a pooled tenant in ONE transaction: every row the profile's provisioning
 * inserts commits together or not at all. Holds the pooled target's migration lock
 * (shared with `migrate` and erase, so provisioning never runs against a half-migrated
 * schema); when another command holds it, waits, or with `noWait` fails with TENANT_LOCKED.
 */
export async function createPooledTenant<Input>(sql: Pool, profile: TenancyProfile, provisioner: Provisioner<Input>, values: ProvisionValues, options: LifecycleOptions): Promise<PooledCreated & { schemaVersion: string | null; durationMs: number }> {
  const started = performance.now();
  const input = provisioner.validate(values);
  await ensureBookkeeping(sql);
  try {
    const schema = profile.registry.schema;
    // The new tenant's id is nobody else's business yet: the lock that matters is the target's.
    const tenant = { id: randomUUID(), slug: String(values.handle ?? ''), schema };
    const lock = { what: 'tenant create', expectRow: false, registry: profile.registry, scopeLock: { name: targetLockName(schema), label: `the lock of schema ${schema}` }, noWait: options.noWait, onWait: options.onWait };
    const created = await withTenantLock(sql, tenant, lock, async (tx) => {
      await query(tx, 'tenancy/schema-first-search-path', [schema]);
      const result = await provisioner.create(tx, input, (name) => failpoint(options.failpoints, name));
      await failpoint(options.failpoints, 'tenant-create:before-commit');
      const [version] = await query<{ versions: string[] }>(tx, 'tenants/schema-version', [profile.registry.schema]);
      return { ...result, schemaVersion: version?.versions.at(-1) ?? null };
    });
    return { ...created, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    // As validated: the name without the spaces around it (" Bravo" clashes with "Bravo").
    throw explain(error, profile, String(values.handle ?? '').trim());
  }
}
