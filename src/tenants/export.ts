import type postgres from 'postgres';
import { createHash } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import type { Pool, Sql } from '../db/connect.js';
import { copyOut } from '../db/copy-out.js';
import { TenantctlError } from '../errors.js';
import { assertFolderOnlyOurs, createPrivateDir, fileError, printablePath, stageFile, writePrivateFile } from '../files/private.js';
import type { DataLocation, TenancyStrategy } from '../tenancy/strategy.js';
import type { Tenant } from '../tenancy/registry.js';
import { assertTenantSchema } from '../tenancy/schema-guard.js';
import { withTenantLock, type TenantLockOptions } from '../tenancy/locks.js';
import { requireTenant } from './find.js';
import { countRows, locateTenantData, qualified, tenantRows } from './locate.js';
import { ident, qualifiedIdent } from '../db/ident.js';
import { exportFileNamer } from './export-names.js';

/** One file of an export. */
export interface ExportedFile {
  file: string;
  table: string;
  scope: 'tenant' | 'shared';
  rows: number;
  bytes: number;
  sha256: string;
}

/** manifest.json of an export. */
export interface ExportManifest {
  format: 'tenantctl.tenant-export/1';
  tenant: { id: string; slug: string; name: string; schema: string };
  exportedAt: string;
  /** All files come from one REPEATABLE READ snapshot, so they agree with each other. */
  consistent: true;
  files: ExportedFile[];
  totals: { files: number; rows: number; bytes: number };
}

/**
 * The export folder: created 0700 when missing; an existing one must be a real, empty
 * folder (never a link or a file) on a path no other user controls. Its `tenant/` and `shared/` folders are always new and
 * 0700, so the files (password hashes, API secrets) are never readable by other users.
 */
export async function prepareExportDir(dir: string): Promise<{ created: boolean }> {
  const found = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw fileError(error, dir, 'use the folder');
  });
  await assertFolderOnlyOurs(dir, '--out');
  if (!found) await createPrivateDir(dir);
  else if (!found.isDirectory()) {
    const what = found.isSymbolicLink() ? 'a symbolic link' : 'a file, not a folder';
    throw new TenantctlError('EXPORT_DIR_INVALID', `${printablePath(dir)} is ${what}.`, {
      hint: 'Give --out a new folder (it is created, private to you) or an empty one.',
      details: { dir: printablePath(dir) },
      exitCode: 2,
    });
  } else if ((await readdir(dir)).length) {
    throw new TenantctlError('EXPORT_DIR_NOT_EMPTY', `${printablePath(dir)} is not empty.`, { hint: 'Export into a new or empty folder, so files of two exports never mix.', details: { dir: printablePath(dir) } });
  }
  await createPrivateDir(join(dir, 'tenant'));
  await createPrivateDir(join(dir, 'shared'));
  return { created: !found };
}

/**
 * Prepare the export folder (prepareExportDir), write the export into it, and when anything
 * fails take out what was written: a half export (password hashes, API secrets, no
 * manifest) must not stay behind looking like data. A folder this export created goes too.
 */
export async function withExportDir<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const { created } = await prepareExportDir(dir);
  try {
    return await work();
  } catch (error) {
    await Promise.all(['tenant', 'shared', 'manifest.json'].map((part) => rm(join(dir, part), { recursive: true, force: true })));
    if (created) await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** COPY … TO STDOUT of one location into a file, hashing as it streams. */
async function exportLocation(tx: Sql, location: DataLocation, path: string): Promise<{ bytes: number; sha256: string }> {
  const table = qualifiedIdent(tx, location.schema, location.table);
  // COPY takes no bind parameters: the tenant id is read from a transaction-local setting.
  const source = location.column === null
    ? tx`copy ${table} to stdout with (format csv, header true)`
    : tx`copy (select * from ${table} where ${tenantRows(tx, location, (c) => tx`${ident(tx, c)}::text = current_setting('tenantctl.export_tenant_id')`)}) to stdout with (format csv, header true)`;
  return copyToFile(source, path);
}

/**
 * Write manifest.json of a tenant export (every layout's: schema per tenant and pooled) as
 * a private file that must be new, and return it.
 */
export async function writeExportManifest(out: string, tenant: ExportManifest['tenant'], files: ExportedFile[], now: () => Date): Promise<ExportManifest> {
  const manifest: ExportManifest = {
    format: 'tenantctl.tenant-export/1',
    tenant,
    exportedAt: now().toISOString(),
    consistent: true,
    files,
    totals: { files: files.length, rows: files.reduce((n, f) => n + f.rows, 0), bytes: files.reduce((n, f) => n + f.bytes, 0) },
  };
  await writePrivateFile(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n', { overwrite: false });
  return manifest;
}

/** Stream a `copy … to stdout` statement into a file, hashing as it streams. */
export async function copyToFile(source: postgres.PendingQuery<postgres.Row[]>, path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const file = await stageFile(path, { overwrite: false });
  try {
    await copyOut(source, [tap], file.stream, { end: true });
  } catch (error) {
    await file.abort();
    throw error;
  }
  await file.commit();
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * Export a tenant: every table of its own storage and its rows in every shared table (found
 * from the catalog, as erase finds them), as CSV with a header, plus manifest.json with row
 * counts and a sha256 per file. One read-only REPEATABLE READ transaction, so the files are a
 * consistent snapshot. `dir` must be new or empty.
 */
export async function exportTenant(sql: Pool, strategy: TenancyStrategy, ref: Tenant, dir: string, now: () => Date = () => new Date(), lock: Pick<TenantLockOptions, 'noWait' | 'onWait'> = {}): Promise<ExportManifest & { dir: string }> {
  const out = resolve(dir);
  const tenant = await requireTenant(sql, strategy.registry, ref);
  assertTenantSchema(strategy, tenant);
  return withExportDir(out, async () => {
    // Readers share the tenant's lock: an erase or import of the tenant waits for the export, or it for them.
    const files = await withTenantLock(sql, tenant, { what: 'tenant export', shared: true, registry: strategy.registry, ...lock }, async (tx) => {
      await tx`select set_config('tenantctl.export_tenant_id', ${tenant.id}, true)`;
      const data = await locateTenantData(tx, strategy, tenant);
      const fileFor = exportFileNamer();
      const jobs: { location: DataLocation; file: string; scope: 'tenant' | 'shared' }[] = [
        ...data.own.map((l) => ({ location: l, file: fileFor('tenant', l.table), scope: 'tenant' as const })),
        ...[data.registry, ...data.shared].map((l) => ({ location: l, file: fileFor('shared', l.schema, l.table), scope: 'shared' as const })),
      ];
      const written: ExportedFile[] = [];
      // One at a time: a transaction is one connection, and COPY streams cannot interleave.
      for (const job of jobs) {
        const rows = await countRows(tx, job.location, tenant.id);
        const { bytes, sha256 } = await exportLocation(tx, job.location, join(out, job.file));
        written.push({ file: job.file, table: qualified(job.location), scope: job.scope, rows, bytes, sha256 });
      }
      return written;
    }, 'isolation level repeatable read read only');
    const manifest = await writeExportManifest(out, { id: tenant.id, slug: tenant.slug, name: tenant.name, schema: tenant.schema }, files, now);
    return { ...manifest, dir: out };
  });
}
