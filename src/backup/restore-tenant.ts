import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionConfig } from '../db/config.js';
import { connect, type Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError, usageError } from '../errors.js';
import { withTenantSessionLock } from '../tenancy/locks.js';
import { assertTenantSchema } from '../tenancy/schema-guard.js';
import { schemaPerTenant } from '../tenancy/strategy.js';
import { validateSlug } from '../tenancy/slug.js';
import { recordLog } from './log.js';
import { hashFiles, readManifest, type Manifest, type TenantEntry } from './manifest.js';
import { dbnameConninfo, restoreChunk } from './restored-copy.js';
import { runTool } from './run-tool.js';
import { createScratch, dropStaleScratch } from './scratch.js';
import { findTool, serverMajor } from './tools.js';
import { serverFacts } from './snapshot.js';

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
}

const SHARED_TABLES = ['subscriptions', 'tenant_features', 'audit_logs'] as const;

async function refuseErased(sql: Sql, slug: string, force: boolean | undefined): Promise<void> {
  const [{ present }] = (await sql`select to_regclass('tenantctl.erasure_receipts') is not null as present`) as unknown as [{ present: boolean }];
  if (!present || force) return;
  const [row] = await query<{ erased: boolean }>(sql, 'backup/erasure-receipt', [createHash('sha256').update(slug).digest('hex')]);
  if (row?.erased) {
    throw new TenantctlError('BACKUP_TENANT_ERASED', `Tenant ${slug} was erased (GDPR): an erasure receipt exists in tenantctl.erasure_receipts. Restoring it would bring back data that was deleted on request.`, {
      hint: 'Only with a documented legal reason: re-run with --force.',
      details: { slug },
    });
  }
}

/** The tenant's chunk and the base chunk must be intact before anything reaches the live database. */
async function checkChunkFiles(path: string, manifest: Manifest, chunks: string[]): Promise<void> {
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
  if (!tenant.chunk) throw new TenantctlError('BACKUP_NO_TENANT_SCHEMA', `Tenant "${slug}" had no schema (${tenant.schema}) when the backup was taken: there is nothing to restore.`);
  return tenant;
}

/**
 * Bring one tenant back from a backup: its schema (renamed with --as) and its rows in the
 * shared tables (tenants, subscriptions, tenant_features, audit_logs) and migration records.
 * The backup is restored into a scratch database first (rename happens there), then the
 * schema moves into the live database in one pg_restore transaction and the shared rows in
 * one SQL transaction; if the rows fail, the schema just created is dropped again. No other
 * tenant's schema or rows are read for writing or changed.
 */
export async function restoreTenant(sql: Sql, live: ConnectionConfig, options: RestoreTenantOptions): Promise<RestoreTenantResult> {
  // The tenant's lock (keyed by the backup's tenant id) for the whole restore, pg_restore included.
  const { manifest } = await readManifest(options.path);
  const entry = manifest.tenants.find((t) => t.slug === options.slug);
  if (!entry) return restoreTenantLocked(sql, live, options);
  const lock = { id: entry.id, slug: options.as ?? entry.slug, schema: entry.schema };
  return withTenantSessionLock(sql, lock, { what: 'backup restore-tenant', noWait: options.noWait, onWait: options.onWait }, () => restoreTenantLocked(sql, live, options));
}

async function restoreTenantLocked(sql: Sql, live: ConnectionConfig, options: RestoreTenantOptions): Promise<RestoreTenantResult> {
  const started = options.now();
  const t0 = performance.now();
  const { manifest, sealed } = await readManifest(options.path);
  if (!sealed) throw new TenantctlError('BACKUP_DAMAGED', `${options.path}/manifest.json was edited after the backup was created.`, { hint: `Run tenantctl backup verify ${options.path}; restore from a backup that passes.` });
  validateSlug(options.slug, '--tenant');
  const tenant = findTenant(manifest, options.slug);
  const targetSlug = options.as ? validateSlug(options.as, '--as') : tenant.slug;
  // The backup's own registry row could name any schema: the same rule as on the live database.
  assertTenantSchema(schemaPerTenant, tenant);
  const targetSchema = options.as ? schemaPerTenant.schemaFor(targetSlug) : tenant.schema;
  await refuseErased(sql, tenant.slug, options.force);
  const [taken] = await query<{ slug_taken: boolean; schema_taken: boolean }>(sql, 'backup/restore-target-free', [targetSlug, targetSchema]);
  if (taken!.slug_taken || taken!.schema_taken) {
    throw usageError(`Tenant ${targetSlug} ${taken!.slug_taken ? 'already exists' : `cannot be restored: schema ${targetSchema} already exists`} in the live database.`, options.as ? 'Pick another --as slug.' : `Restore it next to the existing one with --as <new-slug>.`);
  }
  const base = manifest.chunks.find((c) => c.kind === 'base')!;
  const chunk = manifest.chunks.find((c) => c.name === tenant.chunk)!;
  await checkChunkFiles(options.path, manifest, [base.name, chunk.name]);
  const facts = await serverFacts(sql);
  const pgRestore = await findTool('pg_restore', { pgBin: options.pgBin, env: options.env }, { major: Math.max(manifest.tool.major, serverMajor(facts.serverVersionNum)), why: 'the archive and the server' });
  const pgDump = await findTool('pg_dump', { pgBin: options.pgBin, env: options.env }, { major: serverMajor(facts.serverVersionNum), why: `the server (PostgreSQL ${facts.serverVersion})` });

  await dropStaleScratch(sql);
  const scratch = await createScratch(sql, live);
  const temp = await mkdtemp(join(tmpdir(), 'tenantctl-restore-'));
  let shared: { tenants: string; subscriptions: string; tenant_features: string; audit_logs: string };
  let migrations = '[]';
  try {
    const copy = connect(scratch.connection, { max: 1 });
    try {
      const tool = { env: options.env, signal: options.signal, jobs: 1, synchronousCommit: false };
      await restoreChunk(pgRestore, options.path, base, scratch.connection, tool);
      // pg_restore -n restores a schema's objects but not the schema itself.
      await copy`create schema ${copy(tenant.schema)}`;
      await restoreChunk(pgRestore, options.path, chunk, scratch.connection, { ...tool, extraArgs: ['-n', tenant.schema] });
      if (targetSchema !== tenant.schema) await copy`alter schema ${copy(tenant.schema)} rename to ${copy(targetSchema)}`;
      [shared] = (await query(copy, 'backup/tenant-shared-rows', [tenant.id])) as [typeof shared];
      const [present] = await query<{ migrations: boolean }>(copy, 'backup/relations-present');
      if (present!.migrations) [{ rows: migrations }] = (await query(copy, 'backup/tenant-migrations-rows', [tenant.schema])) as [{ rows: string }];
    } finally {
      await copy.end({ timeout: 5 });
    }
    const archive = join(temp, 'tenant.dump');
    await runTool(pgDump, ['--no-password', '-Fc', '-n', targetSchema, '-f', archive], { connection: scratch.connection, env: options.env, signal: options.signal, what: `dump of ${targetSchema} from the scratch copy` });
    // One transaction: the schema arrives whole or not at all.
    await runTool(pgRestore, ['--no-password', '--single-transaction', '--exit-on-error', '--no-owner', '-d', dbnameConninfo(live.database), archive], { connection: live, env: options.env, signal: options.signal, what: `restore of ${targetSchema} into the live database` });
  } finally {
    await scratch.drop();
    await rm(temp, { recursive: true, force: true });
  }

  let tenantId: string;
  const sharedRows: Record<string, number> = {};
  try {
    tenantId = await sql.begin(async (tx) => {
      const t = tx as unknown as Sql;
      const tenantRow = (JSON.parse(shared.tenants) as unknown[])[0];
      if (!tenantRow) throw new TenantctlError('BACKUP_NO_TENANT_ROW', `The backup has no public.tenants row for ${tenant.slug} (id ${tenant.id}).`, { hint: 'The base archive of this backup is incomplete; run backup verify on it.' });
      const [row] = await query<{ id: string }>(t, 'backup/restore-tenant-row', [JSON.stringify(tenantRow), targetSlug, targetSchema]);
      for (const table of SHARED_TABLES) {
        const result = await query(t, `backup/restore-${table}`, [shared[table], row!.id]);
        sharedRows[table] = (result as unknown as { count: number }).count;
      }
      await query(t, 'backup/restore-schema-migrations', [migrations, targetSchema]);
      return row!.id;
    });
  } catch (error) {
    // The rows did not make it: take the schema back out, so no half-restored tenant remains.
    await sql`drop schema if exists ${sql(targetSchema)} cascade`;
    throw error;
  }
  const tables = manifest.tables.filter((t) => t.schema === tenant.schema);
  const result: RestoreTenantResult = {
    slug: tenant.slug,
    targetSlug,
    schema: targetSchema,
    tenantId,
    sameId: tenantId === tenant.id,
    tables: tables.length,
    rows: tables.reduce((n, t) => n + t.rows, 0),
    sharedRows,
    version: tenant.version,
    backupPath: options.path,
    durationMs: performance.now() - t0,
  };
  await recordLog(sql, { action: 'restore-tenant', backupId: manifest.id, backupPath: options.path, startedAt: started, durationMs: result.durationMs, ok: true, summary: { ...result }, faults: [] });
  return result;
}
