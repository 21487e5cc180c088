/**
 * Chunk planning (pure): which schemas each pg_dump call takes, so that no call locks more
 * relations than the server's shared lock table can hold with default settings.
 *
 * pg_dump takes an AccessShare lock on every relation it dumps and keeps it to the end; the
 * lock table holds max_locks_per_transaction × (max_connections + max_prepared_transactions)
 * entries for the whole server. A database with 1,000 tenant schemas (~33,000 tables)
 * overflows the default (64 × 100) and pg_dump dies with "out of shared memory".
 */

/** Server settings that size the shared lock table. */
export interface LockSettings {
  maxLocksPerTransaction: number;
  maxConnections: number;
  maxPreparedTransactions: number;
}

/** A schema and how many relations a dump of it locks. */
export interface SchemaWeight {
  schema: string;
  relations: number;
}

/** One planned pg_dump call. */
export interface ChunkPlan {
  name: string;
  kind: 'base' | 'schemas';
  /** base: the schemas that stay in it; schemas: the schemas dumped with -n. */
  schemas: string[];
  relations: number;
}

/** Share of the lock table one backup may use: the rest stays free for the application. */
const LOCK_TABLE_SHARE = 0.5;
/** pg_dump's -n arguments stay short enough for any argv limit, even for empty schemas. */
const MAX_SCHEMAS_PER_CHUNK = 400;
/** Below this a chunk costs more in pg_dump start-up (catalog reads) than it saves. */
const MIN_RELATIONS_PER_CHUNK = 50;

/**
 * How many relations one chunk may hold. While a chunk is dumped its relations are locked
 * by pg_dump's leader, and again by its workers when `jobs` > 1. The checksum sessions beside
 * it read 50 tables per transaction (src/sql/backup/table-checksums.sql), so they hold at
 * most 50 locks each, not a chunk's worth: that fits in the half of the lock table left free.
 * @param jobs pg_dump/pg_restore parallelism @default 1
 */
export function relationsPerChunk(settings: LockSettings, jobs = 1): number {
  const slots = settings.maxLocksPerTransaction * (settings.maxConnections + settings.maxPreparedTransactions);
  const holders = jobs > 1 ? 2 : 1;
  return Math.max(MIN_RELATIONS_PER_CHUNK, Math.floor((slots * LOCK_TABLE_SHARE) / holders));
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
