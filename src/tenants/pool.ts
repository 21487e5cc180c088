import { ensureAll } from '../db/bootstrap.js';
import type { Pool, Sql } from '../db/connect.js';
import { query, quoteIdent, registryQuery } from '../db/queries.js';
import { describeHolder, withSessionLock } from '../db/session-lock.js';
import { distributeSchemasCreatedInThisTransaction } from '../citus/session.js';
import type { Migration } from '../migrate/files.js';
import { BOOKKEEPING } from '../migrate/state.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import { TenantctlError } from '../errors.js';

/**
 * The warm pool: spare tenant schemas (tenantctl_pool_<n>) built and migrated ahead, so that
 * `tenant create` renames one instead of running the whole tenant migration (33 tables and
 * their indexes, which is PostgreSQL catalog work no round-trip saving removes). Spares live
 * in tenantctl.tenant_pool, never in the registry: nothing that lists tenants sees them.
 */

/** Why a spare is not handed out to a `tenant create` run by this role, in the order they are told. */
export type PassedOver = 'schema gone' | 'built under other default privileges' | 'at other migrations' | 'owned by another role';

/** One spare schema. */
export interface PooledSchema {
  schema: string;
  createdAt: Date;
  /** A `tenant create` run by this role can take it: at exactly the given tenant migrations (versions and checksums), built under the default privileges in force now, owned by this role. */
  ready: boolean;
  versions: string[];
  /** Its schema is gone (dropped by hand) while its pool row stays: fill and `maintain` forget it. */
  missing: boolean;
  /** Why it is not ready (null when it is). Built under other default privileges: never handed out again, so fill and `maintain` drop it. Owned by another role: that role's creates take it, and this role leaves it alone. */
  passedOver: PassedOver | null;
  /** The role that owns it, when that is not this role. */
  owner: string | null;
}

/** The pool as `tenant pool status` shows it. */
export interface PoolStatus {
  /** The size `maintain` refills to (the last `tenant pool fill --size`). */
  target: number;
  ready: number;
  schemas: PooledSchema[];
}

/** The session lock `tenant pool fill` and `maintain`'s refill hold while they build or drop spares. */
const POOL_LOCK = 'tenantctl.pool';

/** version:checksum of each migration, in order: what a spare must have recorded to be handed out. */
const fingerprint = (migrations: readonly Migration[]): string[] => migrations.map((m) => `${m.version}:${m.checksum}`);

/** Create the pool's bookkeeping if missing (idempotent, cached per connection pool). */
export async function ensurePool(sql: Pool): Promise<void> {
  await ensureAll(sql, [
    ...BOOKKEEPING,
    // Keyed on what the script makes last: a pool made by an older tenantctl gets the rest.
    { relation: 'tenantctl.default_privileges_now', script: 'pool/bootstrap' },
  ]);
}

interface StatusRow {
  schema_name: string;
  created_at: Date;
  versions: string[];
  ready: boolean;
  at_migrations: boolean;
  schema_exists: boolean;
  privileges_now: boolean;
  other_owner: string | null;
}

/** The first reason a `tenant create` run by this role would pass the spare over, or null. */
function passedOver(row: StatusRow): PassedOver | null {
  if (row.ready) return null;
  if (!row.schema_exists) return 'schema gone';
  if (!row.privileges_now) return 'built under other default privileges';
  if (!row.at_migrations) return 'at other migrations';
  return 'owned by another role';
}

/** Every spare, whether this role's creates can take it at `migrations` (and if not, why), and the target size. */
export async function poolStatus(sql: Pool, migrations: readonly Migration[]): Promise<PoolStatus> {
  await ensurePool(sql);
  const rows = await query<StatusRow>(sql, 'pool/status', [fingerprint(migrations)]);
  const [target] = await sql`select size from tenantctl.tenant_pool_target`;
  return {
    target: (target as { size: number } | undefined)?.size ?? 0,
    ready: rows.filter((r) => r.ready).length,
    schemas: rows.map((r) => ({ schema: r.schema_name, createdAt: r.created_at, ready: r.ready, versions: r.versions.map((v) => v.split(':')[0]!), missing: !r.schema_exists, passedOver: passedOver(r), owner: r.other_owner })),
  };
}

/** This role's spares that no create will ever take: built before the default privileges changed (a create grants what is in force now). */
export const staleSpares = (status: PoolStatus): string[] =>
  status.schemas.filter((s) => s.passedOver === 'built under other default privileges' && s.owner === null).map((s) => s.schema);

/** The roles owning spares this role's creates pass over, with how many each. */
export const otherRolesSpares = (status: PoolStatus): Record<string, number> =>
  status.schemas.reduce<Record<string, number>>((roles, s) => (s.owner === null ? roles : { ...roles, [s.owner]: (roles[s.owner] ?? 0) + 1 }), {});

/**
 * Schemas named like spares that the pool has no row for (deleted by hand): nothing would ever
 * hand them out, migrate or drop them. Fill and `maintain` drop them; a schema the registry
 * names is a tenant's and never one of them.
 */
export async function orphanSpares(sql: Pool, registry: RegistrySpec): Promise<string[]> {
  await ensurePool(sql);
  return (await registryQuery<{ schema_name: string }>(sql, 'pool/orphans', registry)).map((r) => r.schema_name);
}

/** What fillPool did: spares built, spares dropped, how many are ready now, and other roles' spares it left alone. */
export interface PoolFill {
  created: string[];
  dropped: string[];
  ready: number;
  /** Spares owned by other roles, by role: this role's creates pass them over, and fill leaves them to their role. */
  otherRoles: Record<string, number>;
}

/**
 * Bring the pool to `size` ready spares at `migrations` and remember `size` for `maintain`:
 * build the missing ones, each in its own transaction (schema, migrations, bookkeeping and
 * pool row commit together), or drop the surplus, newest first. A spare that a create is
 * taking or `migrate up` is migrating at that moment is not dropped (so `ready` can stay above
 * `size` until the next fill or `maintain`).
 */
export async function fillPool(sql: Pool, size: number, migrations: Migration[], registry: RegistrySpec, options: { onWait?: (message: string) => void } = {}): Promise<PoolFill> {
  return withPoolLock(sql, options.onWait, async () => {
    await query(sql, 'pool/set-target', [size]);
    return resize(sql, size, await poolStatus(sql, migrations), migrations, registry);
  });
}

/** Forget the spares whose schema was dropped by hand (their pool rows and records), so that they are built again. */
async function forgetMissing(sql: Pool, status: PoolStatus): Promise<string[]> {
  const missing = status.schemas.filter((s) => s.missing).map((s) => s.schema);
  for (const schema of missing) await dropSpare(sql, schema);
  return missing;
}

/** Back to the size last given to fillPool (the `maintain` task), read once the pool's lock is held. */
export async function refillPool(sql: Pool, migrations: Migration[], registry: RegistrySpec): Promise<PoolFill & { target: number }> {
  return withPoolLock(sql, undefined, async () => {
    const status = await poolStatus(sql, migrations);
    return { target: status.target, ...(await resize(sql, status.target, status, migrations, registry)) };
  });
}

/** One fill at a time: two would each build what they counted missing, twice over. */
async function withPoolLock<T>(sql: Pool, onWait: ((message: string) => void) | undefined, work: () => Promise<T>): Promise<T> {
  await ensurePool(sql);
  return withSessionLock(sql, POOL_LOCK, (holder) => onWait?.(`waiting for another fill of the warm pool${describeHolder(holder)}…`), work);
}

/**
 * From the pool as `status` found it to `size` ready spares: those whose schema is gone
 * forgotten, orphaned and stale spare schemas dropped, the surplus dropped, or the missing built.
 * Another role's spares are left alone (and not counted): only that role's creates take them.
 */
async function resize(sql: Pool, size: number, status: PoolStatus, migrations: Migration[], registry: RegistrySpec): Promise<PoolFill> {
  const { ready } = status;
  const ghosts = await forgetMissing(sql, status);
  const orphans = await orphanSpares(sql, registry);
  const stale = staleSpares(status);
  for (const schema of [...orphans, ...stale]) await dropSpare(sql, schema);
  const dropped = await dropSurplus(sql, ready - size, migrations);
  const created = await buildSpares(sql, size - ready + dropped.length, migrations);
  return { created, dropped: [...ghosts, ...orphans, ...stale, ...dropped], ready: ready - dropped.length + created.length, otherRoles: otherRolesSpares(status) };
}

/** Build `count` spares at `migrations`, each in its own transaction; the schemas created. */
async function buildSpares(sql: Pool, count: number, migrations: Migration[]): Promise<string[]> {
  const created: string[] = [];
  for (let i = 0; i < count; i += 1) {
    created.push(
      await sql.begin(async (tx) => {
        const [{ schema_name: schema }] = (await query<{ schema_name: string }>(tx, 'pool/next-name')) as [{ schema_name: string }];
        // On a Citus coordinator a spare is a distributed schema, as `tenant create` makes a tenant's; a no-op elsewhere.
        await distributeSchemasCreatedInThisTransaction(tx);
        await tx`create schema ${tx(schema)}`;
        // Registered first: the migrations' integrity check looks for the spare's registry row.
        await query(tx, 'pool/add', [schema]);
        const { applyMigrationsInTransaction } = await import('../migrate/apply.js');
        await applyMigrationsInTransaction(tx, { scope: 'tenant', schema, spare: true, migrations });
        await query(tx, 'pool/note-stamped', [schema]);
        const leaks = await nameLeaks(tx, schema);
        if (leaks.length) throw spareNamesItself(schema, leaks);
        return schema;
      }),
    );
  }
  return created;
}

/** Drop up to `surplus` ready spares, each in its own transaction, passing over busy ones; the ones dropped. */
async function dropSurplus(sql: Pool, surplus: number, migrations: readonly Migration[]): Promise<string[]> {
  const dropped: string[] = [];
  const busy: string[] = [];
  while (dropped.length < surplus) {
    const candidate = await sql.begin(async (tx) => {
      const [taken] = await query<{ schema_name: string; free: boolean }>(tx, 'pool/take-surplus', [fingerprint(migrations), busy]);
      if (taken?.free) await forgetSpare(tx, taken.schema_name);
      return taken;
    });
    if (!candidate) break;
    (candidate.free ? dropped : busy).push(candidate.schema_name);
  }
  return dropped;
}

/**
 * Bring every spare to `migrations` (after `migrate up` migrated the fleet), one spare at a
 * time through the same per-migration transactions and locks as a tenant. A spare that
 * fails is dropped: it holds no data, and a tenant must never be handed a half-migrated one.
 */
export async function migratePool(sql: Pool, migrations: Migration[]): Promise<{ migrated: string[]; dropped: string[] }> {
  const status = await poolStatus(sql, migrations);
  const { applySchemaPlan } = await import('../migrate/apply.js');
  const migrated: string[] = [];
  const dropped: string[] = [];
  // Another role's spare that is otherwise ready is that role's to hand out: left as it is.
  for (const spare of status.schemas.filter((s) => !s.ready && s.passedOver !== 'owned by another role')) {
    // One built under other default privileges is never handed out: dropped, not migrated.
    const pending = spare.passedOver === 'built under other default privileges' ? [] : migrations.filter((m) => !spare.versions.includes(m.version));
    const outcome = pending.length ? await applySchemaPlan(sql, { scope: 'tenant', schema: spare.schema, spare: true, migrations: pending }, 'up') : undefined;
    // Taken by a tenant create (or dropped) while it waited for the schema's lock: no spare any more.
    if (outcome?.outcome === 'skipped') continue;
    // A spare its new migrations wrote their schema's name into would hand that name to a tenant.
    if (outcome && outcome.outcome !== 'failed' && !(await sql.begin('read only', (tx) => nameLeaks(tx, spare.schema))).length) {
      await query(sql, 'pool/note-stamped', [spare.schema]);
      migrated.push(spare.schema);
      continue;
    }
    await dropSpare(sql, spare.schema);
    dropped.push(spare.schema);
  }
  return { migrated, dropped };
}

/**
 * Where the spare's migrations wrote the spare's own name (pool/name-leaks.sql), under the
 * caller's transaction: its search_path is set to the spare for the rest of it, so that
 * PostgreSQL prints the spare's own objects unqualified.
 */
async function nameLeaks(tx: Sql, schema: string): Promise<string[]> {
  await tx`select set_config('search_path', quote_ident(${schema}), true)`;
  return (await query<{ place: string }>(tx, 'pool/name-leaks', [schema])).map((r) => r.place);
}

/** The tenant migrations write their schema's name into what they make: a spare renamed at hand-out would keep the spare's. */
function spareNamesItself(schema: string, places: string[]): TenantctlError {
  return new TenantctlError('POOL_MIGRATIONS_NAME_SCHEMA', `The tenant migrations write their schema's own name into what they make: the spare ${schema} holds it in ${places.join('; ')}. A spare is built under a pool name and renamed when a tenant takes it, which would leave those places naming the spare, so the warm pool cannot serve these migrations; tenant create builds each schema itself. No spare was kept.`, {
    hint: "Have the migrations look the schema up when they run (current_schema() inside the function or query, not written into it), or keep the pool empty: tenant pool fill --size 0. A function's SET search_path FROM CURRENT is fine: the hand-out sets it again.",
    details: { spare: schema, places },
  });
}

async function dropSpare(sql: Pool, schema: string): Promise<void> {
  await sql.begin((tx) => forgetSpare(tx, schema));
}

/** In the caller's transaction: the spare's schema dropped, its pool row and bookkeeping removed. */
async function forgetSpare(tx: Sql, schema: string): Promise<void> {
  await tx`drop schema if exists ${tx(schema)} cascade`;
  await query(tx, 'pool/remove', [schema]);
}

/** A spare taken out of the pool for a tenant's schema, not yet renamed (claim.sql's answer). */
export interface ClaimedSpare {
  schema_name: string;
  /** What to run after the rename, or null (claim.sql). */
  restamp: string | null;
}

/**
 * Inside the caller's provisioning transaction: take a spare at exactly `migrations` out of the
 * pool and move its migration history to `schema`, in one statement and nothing sent after it
 * (the caller pipelines it with the registry row). Undefined when no spare is ready (the caller
 * builds the schema itself); the caller's rollback puts it back. renameSpare comes next.
 */
export async function claimSpare(tx: Sql, schema: string, migrations: readonly Migration[]): Promise<ClaimedSpare | undefined> {
  const [claimed] = await query<ClaimedSpare>(tx, 'pool/claim', [fingerprint(migrations), schema]);
  return claimed;
}

/** The claimed spare becomes the tenant's schema: renamed, and what its build recorded put right, in one round trip. */
export async function renameSpare(tx: Sql, claimed: ClaimedSpare, schema: string): Promise<void> {
  const rename = `alter schema ${quoteIdent(claimed.schema_name)} rename to ${quoteIdent(schema)}`;
  // What the spare's build recorded that a create without the pool records differently, which
  // claim.sql wrote the statements for: the time it stamped on the rows its migrations seeded (a
  // created_at defaulting to now()), and its own name in a function's search_path. Sent after
  // the rename in one simple query (its text is new each time, and a long-lived pool would keep
  // every prepared one).
  await tx.unsafe(claimed.restamp ? `${rename}; ${claimed.restamp}` : rename).simple();
}
