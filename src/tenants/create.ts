import { randomUUID } from 'node:crypto';
import type { Pool, Tx } from '../db/connect.js';
import { PACKAGE_ROOT, query, registryQuery } from '../db/queries.js';
import { EXIT, isPgError, TenantctlError } from '../errors.js';
import { loadMigrations, type Migration } from '../migrate/files.js';
import { distributeSchemasCreatedInThisTransaction } from '../citus/session.js';
import { aheadOfCheckout, refuseOlderCheckout } from '../migrate/checkout.js';
import { ensureBookkeeping } from '../migrate/state.js';
import { schemaLockName, withTenantLock } from '../tenancy/locks.js';
import type { LockWait } from '../tenancy/lifecycle.js';
import type { TenancyStrategy, TenantHandle } from '../tenancy/strategy.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import { registryTenantOfSchema } from '../tenancy/registry.js';
import { auditTenant } from './audit.js';
import { failpoint } from './failpoint.js';
import { grantOwnerRole, insertOwner } from './owner.js';
import { claimSpare, ensurePool, renameSpare } from './pool.js';
import { validateTenantInput, type TenantInput } from './input.js';
import { unknownPlan } from './unknown-plan.js';

/** What `createTenant` needs beyond the tenant's own fields. */
export interface CreateTenantOptions extends LockWait {
  /** Tenant migrations to apply; read from `migrationsDir` when absent. */
  migrations?: Migration[];
  /** Folder with shared/ and tenant/ migrations. @default the platform schema shipped with tenantctl */
  migrationsDir?: string;
  /** The profile's storage: where the tenant's schema goes and which registry names it. */
  strategy: TenancyStrategy;
  /** Who asked, for the audit trail. @default 'tenantctl' */
  actor?: string;
  /** TENANTCTL_FAILPOINT value (tests only). */
  failpoints?: string;
  /** Take a spare schema from the warm pool when one is ready (schema per tenant only). @default true */
  usePool?: boolean;
}

/** A tenant that now exists, with everything provisioning created. */
export interface CreatedTenant {
  id: string;
  slug: string;
  name: string;
  schema: string;
  status: string;
  plan: string;
  subscription: { id: string; status: string; trialEndsAt: Date | null; currentPeriodEnd: Date };
  owner: { id: string; email: string; name: string; role: 'owner' };
  settings: { timezone: string; currency: string };
  schemaVersion: string | null;
  migrationsApplied: string[];
  /** The schema was a spare from the warm pool, renamed (its migrations ran at `tenant pool fill`). */
  fromPool: boolean;
  createdAt: Date;
  durationMs: number;
}

/** tenants/insert-tenant-on-plan: plan_id null (and nothing inserted) when the plan is unknown. */
interface OnPlanRow {
  plan_id: string | null;
  known: string[];
  id: string | null;
  status: string | null;
  created_at: Date | null;
  subscription_id: string | null;
  subscription_status: string | null;
  trial_ends_at: Date | null;
  current_period_end: Date | null;
}

const migrationCache = new Map<string, Promise<Migration[]>>();

function tenantMigrations(options: CreateTenantOptions): Promise<Migration[]> {
  if (options.migrations) return Promise.resolve(options.migrations);
  const dir = options.migrationsDir ?? `${PACKAGE_ROOT}migrations`;
  let cached = migrationCache.get(dir);
  if (!cached) {
    // Lazy: a tenant from the warm pool needs each file's version and checksum only; the
    // statements are split and linted when a schema is built from them (applyMigrationsInTransaction).
    cached = loadMigrations(dir, 'tenant', 'tenant', { lazy: true });
    cached.catch(() => migrationCache.delete(dir));
    migrationCache.set(dir, cached);
  }
  return cached;
}

async function explainCreateError(sql: Pool, error: unknown, slug: string, schema: string, registry: RegistrySpec): Promise<unknown> {
  if (!isPgError(error)) return error;
  if (error.code === '23505' && error.constraint_name === 'tenants_slug_key') {
    return new TenantctlError('TENANT_EXISTS', `A tenant with slug "${slug}" already exists.`, { hint: `Pick another slug, or look at it with \`tenantctl tenant show ${slug}\`.`, details: { slug }, cause: error });
  }
  if ((error.code === '23505' && error.constraint_name === 'tenants_schema_name_key') || error.code === '42P06') {
    // A schema another tenant holds (the application registered it by another slug) is that tenant's data: never suggest dropping it.
    const holder = await registryTenantOfSchema(sql, registry, schema).catch(() => undefined);
    if (holder) {
      return new TenantctlError('SCHEMA_EXISTS', `Schema ${schema} belongs to tenant "${holder.handle}" (id ${holder.id}, ${holder.status}), so tenant "${slug}" cannot be provisioned into it.`, {
        hint: `Pick another slug; \`tenantctl tenant show ${holder.id}\` shows the tenant that holds the schema. Nothing was created.`,
        details: { slug, schema, heldBy: { id: holder.id, handle: holder.handle } },
        cause: error,
      });
    }
    return new TenantctlError('SCHEMA_EXISTS', `Schema ${schema} already exists, so tenant "${slug}" cannot be provisioned into it.`, {
      hint: `It is not registered to any tenant in ${registry.schema}.${registry.table}: inspect it (\\dn+ ${schema} in psql) and drop it if it is a leftover, or pick another slug.`,
      details: { slug, schema },
      cause: error,
    });
  }
  if (error.code === '23505' && error.table_name === 'users') {
    return new TenantctlError('OWNER_EXISTS', `The owner e-mail is already a user of tenant "${slug}".`, { details: { slug }, cause: error });
  }
  if (error.code === '23514' || error.code === '22001') {
    return new TenantctlError('TENANT_INVALID', `Tenant "${slug}" was rejected by the database: ${error.message}${error.detail ? ` (${error.detail})` : ''}.`, {
      hint: 'Check the values given (lengths, allowed values); nothing was created.',
      details: { slug, constraint: error.constraint_name, table: error.table_name },
      exitCode: EXIT.usage,
      cause: error,
    });
  }
  return error;
}

/** The tenant's schema built from its migrations, inside the provisioning transaction (no spare was taken). */
async function buildStorage(tx: Tx, strategy: TenancyStrategy, handle: TenantHandle, migrations: Migration[]): Promise<string[]> {
  // On a Citus coordinator the new schema becomes a distributed schema; a no-op elsewhere.
  // (A spare was distributed when `tenant pool fill` built it, so a create from the pool skips this.)
  await distributeSchemasCreatedInThisTransaction(tx);
  return strategy.createStorage(tx, handle, migrations);
}

/**
 * Provision a tenant in ONE transaction: the registry row, its subscription (trial or
 * active), its storage migrated to the latest tenant version and recorded in tenantctl's
 * bookkeeping, the system roles and permissions (seeded by the tenant migrations), the owner
 * user holding the owner role, the default security settings, and an audit entry. Either
 * all of it exists afterwards or none of it does.
 *
 * Input is validated before any SQL runs (slug, e-mail, time zone, currency). Throws
 * TenantctlError: USAGE (bad input, exit 2), UNKNOWN_PLAN (exit 2), TENANT_EXISTS,
 * SCHEMA_EXISTS, MIGRATION_FAILED, CHECKOUT_BEHIND_DATABASE (the fleet has tenant
 * migrations newer than the files given), TENANT_LOCKED (with `noWait`, exit 75: another
 * command holds the new schema's lock, e.g. an erase of that slug or another create of it).
 */
export async function createTenant(sql: Pool, input: TenantInput, options: CreateTenantOptions): Promise<CreatedTenant> {
  const started = performance.now();
  const { strategy } = options;
  const t = validateTenantInput(input);
  const schema = strategy.schemaFor(t.slug);
  const usePool = strategy.kind === 'schema-per-tenant' && options.usePool !== false;
  // The files are read while the bookkeeping checks are on the wire (a fresh process pays both).
  const loading = tenantMigrations(options);
  loading.catch(() => undefined); // awaited below; a failed read must not go unhandled meanwhile
  await (usePool ? ensurePool(sql) : ensureBookkeeping(sql));
  const migrations = await loading;
  // A checkout older than the fleet would provision this tenant at an old version.
  const [fleet] = await query<{ versions: string[] }>(sql, 'migrate/applied-versions', ['tenant']);
  refuseOlderCheckout(aheadOfCheckout('tenant', fleet!.versions, migrations), `provision tenant "${t.slug}"`, options.migrationsDir);
  try {
    // The id is chosen here so that the tenant's lock (keyed by id) is the transaction's first lock, as for every per-tenant command.
    const id = randomUUID();
    const scopeLock = { name: schemaLockName(schema), label: `the lock of schema ${schema}` };
    return await withTenantLock(sql, { id, slug: t.slug, schema }, { what: 'tenant create', expectRow: false, registry: strategy.registry, scopeLock, noWait: options.noWait, onWait: options.onWait }, async (tx) => {
      const settings = { timezone: t.timezone, currency: t.currency };
      const handle = { id, slug: t.slug, schema };
      // Statements that do not need each other's answers are sent together, each group one round
      // trip on a connection that has run them before (a server's pool). On a new connection (every
      // CLI run) postgres.js first asks the server for each new statement's parameter types and
      // sends nothing else until the answer is back, so there each costs two round trips in turn.
      // None sends more once it has its answer, so when one fails the transaction is rolled back
      // with nothing of this create still on its way.
      // A ready spare is the same schema the migrations would build, minus their catalog work: it
      // is claimed alongside the registry row, and an unknown plan rolls the claim back.
      const [[row], spare] = await Promise.all([
        registryQuery<OnPlanRow>(tx, 'tenants/insert-tenant-on-plan', strategy.registry, [t.name, t.slug, schema, t.domain ?? null, JSON.stringify(settings), id, t.plan, t.trialDays]),
        usePool ? claimSpare(tx, schema, migrations) : undefined,
      ]);
      if (!row?.plan_id) {
        throw unknownPlan(t.plan, row?.known ?? []);
      }
      if (spare) await renameSpare(tx, spare, schema);
      const applied = spare ? migrations.map((m) => m.version) : await buildStorage(tx, strategy, handle, migrations);
      await failpoint(options.failpoints, 'tenant-create:after-schema');
      // Scoped to the tenant, then its owner, security settings and audit entry: one group.
      const [, owner] = await Promise.all([
        strategy.scopeTo(tx, handle),
        insertOwner(tx, t.ownerEmail, t.ownerName),
        query(tx, 'tenants/ensure-security-settings'),
        auditTenant(tx, handle.id, 'tenant.created', null, { slug: t.slug, plan: t.plan, subscription: row.subscription_status }, { actor: options.actor ?? 'tenantctl' }),
      ]);
      if (!owner.roleId) {
        throw new TenantctlError('NO_OWNER_ROLE', `The tenant migrations of ${schema} did not seed the system role "owner".`, { hint: 'The tenant migrations must insert the system roles (roles.code = owner, is_system).' });
      }
      await grantOwnerRole(tx, owner.id, owner.roleId);
      await failpoint(options.failpoints, 'tenant-create:before-commit');
      return {
        id: handle.id,
        slug: t.slug,
        name: t.name,
        schema,
        status: row.status!,
        plan: t.plan,
        subscription: { id: row.subscription_id!, status: row.subscription_status!, trialEndsAt: row.trial_ends_at, currentPeriodEnd: row.current_period_end! },
        owner: { id: owner.id, email: t.ownerEmail, name: t.ownerName, role: 'owner' as const },
        settings,
        schemaVersion: migrations.at(-1)?.version ?? null,
        migrationsApplied: applied,
        fromPool: Boolean(spare),
        createdAt: row.created_at!,
        durationMs: 0,
      };
    }).then((created) => ({ ...created, durationMs: Math.round(performance.now() - started) }));
  } catch (error) {
    throw await explainCreateError(sql, error, t.slug, schema, strategy.registry);
  }
}
