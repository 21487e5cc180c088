/**
 * Where `backup create`'s time goes, reported in its --json result (as `backup verify`
 * reports its own). Chunk phases are summed over all chunks; chunks run side by side, so
 * their sum can exceed `chunksMs`, the wall time of all chunks together. pg_dump and the
 * checksums of one chunk run at the same time: `dumpMs` and `checksumsMs` overlap too.
 */
export interface CreateTimings {
  /** Server facts, client tools, the folder, the sequence values read before the snapshot. */
  prepareMs: number;
  /** The snapshot's export and the catalog read in it. */
  catalogMs: number;
  /** All chunks, wall time. */
  chunksMs: number;
  /** Summed over chunks: pg_dump. */
  dumpMs: number;
  /** Summed over chunks: row counts and checksums in the snapshot. */
  checksumsMs: number;
  /** Summed over chunks: the relfilenode recheck after the dump. */
  recheckMs: number;
  /** Summed over chunks: the dumped sequence values compared with those before the snapshot. */
  sequencesMs: number;
  /** Summed over chunks: each archive's files made private and hashed (sha256), right after its dump. */
  sealMs: number;
  /** Pooled databases: every organization's rows per table. */
  pooledMs: number;
  /** After the chunks: every file of the folder listed (any not hashed yet, hashed) and flushed to disk. */
  syncMs: number;
  /** The manifest written and flushed, the tenants of the end of the run, the log row. */
  manifestMs: number;
  totalMs: number;
}

export type TimedPhase = Exclude<keyof CreateTimings, 'totalMs'>;

export function emptyTimings(): CreateTimings {
  return { prepareMs: 0, catalogMs: 0, chunksMs: 0, dumpMs: 0, checksumsMs: 0, recheckMs: 0, sequencesMs: 0, sealMs: 0, pooledMs: 0, syncMs: 0, manifestMs: 0, totalMs: 0 };
}

/** Run `work` and add its wall time to `timings[phase]` (whether it succeeds or not). */
export async function timed<T>(timings: CreateTimings | undefined, phase: TimedPhase, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    if (timings) timings[phase] += performance.now() - t0;
  }
}
