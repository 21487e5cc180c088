import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionConfig } from '../db/config.js';
import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';
import { failpoint } from '../tenants/failpoint.js';
import type { ArchiveFormat, ChunkPlan } from './chunks.js';
import { CURRENT_CHECKSUM_FORMULA, tableChecksums, tableKey } from './checksums.js';
import { sealArchive } from './dump-files.js';
import type { ChunkEntry, FileEntry, TableEntry } from './manifest.js';
import { isAbort, runTool } from './run-tool.js';
import { dumpedSequences, sequenceSetBackError, setBackSequences, type SequenceState } from './sequences.js';
import { tableFilenodes, type RelationState } from './snapshot.js';
import type { PgTool } from './tools.js';
import { timed, type CreateTimings } from './create-timings.js';

/** Everything one chunk's dump needs from the run. */
export interface ChunkContext {
  sql: Sql;
  connection: ConnectionConfig;
  pgDump: PgTool;
  /** Reads the sequence values back out of each chunk's archive. */
  pgRestore: PgTool;
  psql: PgTool;
  folder: string;
  snapshot: string;
  /** relfilenode and columns of every table as the snapshot saw them (`schema.table`). */
  filenodes: ReadonlyMap<string, RelationState>;
  /** Every sequence's value, read just before the snapshot (keyed by the name as pg_dump quotes it). */
  sequences: ReadonlyMap<string, SequenceState>;
  format: ArchiveFormat;
  /** pg_dump -j of this chunk and its checksum sessions. */
  jobs: number;
  /** Schemas the base chunk leaves to the others (-N). */
  excluded: string[];
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Where each chunk's phases add their time. */
  timings?: CreateTimings;
}

/** A chunk pg_dump has written and whose tables were not rewritten: its manifest entry (none when all its schemas vanished), tables, and the schemas that vanished before it. */
export interface DumpedChunk {
  entry?: ChunkEntry;
  tables: TableEntry[];
  notDumped: string[];
}

/** A finished chunk: its sequences checked and its files sealed. */
export interface ChunkOutcome extends DumpedChunk {
  /** The archive's files (0600), with their size and sha256, paths relative to the backup folder. */
  files: FileEntry[];
  /** Sequences whose dumped value was compared with the one before the snapshot. */
  sequencesCompared: number;
}

/** A tenant can be erased between our look and pg_dump's: that many looks, then it is a real error. */
const ATTEMPTS = 3;

function dumpArgs(ctx: ChunkContext, chunk: ChunkPlan, schemas: string[], archive: string): string[] {
  // --no-sync: pg_dump would fsync its files one by one; the run flushes them all, 16 at a time, as it hashes them.
  const args = ['--no-password', '--no-sync', `--snapshot=${ctx.snapshot}`, '-f', archive];
  args.push(...(ctx.format === 'directory' ? ['-Fd', '-j', String(ctx.jobs)] : ['-Fc']));
  // The base chunk excludes the chunked schemas rather than listing its own: with -n
  // pg_dump would leave out extensions, large objects and other database-wide objects.
  if (chunk.kind === 'base') for (const s of ctx.excluded) args.push('-N', exactPattern(s));
  else for (const s of schemas) args.push('-n', exactPattern(s));
  return args;
}

/**
 * A schema name as a pg_dump pattern that matches it and nothing else: -n and -N take
 * patterns, which fold upper case and read `*`, `?`, `.` and `"` (a schema "Reporting" was
 * neither excluded from the base chunk nor found for its own). Inside double quotes every
 * character is literal; a double quote is doubled.
 */
export const exactPattern = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function presentSchemas(sql: Sql, schemas: readonly string[]): Promise<string[]> {
  const present = new Set((await query<{ schema: string }>(sql, 'backup/schemas-present', [schemas as string[]])).map((r) => r.schema));
  return schemas.filter((s) => present.has(s));
}

/** Relations of a chunk that changed since the snapshot, by what changed. */
interface ChangedRelations {
  /** A new relfilenode: rewritten (or truncated, a sequence restarted). */
  rewritten: string[];
  /** Same storage, other columns (ADD / DROP COLUMN): the checksums' row text is not the dump's. */
  columns: string[];
}

/**
 * The relations of the chunk (tables, partitions, sequences) whose relfilenode or columns
 * changed since the snapshot. pg_dump locks a chunk's tables only when it starts, so a rewrite that
 * committed before (or was waited for by) that lock is read through the old snapshot as an
 * empty or partial table, and the checksums beside it agree; a sequence reset after the
 * snapshot is dumped with its new, lower value. After the chunk, a changed relfilenode is
 * the tell. A relation absent from the snapshot was created after it and is not in the dump;
 * one gone now was dropped after pg_dump had locked it (else pg_dump would have failed).
 */
async function changedRelations(ctx: ChunkContext, schemas: readonly string[]): Promise<ChangedRelations> {
  const now = await tableFilenodes(ctx.sql, schemas);
  const changed: ChangedRelations = { rewritten: [], columns: [] };
  for (const [key, current] of now) {
    const then = ctx.filenodes.get(key);
    if (!then) continue;
    if (then.relfilenode !== current.relfilenode) changed.rewritten.push(key);
    else if (then.columns !== current.columns) changed.columns.push(key);
  }
  return changed;
}

/**
 * Sequences of the chunk that pg_dump wrote with a value behind the one they had before the
 * snapshot (a setval() to a lower value meanwhile). Read from the archive itself: what a
 * restore would set. Chunks without sequences skip the two pg_restore calls.
 */
async function sequencesOfChunk(ctx: ChunkContext, chunk: ChunkPlan, schemas: readonly string[], archive: string): Promise<{ compared: number; setBack: string[] }> {
  const excluded = new Set(ctx.excluded);
  const inChunk = chunk.kind === 'base' ? (s: string) => !excluded.has(s) : (s: string) => schemas.includes(s);
  if (![...ctx.sequences.values()].some((s) => inChunk(s.schema))) return { compared: 0, setBack: [] };
  const dumped = await dumpedSequences(ctx.pgRestore, archive, { env: ctx.env, signal: ctx.signal, what: `sequence values of ${chunk.name}` });
  return { compared: [...dumped.keys()].filter((k) => ctx.sequences.has(k)).length, setBack: setBackSequences(ctx.sequences, dumped) };
}

/**
 * Dump one chunk (pg_dump) and checksum its tables (psql) in the shared snapshot, then prove
 * no table of it was rewritten after the snapshot: at once, since a rewrite after pg_dump
 * let go of its locks would be flagged too. Schemas dropped in the meantime (a tenant erased
 * during the run) are left out and reported; a rewritten table fails the backup.
 */
export async function dumpChunk(ctx: ChunkContext, chunk: ChunkPlan): Promise<DumpedChunk> {
  const path = `chunks/${chunk.name}${ctx.format === 'custom' ? '.dump' : ''}`;
  const archive = join(ctx.folder, path);
  // What an earlier attempt of this chunk left (dump-all.ts dumps a chunk again when the lock table was full).
  await rm(archive, { recursive: true, force: true });
  let schemas = chunk.kind === 'base' ? chunk.schemas : await presentSchemas(ctx.sql, chunk.schemas);
  // The window a vanishing tenant falls into: after our look, before pg_dump's locks.
  if (chunk.kind === 'schemas') {
    await failpoint(ctx.env.TENANTCTL_FAILPOINT, 'backup-create:chunk-checked');
    await failpoint(ctx.env.TENANTCTL_FAILPOINT, `backup-create:chunk-checked:${chunk.name}`);
  }
  for (let attempt = 1; ; attempt++) {
    const notDumped = chunk.schemas.filter((s) => !schemas.includes(s));
    // Nothing left to dump: without -n, pg_dump would dump the whole database.
    if (chunk.kind === 'schemas' && schemas.length === 0) return { tables: [], notDumped };
    const what = `backup of ${chunk.name} (${schemas.length} schema(s))`;
    const [dump, sums] = await Promise.allSettled([
      timed(ctx.timings, 'dumpMs', () => runTool(ctx.pgDump, dumpArgs(ctx, chunk, schemas, archive), { connection: ctx.connection, env: ctx.env, signal: ctx.signal, what })),
      timed(ctx.timings, 'checksumsMs', () => tableChecksums(ctx.psql, ctx.connection, schemas, { formula: CURRENT_CHECKSUM_FORMULA, snapshot: ctx.snapshot, parallel: ctx.jobs, env: ctx.env, signal: ctx.signal, what: `checksums of ${chunk.name}` })),
    ]);
    if (dump.status === 'fulfilled' && sums.status === 'fulfilled') {
      const tables = sums.value.map((f) => ({ schema: f.schema, table: f.table, chunk: chunk.name, rows: f.rows, checksum: f.checksum, relfilenode: ctx.filenodes.get(tableKey(f.schema, f.table))?.relfilenode }));
      const changed = await timed(ctx.timings, 'recheckMs', () => changedRelations(ctx, schemas));
      if (changed.rewritten.length || changed.columns.length) throw changedError(changed);
      return { entry: { name: chunk.name, path, kind: chunk.kind, schemas, tables: tables.length }, tables, notDumped };
    }
    const failure = (dump.status === 'rejected' ? dump.reason : (sums as PromiseRejectedResult).reason) as unknown;
    if (isAbort(failure) || ctx.signal?.aborted) throw failure;
    const still = chunk.kind === 'base' ? schemas : await presentSchemas(ctx.sql, schemas);
    if (still.length === schemas.length || attempt >= ATTEMPTS) throw failure;
    // A schema vanished under pg_dump (tenant erased): start the chunk again without it.
    await rm(archive, { recursive: true, force: true });
    schemas = still;
  }
}

/**
 * Finish a dumped chunk: no sequence of it set back (read from the archive) and its files
 * made private and hashed. Nothing here depends on when it runs, so the run starts the next
 * chunk's pg_dump first and does this beside it.
 */
export async function finishChunk(ctx: ChunkContext, chunk: ChunkPlan, dumped: DumpedChunk): Promise<ChunkOutcome> {
  if (!dumped.entry) return { ...dumped, files: [], sequencesCompared: 0 };
  const { path, schemas } = dumped.entry;
  const sequences = await timed(ctx.timings, 'sequencesMs', () => sequencesOfChunk(ctx, chunk, schemas, join(ctx.folder, path)));
  if (sequences.setBack.length) throw sequenceSetBackError(sequences.setBack);
  const files = await timed(ctx.timings, 'sealMs', () => sealArchive(ctx.folder, path));
  return { ...dumped, files, sequencesCompared: sequences.compared };
}

const listed = (tables: string[]): string => tables.slice(0, 5).join(', ') + (tables.length > 5 ? ` and ${tables.length - 5} more` : '');

function changedError({ rewritten, columns }: ChangedRelations): TenantctlError {
  const why: string[] = [];
  if (rewritten.length) {
    why.push(`${listed(rewritten)} ${rewritten.length === 1 ? 'was' : 'were'} rewritten after the backup's snapshot (ALTER TABLE … TYPE, a column with a volatile default, VACUUM FULL, CLUSTER, TRUNCATE, or a sequence RESTART): the snapshot does not protect a rewritten table or sequence, so its dump could miss rows or carry a wrong value.`);
  }
  if (columns.length) {
    why.push(`${listed(columns)} had ${columns.length === 1 ? 'its' : 'their'} columns changed after the backup's snapshot (ALTER TABLE … ADD or DROP COLUMN): the dump holds the columns the snapshot saw, the checksums were read with the new ones, so the backup would fail its own verify.`);
  }
  return new TenantctlError('BACKUP_TABLE_REWRITTEN', `${why.join(' ')} No backup was written.`, {
    hint: 'Run `tenantctl backup create` again once the migration or maintenance that changes tables has finished.',
    details: { tables: rewritten, columnsChanged: columns },
  });
}
