import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distributeRestoredTenant, type RestoredPlacement } from '../citus/backup-nodes.js';
import type { ConnectionConfig } from '../db/config.js';
import { connect, type Pool } from '../db/connect.js';
import { failpoint } from '../tenants/failpoint.js';
import { compareVersions } from '../migrate/files.js';
import { companionNames, query, registryQuery } from '../db/queries.js';
import { isPgError, TenantctlError, usageError } from '../errors.js';
import { withTenantSessionLock } from '../tenancy/locks.js';
import { assertTenantSchema } from '../tenancy/schema-guard.js';
import type { TenantSource } from '../migrate/state.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import { validateSlug } from '../tenancy/slug.js';
import { recordLog } from './log.js';
import { refuseErased } from './refuse-erased.js';
import { hashFiles, readManifest, type ChunkEntry, type Manifest, type TenantEntry } from './manifest.js';
import { dropRestoreLeftovers, reserveStaging, restoreTenantSchema } from './restore-staging.js';
import { dbnameConninfo, restoreChunk } from './restored-copy.js';
import { runTool } from './run-tool.js';
import { createScratch, dropStaleScratch } from './scratch.js';
import { findTool, restoreToolNeed, serverMajor, type PgTool } from './tools.js';
import { serverFacts } from './snapshot.js';
import { relationsPresent } from './tenant-registry.js';

/** Options of `backup restore-tenant`. */
export interface RestoreTenantOptions {
  path: string;
  slug: string;
  /** Restore as a new tenant with this slug (schema tenant_<as>). @default the original slug, in place of a missing tenant */
  as?: string;
  /** Restore even though the tenant has an erasure receipt. @default false */
  force?: boolean;
  pgBin?: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  now: () => Date;
  /** Fail at once (exit 75) when another command holds the tenant's lock. @default false (wait) */
  noWait?: boolean;
  /** Told once when the restore queues behind another command on this tenant. */
  onWait?: (message: string) => void;
  /** The profile's tenant schemas: their naming rule, and (Citus) where tenants live. */
  targets: TenantSource;
  /** The profile's tenant registry: the tenant's row and its companions' rows come back with it. */
  registry: RegistrySpec;
}

/** What came back. */
export interface RestoreTenantResult {
  slug: string;
  targetSlug: string;
  schema: string;
  tenantId: string;
  sameId: boolean;
  tables: number;
  rows: number;
  sharedRows: Record<string, number>;
  version: string;
  backupPath: string;
  durationMs: number;
  /** Roles of the backup that do not exist on this server: what they owned or were granted was restored without them. */
  missingRoles: string[];
  /** Staging schemas of killed earlier runs, dropped before this one. */
  leftoversDropped: string[];
  /** On a Citus coordinator: the worker the restored distributed schema lives on, and the one the backup recorded. */
  placement?: RestoredPlacement;
  /** The newest version of every other tenant, when the restored one came back newer (a `migrate down` since the backup). */
  aheadOf?: string;
}

/** The tenant's registry row and its rows of each registry companion table (by table name), as JSON array texts. */
type SharedRows = { registry: string; companions: Record<string, string> };

/** The tenant's chunk and the base chunk must be intact before anything reaches the live database. */
export async function checkChunkFiles(path: string, manifest: Manifest, chunks: string[]): Promise<void> {
  const wanted = manifest.files.filter((f) => chunks.some((c) => f.path === `chunks/${c}` || f.path.startsWith(`chunks/${c}/`) || f.path === `chunks/${c}.dump`));
  const actual = await hashFiles(path, wanted.map((f) => f.path)).catch((error: Error) => {
    throw new TenantctlError('BACKUP_DAMAGED', `A file of ${chunks.join(', ')} cannot be read: ${error.message}`, { hint: `Run tenantctl backup verify ${path} to see every fault.` });
  });
  const bad = wanted.filter((f, i) => actual[i]!.sha256 !== f.sha256);
  if (bad.length) throw new TenantctlError('BACKUP_DAMAGED', `${bad[0]!.path} does not match the manifest's sha256${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ''}: this backup is damaged.`, { hint: `Run tenantctl backup verify ${path} for the full report, and restore from another backup.` });
}

function findTenant(manifest: Manifest, slug: string): TenantEntry {
  const tenant = manifest.tenants.find((t) => t.slug === slug);
  if (!tenant) throw usageError(`Tenant "${slug}" is not in the backup ${manifest.id} (taken ${manifest.createdAt}).`, `It holds: ${manifest.tenants.map((t) => t.slug).join(', ') || 'no tenants'}.`);
  // Erased while the backup ran, after its snapshot but before its schema's dump: in the registry's copy, not in the dump.
  const erased = manifest.duringRun?.schemasNotDumped.includes(tenant.schema) ?? false;
  if (!tenant.chunk || erased) {
    const why = erased
      ? `was erased while the backup was being taken: its schema (${tenant.schema}) was dropped before it was dumped, so this backup does not hold it`
      : `had no schema (${tenant.schema}) when the backup was taken`;
    throw new TenantctlError('BACKUP_NO_TENANT_SCHEMA', `Tenant "${slug}" ${why}: there is nothing to restore.`, erased ? { hint: 'Restore it from a backup taken before the erasure, if the erasure is to be undone (that needs --force).' } : {});
  }
  return tenant;
}

/** In the restored copy: the tenant's registry row and its rows of each companion table. */
async function sharedRows(copy: Pool, registry: RegistrySpec, tenantId: string): Promise<SharedRows> {
  const [own] = await registryQuery<{ rows: string }>(copy, 'backup/tenant-registry-row', registry, [tenantId]);
  const companions: Record<string, string> = {};
  for (const companion of registry.companions) {
    const [rows] = await registryQuery<{ rows: string }>(copy, 'backup/tenant-companion-rows', registry, [tenantId], companionNames(registry, companion));
    companions[companion.table] = rows!.rows;
  }
  return { registry: own!.rows, companions };
}

/**
 * In the scratch copy: the base chunk (for the shared rows), the tenant's schema with its
 * owners, grants and comments, renamed to the staging name; then its shared rows and
 * migration records, and a dump of the staged schema to move into the live database.
 */
async function stageInScratch(ctx: StageContext): Promise<{ shared: SharedRows; migrations: string; archive: string; missingRoles: string[] }> {
  const { tenant, scratch, options } = ctx;
  const tool = { env: options.env, signal: options.signal, jobs: 1, synchronousCommit: false };
  await restoreChunk(ctx.pgRestore, options.path, ctx.base, scratch, tool);
  const restored = await restoreTenantSchema({ pgRestore: ctx.pgRestore, psql: ctx.psql }, join(options.path, ctx.chunk.path), ctx.chunk, tenant.schema, scratch, { temp: ctx.temp, env: options.env, signal: options.signal });
  const copy = connect(scratch, { max: 1 });
  let shared: SharedRows;
  let migrations = '[]';
  try {
    await copy`alter schema ${copy(tenant.schema)} rename to ${copy(ctx.staging)}`;
    shared = await sharedRows(copy, options.registry, tenant.id);
    if ((await relationsPresent(copy, options.registry)).migrations) [{ rows: migrations }] = (await query(copy, 'backup/tenant-migrations-rows', [tenant.schema])) as [{ rows: string }];
  } finally {
    await copy.end({ timeout: 5 });
  }
  const archive = join(ctx.temp, 'tenant.dump');
  await runTool(ctx.pgDump, ['--no-password', '-Fc', '-n', ctx.staging, '-f', archive], { connection: scratch, env: options.env, signal: options.signal, what: `dump of ${tenant.schema} from the scratch copy` });
  return { shared, migrations, archive, missingRoles: restored.missingRoles };
}

interface StageContext {
  tenant: TenantEntry;
  base: ChunkEntry;
  chunk: ChunkEntry;
  scratch: ConnectionConfig;
  staging: string;
  temp: string;
  pgRestore: PgTool;
  pgDump: PgTool;
  psql: PgTool;
  options: RestoreTenantOptions;
}

/**
 * The one transaction that makes the tenant exist: the staged schema takes its name, and the
 * tenant's registry row, shared rows and migration records are inserted. Rows copied for a
 * tenant that gets a new id (--as next to the original) name the new id wherever they named
 * the old one: they are the copy's history now, and erasing the original must not find them.
 */
async function register(sql: Pool, registry: RegistrySpec, staged: { shared: SharedRows; migrations: string }, tenant: TenantEntry, target: { slug: string; schema: string; staging: string }): Promise<{ tenantId: string; sharedRows: Record<string, number> }> {
  const sharedRows: Record<string, number> = {};
  const tenantId = await sql.begin(async (t) => {
    const tenantRow = (JSON.parse(staged.shared.registry) as unknown[])[0];
    if (!tenantRow) throw new TenantctlError('BACKUP_NO_TENANT_ROW', `The backup has no ${registry.schema}.${registry.table} row for ${tenant.slug} (id ${tenant.id}).`, { hint: 'The base archive of this backup is incomplete; run backup verify on it.' });
    // Checked before the staging copy was made; another restore (or a create) may have taken the
    // name since: said as such, not as an unexpected error.
    const taken = (error: unknown): never => {
      if (isPgError(error) && (error.code === '42P06' || error.code === '23505')) {
        throw usageError(`Tenant ${target.slug} (schema ${target.schema}) was created by another command while this restore was getting ready. Nothing was changed.`, 'Pick another --as slug, or check what the other command made.');
      }
      throw error;
    };
    await t`alter schema ${t(target.staging)} rename to ${t(target.schema)}`.catch(taken);
    const [row] = await registryQuery<{ id: string }>(t, 'backup/restore-tenant-row', registry, [JSON.stringify(tenantRow), target.slug, target.schema, registry.handle, registry.targetColumn, registry.key]).catch(taken).catch(reshaped(`${registry.schema}.${registry.table}`));
    const id = row!.id;
    for (const companion of registry.companions) {
      const backedUp = staged.shared.companions[companion.table]!;
      const rows = id === tenant.id ? backedUp : backedUp.split(tenant.id).join(id);
      const result = await registryQuery(t, 'backup/restore-companion-rows', registry, [rows, id, companion.column, companion.key], companionNames(registry, companion)).catch(reshaped(`${registry.schema}.${companion.table}`));
      sharedRows[companion.table] = (result as unknown as { count: number }).count;
    }
    await query(t, 'backup/restore-schema-migrations', [staged.migrations, target.schema]);
    return id;
  });
  return { tenantId, sharedRows };
}

/**
 * The backup's shared rows of the tenant (its registry row, its companion rows) that no longer
 * fit the live table: a shared migration since the backup added a required column, dropped or
 * retyped one. Named as such, instead of an unexpected error; the transaction rolls back.
 */
const reshaped = (table: string) => (error: unknown): never => {
  if (isPgError(error) && ['23502', '42703', '23514', '22P02', '42804', '23503'].includes(error.code)) {
    throw new TenantctlError('RESTORE_SHARED_SHAPE_CHANGED', `The backup's rows of ${table} for this tenant do not fit the live table: ${error.message}${error.detail ? ` (${error.detail})` : ''}. The shared schema has changed since the backup (a shared migration). Nothing was changed.`, {
      hint: `Compare the backup's migrations with \`tenantctl migrate status\`; restore into a database at the backup's shared version (backup verify --target-url gives one), or give the column a default the old rows can take.`,
      details: { table, code: error.code, column: error.column_name ?? null },
      cause: error,
    });
  }
  throw error;
};

/**
 * Bring one tenant back from a backup: its schema (renamed with --as) with its owners,
 * grants, default privileges and comments, its registry row and its rows in the registry's
 * companion tables (commerce: subscriptions, tenant_features, audit_logs), and its migration
 * records. Crash-safe: the schema reaches the live database under a private staging name
 * (one pg_restore transaction), then one SQL transaction renames it and registers the
 * tenant. A run killed in between leaves only the staging schema, which the next run (and
 * `backup verify`, `migrate status`) reports and the next restore drops. No other tenant's
 * schema or rows are changed.
 */
export async function restoreTenant(sql: Pool, live: ConnectionConfig, options: RestoreTenantOptions): Promise<RestoreTenantResult> {
  // The tenant's lock (keyed by the backup's tenant id) for the whole restore, pg_restore included.
  const { manifest } = await readManifest(options.path);
  const entry = manifest.tenants.find((t) => t.slug === options.slug);
  if (!entry) return restoreTenantLocked(sql, live, options);
  const lock = { id: entry.id, slug: options.as ?? entry.slug, schema: entry.schema };
  return withTenantSessionLock(sql, lock, { what: 'backup restore-tenant', noWait: options.noWait, onWait: options.onWait }, () => restoreTenantLocked(sql, live, options));
}

async function restoreTenantLocked(sql: Pool, live: ConnectionConfig, options: RestoreTenantOptions): Promise<RestoreTenantResult> {
  const started = options.now();
  const t0 = performance.now();
  const { manifest, sealed } = await readManifest(options.path);
  if (!sealed) throw new TenantctlError('BACKUP_DAMAGED', `${options.path}/manifest.json was edited after the backup was created.`, { hint: `Run tenantctl backup verify ${options.path}; restore from a backup that passes.` });
  // Looked up as given: the backup's registry may hold a slug the application chose (acme-corp); only a new --as slug follows the rule.
  const tenant = findTenant(manifest, options.slug);
  const targetSlug = options.as ? validateSlug(options.as, '--as') : tenant.slug;
  // The backup's own registry row could name any schema: the same rule as on the live database.
  assertTenantSchema(options.targets, tenant);
  const targetSchema = options.as ? options.targets.schemaFor(targetSlug) : tenant.schema;
  await refuseErased(sql, { id: tenant.id, description: `Tenant ${tenant.slug}`, details: { slug: tenant.slug, tenantId: tenant.id } }, options.force);
  const leftoversDropped = await dropRestoreLeftovers(sql);
  const [taken] = await registryQuery<{ slug_taken: boolean; schema_taken: boolean }>(sql, 'backup/restore-target-free', options.registry, [targetSlug, targetSchema]);
  if (taken!.slug_taken || taken!.schema_taken) {
    throw usageError(`Tenant ${targetSlug} ${taken!.slug_taken ? 'already exists' : `cannot be restored: schema ${targetSchema} already exists`} in the live database.`, options.as ? 'Pick another --as slug.' : `Restore it next to the existing one with --as <new-slug>.`);
  }
  const base = manifest.chunks.find((c) => c.kind === 'base')!;
  const chunk = manifest.chunks.find((c) => c.name === tenant.chunk)!;
  await checkChunkFiles(options.path, manifest, [base.name, chunk.name]);
  const facts = await serverFacts(sql);
  const pgRestore = await findTool('pg_restore', { pgBin: options.pgBin, env: options.env }, restoreToolNeed(manifest.tool, { versionNum: facts.serverVersionNum, version: facts.serverVersion }));
  const pgDump = await findTool('pg_dump', { pgBin: options.pgBin, env: options.env }, { major: serverMajor(facts.serverVersionNum), why: `the server (PostgreSQL ${facts.serverVersion})` });
  const psql = await findTool('psql', { pgBin: options.pgBin, env: options.env }, { major: 10, why: 'psql 10' });

  await dropStaleScratch(sql);
  const staging = await reserveStaging(live);
  try {
    const scratch = await createScratch(sql, live, { purpose: "the restore (the tenant's schema is staged there before it moves into the live database)", instead: 'run restore-tenant as a user that has it' });
    const temp = await mkdtemp(join(tmpdir(), 'tenantctl-restore-'));
    let staged: Awaited<ReturnType<typeof stageInScratch>>;
    try {
      staged = await stageInScratch({ tenant, base, chunk, scratch: scratch.connection, staging: staging.name, temp, pgRestore, pgDump, psql, options });
      // One transaction: the staged schema arrives whole or not at all.
      await runTool(pgRestore, ['--no-password', '--single-transaction', '--exit-on-error', '-d', dbnameConninfo(live.database), staged.archive], { connection: live, env: options.env, signal: options.signal, what: `restore of ${targetSchema} into the live database (as ${staging.name})` });
    } finally {
      await scratch.drop();
      await rm(temp, { recursive: true, force: true });
    }
    await failpoint(options.env.TENANTCTL_FAILPOINT, 'restore-tenant:before-register');
    let registered: Awaited<ReturnType<typeof register>>;
    try {
      // Told to stop while the schema was staged: it is not registered (the staged copy goes, below).
      if (options.signal?.aborted) throw Object.assign(new Error('restore-tenant interrupted before registering the tenant'), { name: 'AbortError' });
      registered = await register(sql, options.registry, staged, tenant, { slug: targetSlug, schema: targetSchema, staging: staging.name });
    } catch (error) {
      // Not registered: the staged schema must not stay behind as an unowned copy.
      await sql`drop schema if exists ${sql(staging.name)} cascade`;
      throw error;
    }
    // On a Citus coordinator the tenant comes back as a distributed schema; nothing elsewhere.
    const placement = await distributeRestoredTenant(sql, options.targets, { slug: targetSlug, schema: targetSchema }, tenant.node);
    const tables = manifest.tables.filter((t) => t.schema === tenant.schema);
    const [fleet] = await query<{ newest: string | null }>(sql, 'backup/fleet-newest-version', [targetSchema]);
    const ahead = fleet?.newest && tenant.version && compareVersions(tenant.version, fleet.newest) > 0 ? fleet.newest : undefined;
    const result: RestoreTenantResult = {
      slug: tenant.slug,
      targetSlug,
      schema: targetSchema,
      tenantId: registered.tenantId,
      sameId: registered.tenantId === tenant.id,
      tables: tables.length,
      rows: tables.reduce((n, t) => n + t.rows, 0),
      sharedRows: registered.sharedRows,
      version: tenant.version,
      backupPath: options.path,
      durationMs: performance.now() - t0,
      missingRoles: staged.missingRoles,
      leftoversDropped,
      ...(placement ? { placement } : {}),
      ...(ahead ? { aheadOf: ahead } : {}),
    };
    await recordLog(sql, { action: 'restore-tenant', backupId: manifest.id, backupPath: options.path, startedAt: started, durationMs: result.durationMs, ok: true, summary: { ...result }, faults: [] });
    return result;
  } finally {
    await staging.release();
  }
}
