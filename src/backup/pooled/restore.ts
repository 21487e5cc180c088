import type { ConnectionConfig } from '../../db/config.js';
import type { Pool, Sql } from '../../db/connect.js';
import { TenantctlError, usageError } from '../../errors.js';
import { classify, withRowSecurityOff } from '../../pooled/index.js';
import type { TenancyProfile } from '../../tenancy/profile.js';
import { withTenantLock } from '../../tenancy/locks.js';
import { notATenant } from '../../tenancy/registry.js';
import { recordLog } from '../log.js';
import { refuseErased } from '../refuse-erased.js';
import { readManifest, type Manifest } from '../manifest.js';
import { checkChunkFiles, type RestoreTenantOptions } from '../restore-tenant.js';
import { createScratch, dropStaleScratch } from '../scratch.js';
import { serverFacts } from '../snapshot.js';
import { findTool, restoreToolNeed } from '../tools.js';
import { conflictLine, findConflicts, keepLiveSharedRows, type RestoreConflict } from './conflicts.js';
import { erasedPeopleOf, erasedSinceBackup, refuseErasedPeople, type ErasedSince } from './erased-people.js';
import type { PooledTenantRows } from './counts.js';
import { leaveOutCrossOrgRows, type CrossOrgReport, type CrossOrgTable } from './cross-org.js';
import { keepLivePeoplesRows } from './people-rows.js';
import { giveNewIdentity } from './identity.js';
import { insertStaged } from './insert.js';
import { findReclaims } from './reclaim.js';
import { takeBackRepointed } from './repointed.js';
import { setAsideRows, type ScratchCopy } from './scratch-rows.js';
import type { PooledManifest } from './section.js';
import { stageRows } from './stage.js';

/**
 * Options of `backup restore-tenant` on a pooled profile: the commerce restore's, with the
 * organization named as the backup names it (its handle — name, BIN — or its registry key)
 * instead of a slug, and no tenant schemas (a pooled profile has one schema).
 */
export type PooledRestoreOptions = Omit<RestoreTenantOptions, 'slug' | 'targets' | 'registry'> & {
  tenant: string;
  /**
   * Link keys per parent table held in memory to keep indirect rows in Node; past it the
   * server filters them in batches (0: always the server, which the tests use to cover that
   * path). @default MAX_KEYS (kept-keys.ts)
   */
  keysInMemory?: number;
};

/** What came back. */
export interface PooledRestoreResult {
  organization: string;
  tenantId: string;
  targetHandle: string;
  targetId: string;
  sameId: boolean;
  /** Rows inserted per table, parents first. */
  tables: { table: string; rows: number }[];
  rows: number;
  /** Shared people already in the live database (another organization employs them), and with --as the rows they own: kept as they are. */
  sharedKept: Record<string, number>;
  /** The organization's own rows its erasure had re-pointed at the placeholder (tombstone), and other organizations' rows it re-pointed away from the organization's rows: taken back. */
  reclaimed: Record<string, number>;
  /**
   * `--as` only (empty otherwise): rows of the backup's organization NOT copied, because they
   * point at another organization's rows (a transfer into its warehouse, an order it co-owns,
   * a role of its) or depend on such a row; per table, with each row's backup key and why.
   */
  leftOut: CrossOrgTable[];
  /** `--as` only: rows copied with an optional link to another organization's row cleared (an actor, a manager). */
  unlinked: CrossOrgTable[];
  backupId: string;
  backupPath: string;
  durationMs: number;
}

type PooledBackup = Manifest & { pooled: PooledManifest };

function pooledManifest(manifest: Manifest, profile: TenancyProfile, path: string): PooledBackup {
  if (!manifest.pooled) {
    throw usageError(`${path} is a backup without pooled row sets (taken with profile commerce, or by a tenantctl before pooled backups): it cannot restore one organization.`, 'Take a new backup with `tenantctl backup create` on this database.');
  }
  if (manifest.pooled.profile !== profile.name) {
    throw usageError(`${path} is a backup of a ${manifest.pooled.profile} database; this database is ${profile.name}.`, 'Restore it into a database of the same profile.', { backup: manifest.pooled.profile, database: profile.name });
  }
  return manifest as PooledBackup;
}

function findOrganization(manifest: PooledBackup, wanted: string): PooledTenantRows {
  const found = manifest.pooled.tenants.find((t) => t.handle === wanted || t.id === wanted);
  if (!found) throw usageError(`Organization "${wanted}" is not in the backup ${manifest.id} (taken ${manifest.createdAt}).`, `It holds: ${manifest.pooled.tenants.map((t) => t.handle).join(', ') || 'no organizations'}.`);
  return found;
}

async function registryHas(sql: Sql, profile: TenancyProfile, id: string): Promise<boolean> {
  const r = profile.registry;
  return (await sql`select 1 from ${sql(r.schema)}.${sql(r.table)} where ${sql(r.key)}::text = ${id}`).length > 0;
}

function refusal(org: PooledTenantRows, conflicts: RestoreConflict[], asCopy: boolean): TenantctlError {
  const shown = conflicts.slice(0, 10).map((c) => `  ${conflictLine(c)}`).join('\n');
  return new TenantctlError('RESTORE_REFUSED', `Organization ${org.handle} was not restored: ${conflicts.length} restored row(s) would collide with a live row or point at a row that no longer exists. Nothing was changed.\n${shown}${conflicts.length > 10 ? `\n  … and ${conflicts.length - 10} more (--json lists them)` : ''}`, {
    // A copy keeps the values unique across organizations (usernames, document numbers): those
    // collide with its living original whatever the handle.
    hint: asCopy
      ? 'Resolve the live rows named above (values unique across organizations collide with the living original: restore the copy once it is gone), then run the restore again.'
      : 'Resolve the live rows named above (or restore a copy with --as <new handle>), then run the restore again.',
    details: { organization: org.handle, tenantId: org.id, conflicts },
  });
}

/** The organization as refuseErased names it. */
const erasedIdentity = (org: PooledTenantRows) => ({ id: org.id, description: `Organization ${org.handle}`, details: { organization: org.handle, tenantId: org.id } });

/**
 * In the live database, in ONE transaction holding the organization's lock: stage the
 * set-aside rows, with --as leave out the rows that involve other organizations and give
 * the rest a new identity, keep shared people who are still there,
 * refuse on any conflict (the transaction rolls back: nothing changed), else insert them
 * parents first.
 */
async function applyToLive(sql: Pool, profile: TenancyProfile, manifest: PooledBackup, org: PooledTenantRows, scratch: ScratchCopy, erased: ErasedSince, options: PooledRestoreOptions) {
  const decl = profile.pooled!;
  const lock = { id: org.id, slug: org.handle, schema: profile.registry.schema };
  return withTenantLock(sql, lock, { what: 'backup restore-tenant', noWait: options.noWait, onWait: options.onWait, expectRow: false, registry: profile.registry }, (transaction) =>
    withRowSecurityOff(transaction, async (tx) => {
      // Again under the organization's lock: an erasure that committed while the rows were being
      // set aside (minutes on a large backup) would otherwise be undone, by a copy as much as in place.
      await refuseErased(tx, erasedIdentity(org), options.force);
      if (!options.as && (await registryHas(tx, profile, org.id))) throw stillThere(org);
      const cls = await classify(tx, decl);
      const staged = await stageRows(tx, scratch, cls.catalog);
      // A copy must not touch another organization: rows that involve one stay out (see cross-org.ts).
      const crossOrg: CrossOrgReport = options.as ? await leaveOutCrossOrgRows(tx, staged, cls, decl, org) : { leftOut: [], unlinked: [] };
      // A shared person still live keeps their own rows as they are now, for a copy or the organization itself.
      const peoplesRows = await keepLivePeoplesRows(tx, staged, cls);
      const identity = options.as ? await giveNewIdentity(tx, staged, cls, decl, org.id, options.as) : undefined;
      // An organization erased since the backup: its people must not come back through these rows.
      await refuseErasedPeople(tx, manifest, org, staged, cls, decl, erased);
      const sharedKept = { ...(await keepLiveSharedRows(tx, staged, cls)), ...peoplesRows };
      const reclaims = await findReclaims(tx, staged, cls, decl);
      const conflicts = await findConflicts(tx, staged, cls, decl, reclaims, Boolean(identity));
      if (conflicts.length) throw refusal(org, conflicts, Boolean(options.as));
      const { inserted, reclaimed } = await insertStaged(tx, staged, cls, decl, reclaims);
      // As itself, other organizations' rows its erasure re-pointed at the placeholder point at it again (repointed.ts).
      if (!identity) for (const [table, n] of Object.entries(await takeBackRepointed(tx, scratch, staged, cls, decl))) reclaimed[table] = (reclaimed[table] ?? 0) + n;
      return { targetId: identity?.tenantId ?? org.id, inserted, reclaimed, sharedKept, ...crossOrg };
    }),
  );
}

/**
 * What the backup log keeps of a restore: keys and counts, no names or BINs, so that an
 * erasure's scrub of the tool's history (by key: src/sql/tenants/scrub-backup-log.sql)
 * leaves nothing that names the organization.
 */
function historyOf(r: PooledRestoreResult): Record<string, unknown> {
  const counts = (tables: CrossOrgTable[]) => Object.fromEntries(tables.map((t) => [t.table, t.rows]));
  return { tenantId: r.tenantId, targetId: r.targetId, sameId: r.sameId, rows: r.rows, tables: r.tables, reclaimed: r.reclaimed, leftOut: counts(r.leftOut), unlinked: counts(r.unlinked), durationMs: r.durationMs };
}

function stillThere(org: PooledTenantRows): TenantctlError {
  return usageError(`Organization ${org.handle} (id ${org.id}) still exists in the live database: restoring it as itself would collide with every row it has.`, 'Restore a copy next to it with --as <new handle>.');
}

/**
 * `backup restore-tenant` on a pooled profile: one organization's rows (every table, direct
 * and indirect, parents first) from a backup into the live database, as itself when it is
 * gone, or as a new organization with `--as`. Only the organization's rows are read out of
 * the archive into a scratch database (setAsideRows: the schema without data, then the
 * table data streamed once and filtered), and streamed from there into the live
 * transaction; a row that would collide with a live row or point at a row that no
 * longer exists refuses the whole restore with a report. With `--as`, rows that point at
 * another organization's rows (and rows depending on them) are left out of the copy and
 * reported: a copy never adds to what another organization sees or owns. Scrubs an erasure
 * did to OTHER organizations' rows are not undone; its placeholder re-pointings of them are,
 * as itself, where nothing else changed (repointed.ts). The organization's own rows that still
 * name people of an organization erased since the backup refuse the restore (erased-people.ts).
 */
export async function restorePooledTenant(sql: Pool, live: ConnectionConfig, profile: TenancyProfile, options: PooledRestoreOptions): Promise<PooledRestoreResult> {
  const started = options.now();
  const t0 = performance.now();
  const read = await readManifest(options.path);
  if (!read.sealed) throw new TenantctlError('BACKUP_DAMAGED', `${options.path}/manifest.json was edited after the backup was created.`, { hint: `Run tenantctl backup verify ${options.path}; restore from a backup that passes.` });
  const manifest = pooledManifest(read.manifest, profile, options.path);
  const org = findOrganization(manifest, options.tenant);
  const targetHandle = options.as !== undefined ? profile.validateHandle(options.as, '--as') : org.handle;
  // A platform singleton (ABParts' distributor, its manufacturer) is nobody's tenant: never
  // restored, and never copied into a second one.
  const why = await notATenant(sql, profile, { id: org.id });
  if (why) throw new TenantctlError('NOT_A_TENANT', `Organization ${org.handle} (id ${org.id}) is not a tenant: ${why}. Nothing was restored.`, { hint: 'restore-tenant restores tenants; the platform\'s own rows come back with a full restore of the backup (pg_restore).', details: { organization: org.handle, tenantId: org.id }, exitCode: 2 });
  await refuseErased(sql, erasedIdentity(org), options.force);
  if (!options.as && (await registryHas(sql, profile, org.id))) throw stillThere(org);
  await checkChunkFiles(options.path, manifest, manifest.chunks.filter((c) => c.kind === 'base' || c.schemas.includes(manifest.pooled.schema)).map((c) => c.name));
  const facts = await serverFacts(sql);
  const pgRestore = await findTool('pg_restore', { pgBin: options.pgBin, env: options.env }, restoreToolNeed(manifest.tool, { versionNum: facts.serverVersionNum, version: facts.serverVersion }));

  await dropStaleScratch(sql);
  const scratch = await createScratch(sql, live, { purpose: "the restore (the organization's rows are set aside there before they move into the live database)", instead: 'run restore-tenant as a user that has it' });
  let copy: ScratchCopy | undefined;
  try {
    copy = await setAsideRows({ pgRestore }, options.path, manifest, org.id, scratch.connection, { env: options.env, signal: options.signal, keysInMemory: options.keysInMemory, repointed: options.as === undefined });
    const erasedIds = await erasedSinceBackup(sql, manifest, org);
    const erased = erasedIds.length ? await erasedPeopleOf(sql, live, { pgRestore }, options.path, manifest, erasedIds, { env: options.env, signal: options.signal }) : { ids: [], values: [], names: [] };
    const applied = await applyToLive(sql, profile, manifest, org, copy, erased, { ...options, as: options.as === undefined ? undefined : targetHandle });
    const tables = manifest.pooled.tables.filter((t) => t.table in applied.inserted).map((t) => ({ table: t.table, rows: applied.inserted[t.table]! }));
    const result: PooledRestoreResult = {
      organization: org.handle,
      tenantId: org.id,
      targetHandle,
      targetId: applied.targetId,
      sameId: applied.targetId === org.id,
      tables,
      rows: tables.reduce((n, t) => n + t.rows, 0),
      sharedKept: applied.sharedKept,
      reclaimed: applied.reclaimed,
      leftOut: applied.leftOut,
      unlinked: applied.unlinked,
      backupId: manifest.id,
      backupPath: options.path,
      durationMs: performance.now() - t0,
    };
    await recordLog(sql, { action: 'restore-tenant', backupId: manifest.id, backupPath: options.path, startedAt: started, durationMs: result.durationMs, ok: true, summary: historyOf(result), faults: [] });
    return result;
  } finally {
    await copy?.sql.end({ timeout: 5 });
    await scratch.drop();
  }
}
