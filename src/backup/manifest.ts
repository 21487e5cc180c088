import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, TenantctlError } from '../errors.js';
import { writePrivateFile } from '../files/private.js';
import type { ArchiveFormat } from './chunks.js';
import { assertPathsInside } from './manifest-paths.js';
import { manifestShapeFault } from './manifest-shape.js';
import { CHECKSUM_FORMULAS, type ChecksumFormula } from './checksums.js';
import type { PooledManifest } from './pooled/section.js';
import type { RegistrySpec } from '../tenancy/profile.js';

/** The manifest's format tag; a reader refuses formats it does not know. */
export const MANIFEST_FORMAT = 'tenantctl-backup/1';
/** The manifest's file name inside a backup folder. */
export const MANIFEST_FILE = 'manifest.json';

/** One pg_dump archive of the backup: a group of schemas dumped from the shared snapshot. */
export interface ChunkEntry {
  name: string;
  /** Path of the archive (directory or file) relative to the backup folder. */
  path: string;
  /** `base`: everything that is not a chunked schema (public, tenantctl, extensions…); `schemas`: dumped with -n. */
  kind: 'base' | 'schemas';
  schemas: string[];
  tables: number;
}

/** A table as it was at the snapshot: exact row count and content checksum. */
export interface TableEntry {
  schema: string;
  table: string;
  chunk: string;
  rows: number;
  checksum: string;
  /** pg_class.relfilenode at the snapshot, re-checked after the table was dumped (absent in backups made without the rewrite check). */
  relfilenode?: string;
}

/** Which database a backup is of: prune deletes only backups of the connected database. */
export interface BackupSource {
  database: string;
  /** pg_control_system().system_identifier; null when the user may not read it. */
  systemIdentifier: string | null;
  /** host:port the backup was taken from (no user, no password). */
  server: string;
}

/** What changed in the live database while the backup ran: recorded, not a failure. */
export interface DuringRun {
  /** Tenants registered after the snapshot: not in this backup. */
  createdTenants: { id: string; slug: string }[];
  /** Tenants of the snapshot gone by the end of the run (erased); their schema is in the backup unless listed in `schemasNotDumped`. */
  erasedTenants: { id: string; slug: string; schema: string }[];
  /** Schemas of the snapshot that were dropped before their chunk was dumped: not in this backup. */
  schemasNotDumped: string[];
}

/** How the backup proved that what it dumped is what the snapshot held. */
export interface ConsistencyProof {
  /** Every dumped table's relfilenode was the same after its chunk was dumped as at the snapshot. */
  method: 'relfilenode-recheck';
  tables: number;
  /** Sequences whose dumped value was compared with their value before the snapshot (none set back). Absent: made before this check. */
  sequences?: number;
}

/** A tenant as it was at the snapshot, with its schema's migration version. */
export interface TenantEntry {
  id: string;
  slug: string;
  schema: string;
  status: string;
  /** The latest applied migration version ('' when none). */
  version: string;
  applied: string[];
  /** The chunk that holds the tenant's schema ('' when the schema did not exist). */
  chunk: string;
  /** On a Citus coordinator: the worker (`host:port`) holding the schema, null on the coordinator itself; absent on plain PostgreSQL. */
  node?: string | null;
}

/** A file of the backup with its size and sha256. */
export interface FileEntry {
  path: string;
  bytes: number;
  sha256: string;
}

/** Everything `backup verify` checks a backup against. */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  id: string;
  createdAt: string;
  finishedAt: string;
  database: string;
  server: { version: string; versionNum: number };
  tool: { name: 'pg_dump'; version: string; major: number };
  tenantctl: string;
  dumpFormat: ArchiveFormat;
  snapshot: string;
  locks: { maxLocksPerTransaction: number; maxConnections: number; maxPreparedTransactions: number; tablesPerChunk: number };
  chunks: ChunkEntry[];
  /** How the tables' checksums were computed; absent in backups made before hashtext: md5. */
  checksumFormula?: ChecksumFormula;
  tables: TableEntry[];
  tenants: TenantEntry[];
  /**
   * The registry `tenants` were read from (schema per tenant), so that a verify reads the
   * restored copy's tenants the same way whatever database it is connected to. Absent in
   * backups made before it was recorded, and for pooled databases.
   */
  registry?: RegistrySpec;
  /** Pooled databases: the profile's declarations and every organization's rows per table, counted in the snapshot. */
  pooled?: PooledManifest;
  files: FileEntry[];
  /** Absent in backups made by versions without the rewrite check (issue 13). */
  source?: BackupSource;
  consistency?: ConsistencyProof;
  duringRun?: DuringRun;
  /** sha256 of this document without this field: a hand edit shows. */
  checksum: string;
}

/** The canonical text a manifest's checksum is computed over (stable key order as written). */
function bodyOf(manifest: Omit<Manifest, 'checksum'> & { checksum?: string }): string {
  const { checksum: _ignored, ...body } = manifest;
  return JSON.stringify(body);
}

/** sha256 of a manifest's content without its own checksum field. */
export function manifestChecksum(manifest: Omit<Manifest, 'checksum'> & { checksum?: string }): string {
  return createHash('sha256').update(bodyOf(manifest)).digest('hex');
}

/** sha256 over every table's figures (schema, table, rows, checksum, relfilenode), in manifest order. */
export function tablesDigest(tables: readonly TableEntry[]): string {
  const hash = createHash('sha256');
  for (const t of tables) hash.update(`${t.schema}\t${t.table}\t${t.rows}\t${t.checksum}\t${t.relfilenode ?? ''}\n`);
  return hash.digest('hex');
}

/** Seal and write `manifest.json`; returns the sha256 of the written file (recorded in the backup log). */
export async function writeManifest(folder: string, manifest: Omit<Manifest, 'checksum'>): Promise<{ manifest: Manifest; fileSha256: string }> {
  const sealed: Manifest = { ...manifest, checksum: manifestChecksum(manifest) };
  const text = JSON.stringify(sealed, null, 2) + '\n';
  // 0600, and never over an existing manifest: a backup folder holds one backup.
  await writePrivateFile(join(folder, MANIFEST_FILE), text, { overwrite: false });
  return { manifest: sealed, fileSha256: createHash('sha256').update(text).digest('hex') };
}

/** Read a backup's manifest; a missing or unreadable one is an error naming the file. */
export async function readManifest(folder: string): Promise<{ manifest: Manifest; fileSha256: string; sealed: boolean }> {
  const path = join(folder, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TenantctlError('BACKUP_NO_MANIFEST', `${path} cannot be read: ${code ?? (error as Error).message}.`, {
      hint: 'Pass the folder that `tenantctl backup create` wrote (it holds manifest.json); a folder without one is an unfinished backup.',
      // A folder that is not there (or holds no manifest) is a wrong argument, as docs/backup.md says: exit 2.
      exitCode: code === 'ENOENT' || code === 'ENOTDIR' ? EXIT.usage : EXIT.failed,
    });
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch (error) {
    throw new TenantctlError('BACKUP_BAD_MANIFEST', `${path} is not valid JSON: ${(error as Error).message}.`, { hint: 'The manifest was damaged or edited; this backup cannot be verified.' });
  }
  if (manifest?.format !== MANIFEST_FORMAT) {
    throw new TenantctlError('BACKUP_BAD_MANIFEST', `${path} is not a tenantctl backup manifest (format ${JSON.stringify(manifest?.format)}, expected ${MANIFEST_FORMAT}).`, { hint: 'Pass a folder written by `tenantctl backup create`.' });
  }
  const shape = manifestShapeFault(manifest);
  if (shape) {
    throw new TenantctlError('BACKUP_BAD_MANIFEST', `${path} is incomplete or damaged: ${shape}.`, {
      hint: 'The manifest was edited or cut short; this backup cannot be verified or restored. Use another backup (tenantctl backup log lists them).',
      details: { fault: shape },
    });
  }
  if (manifest.checksumFormula !== undefined && !CHECKSUM_FORMULAS.includes(manifest.checksumFormula)) {
    throw new TenantctlError('BACKUP_BAD_MANIFEST', `${path} names the checksum formula ${JSON.stringify(manifest.checksumFormula)}, which this tenantctl does not know (it knows ${CHECKSUM_FORMULAS.join(', ')}).`, {
      hint: 'Verify this backup with the tenantctl version that created it (the manifest names it under "tenantctl") or a newer one.',
    });
  }
  await assertPathsInside(folder, manifest, path);
  return { manifest, fileSha256: createHash('sha256').update(text).digest('hex'), sealed: manifest.checksum === manifestChecksum(manifest) };
}

/** sha256 of one file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Every file under `folder` (relative, `/`-separated, sorted), manifest.json excepted. A
 * sub-folder that is a backup of its own (the nightly `--out` folder holds each night's
 * backup inside the first one) is not part of this backup and is skipped.
 */
export async function listFiles(folder: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (relativeDir: string): Promise<void> => {
    const entries = await readdir(join(folder, relativeDir), { withFileTypes: true });
    if (relativeDir && entries.some((e) => e.name === MANIFEST_FILE && e.isFile())) return;
    for (const e of entries) {
      const path = relativeDir ? `${relativeDir}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path);
      else if (e.isFile() && path !== MANIFEST_FILE) files.push(path);
    }
  };
  await walk('');
  return files.sort();
}

/** Read buffer of one hashing worker: reused for every file it reads. */
const HASH_BUFFER_BYTES = 256 * 1024;

/**
 * Size and sha256 of an open file, read from its start into `buffer`. Plain reads into one
 * reused buffer: for the tens of thousands of small files of a large backup, a read stream
 * per file cost three times as much CPU.
 */
export async function sha256OfHandle(handle: FileHandle, buffer: Buffer): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, bytes);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    bytes += bytesRead;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * Hash files with bounded parallelism (reading is I/O bound; two at a time already
 * saturates a disk without starving pg_restore).
 * @param parallel how many files at once @default 4
 */
export async function hashFiles(folder: string, paths: string[], parallel = 4): Promise<FileEntry[]> {
  return hashEach(paths, parallel, async (path, buffer) => {
    const handle = await open(join(folder, path), 'r');
    try {
      return await sha256OfHandle(handle, buffer);
    } finally {
      await handle.close();
    }
  });
}

/**
 * Size and sha256 of each of `paths` (in order), at most `parallel` at once, each worker
 * reading through one reused buffer of its own; `hash` opens and reads one file.
 */
export async function hashEach(paths: readonly string[], parallel: number, hash: (path: string, buffer: Buffer) => Promise<{ bytes: number; sha256: string }>): Promise<FileEntry[]> {
  const result: FileEntry[] = new Array(paths.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    const buffer = Buffer.allocUnsafe(HASH_BUFFER_BYTES);
    while (next < paths.length) {
      const index = next++;
      const path = paths[index]!;
      result[index] = { path, ...(await hash(path, buffer)) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, paths.length) }, worker));
  return result;
}
