/**
 * Chunk planning (pure): which schemas each pg_dump call takes, so that no call locks more
 * relations than the server's shared lock table can hold with default settings.
 *
 * pg_dump takes an AccessShare lock on every relation it dumps and keeps it to the end; the
 * lock table holds max_locks_per_transaction × (MaxBackends + max_prepared_transactions)
 * entries for the whole server (MaxBackends: max_connections plus autovacuum, background
 * and WAL-sender processes). A database with 1,000 tenant schemas (~33,000 tables)
 * overflows the default (64 × 122) and pg_dump dies with "out of shared memory".
 */

/** Server settings that size the shared lock table, and what is in it already. */
export interface LockSettings {
  maxLocksPerTransaction: number;
  maxConnections: number;
  maxPreparedTransactions: number;
  /** Autovacuum workers + launcher, background workers and WAL senders: PostgreSQL sizes the lock table for them too (MaxBackends). @default 0 */
  otherBackends?: number;
  /** Entries of the shared lock table in use when the backup starts. @default 0 */
  locksHeld?: number;
}

/** A schema and how many relations a dump of it locks. */
export interface SchemaWeight {
  schema: string;
  relations: number;
  /** Its tables' size from the statistics (bigint as text), for progress; absent = unknown. */
  bytes?: string;
}

/** One planned pg_dump call. */
export interface ChunkPlan {
  name: string;
  kind: 'base' | 'schemas';
  /** base: the schemas that stay in it; schemas: the schemas dumped with -n. */
  schemas: string[];
  relations: number;
}

/** How the chunks are dumped: the plan, how many pg_dumps run at once, and each one's -j. */
export interface DumpSchedule {
  plan: ChunkPlan[];
  /** Most relations in one chunk. */
  limit: number;
  dumpsAtOnce: number;
  jobsPerDump: number;
}

/**
 * Share of the lock table's free entries the backup's pg_dumps may hold at once: the rest
 * stays free for the application and for the checksum sessions (at most 50 tables and their
 * indexes each). The table PostgreSQL sizes is a floor, not a ceiling, for locks like these,
 * each held by one process: shared memory is reserved for that many LOCK entries and twice
 * as many PROCLOCK entries (lock.c assumes two holders per lock), and a one-holder lock uses
 * one of each, so the same memory holds ~1.3× the sized count (LOCK 168 bytes, PROCLOCK 80,
 * with their hash headers), more with the segment's other slack: on the bench server
 * (defaults, 64 × 122 = 7,808 entries) one transaction locked 12,505 tables before "out of
 * shared memory". 75 % of the sized table is under half of the real one. Every pg_dump call
 * re-reads the whole catalog (~4 core-seconds at 1,000 tenants), so the share sets the number
 * of calls: 60 % made 16 calls for 1,000 tenants, 75 % makes 13. Should the lock table fill
 * up anyway (another session holding thousands of locks), the chunk is dumped again on its
 * own (dump-all.ts) rather than failing the backup.
 */
const LOCK_TABLE_SHARE = 0.75;
/** pg_dump's -n arguments stay short enough for any argv limit, even for empty schemas. */
const MAX_SCHEMAS_PER_CHUNK = 400;
/** Below this a chunk costs more in pg_dump start-up (catalog reads) than it saves. */
const MIN_RELATIONS_PER_CHUNK = 50;

/** Entries PostgreSQL sizes the shared lock table for: max_locks_per_transaction × (MaxBackends + max_prepared_transactions). */
export function lockTableSlots(settings: LockSettings): number {
  return settings.maxLocksPerTransaction * (settings.maxConnections + (settings.otherBackends ?? 0) + settings.maxPreparedTransactions);
}

/**
 * How many relation locks the backup's pg_dumps may hold at once: a share of the lock
 * table's free entries, or `cap` (--lock-budget) when that is lower.
 */
export function lockBudget(settings: LockSettings, cap?: number): number {
  const free = Math.max(0, lockTableSlots(settings) - (settings.locksHeld ?? 0));
  return Math.min(cap ?? Infinity, Math.floor(free * LOCK_TABLE_SHARE));
}

/**
 * How many relations one chunk may hold when `holders` copies of its locks exist at once:
 * pg_dump's leader locks every table of its chunk when it starts and its -j workers lock
 * them again one by one, and chunks dumped side by side each hold their own.
 */
export function relationsPerChunk(budget: number, holders = 1): number {
  return Math.max(MIN_RELATIONS_PER_CHUNK, Math.floor(budget / holders));
}

/**
 * Choose how to dump. pg_dump's own cost is mostly its catalog reads, which cover the whole
 * database whatever the chunk (1,000 tenants: ~12 s a call on the bench machine, against
 * ~6 ms a table for the data), and its leader reads them alone while -j workers wait. So
 * when the fleet fills at least `jobs` chunks, `jobs` single-process pg_dumps run side by
 * side, each with a `jobs`-th of the budget; a smaller database gets one pg_dump at a time
 * with `jobs` workers (leader + workers: half the budget).
 */
export function scheduleChunks(schemas: readonly SchemaWeight[], baseSchemas: ReadonlySet<string>, budget: number, jobs: number): DumpSchedule {
  if (jobs > 1) {
    const limit = relationsPerChunk(budget, jobs);
    const plan = planChunks(schemas, baseSchemas, limit);
    if (plan.length - 1 >= jobs) return { plan, limit, dumpsAtOnce: jobs, jobsPerDump: 1 };
  }
  const limit = relationsPerChunk(budget, jobs > 1 ? 2 : 1);
  return { plan: planChunks(schemas, baseSchemas, limit), limit, dumpsAtOnce: 1, jobsPerDump: jobs };
}

/** How pg_dump writes a chunk: -Fd (a folder, a file per table) or -Fc (one file). */
export type ArchiveFormat = 'directory' | 'custom';

/**
 * The archive format for `auto`. When single-process pg_dumps run side by side, one custom
 * file per chunk: a directory archive of a 2,000-table chunk is 2,000 files to create, make
 * private and hash, and that made `backup create` of 1,000 tenants 9 % slower (67.5 s against
 * 61.7 s, 33,038 files against 16, quiet machine; BENCHMARKS.md). When one pg_dump at a time
 * gets `jobs` workers (a database of few, large schemas, such as a pooled one), only the
 * directory format lets pg_dump dump tables in parallel.
 */
export function archiveFormat(asked: 'auto' | ArchiveFormat, jobsPerDump: number): ArchiveFormat {
  if (asked !== 'auto') return asked;
  return jobsPerDump > 1 ? 'directory' : 'custom';
}

/**
 * Split the database into chunks: `chunk-000` is the base (every schema in `baseSchemas`,
 * plus extensions, large objects and anything pg_dump writes only for a whole-database
 * dump); every other schema goes, in name order, into chunks of at most `limit` relations.
 * A schema larger than the limit gets a chunk of its own.
 */
export function planChunks(schemas: readonly SchemaWeight[], baseSchemas: ReadonlySet<string>, limit: number): ChunkPlan[] {
  const base: ChunkPlan = { name: 'chunk-000', kind: 'base', schemas: [], relations: 0 };
  const chunks: ChunkPlan[] = [base];
  let current: ChunkPlan | undefined;
  const sorted = [...schemas].sort((a, b) => (a.schema < b.schema ? -1 : a.schema > b.schema ? 1 : 0));
  for (const s of sorted) {
    if (baseSchemas.has(s.schema)) {
      base.schemas.push(s.schema);
      base.relations += s.relations;
      continue;
    }
    if (!current || current.relations + s.relations > limit || current.schemas.length >= MAX_SCHEMAS_PER_CHUNK) {
      current = { name: `chunk-${String(chunks.length).padStart(3, '0')}`, kind: 'schemas', schemas: [], relations: 0 };
      chunks.push(current);
    }
    current.schemas.push(s.schema);
    current.relations += s.relations;
  }
  return chunks;
}

/** The schemas each chunk excludes: the base chunk is dumped with -N for every chunked schema. */
export function chunkedSchemas(chunks: readonly ChunkPlan[]): string[] {
  return chunks.filter((c) => c.kind === 'schemas').flatMap((c) => c.schemas);
}
