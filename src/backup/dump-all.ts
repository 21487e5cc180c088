import { failpoint } from '../tenants/failpoint.js';
import type { ChunkPlan } from './chunks.js';
import { dumpChunk, finishChunk, type ChunkContext, type ChunkOutcome } from './dump-chunk.js';

/**
 * Dump every chunk of `plan`, `dumpsAtOnce` at a time, all in the run's one snapshot. A
 * chunk's slot goes to the next chunk as soon as its pg_dump ended and its tables were
 * rechecked; the chunk is finished (sequences, files hashed) beside the next pg_dump.
 * The first failure stops the chunks still running (their pg_dumps are killed through the
 * signal) and is what the caller sees. Outcomes come back in plan order.
 */
export async function dumpChunks(ctx: ChunkContext, plan: readonly ChunkPlan[], dumpsAtOnce: number, onDone?: (done: number, total: number, chunk: ChunkPlan) => void): Promise<ChunkOutcome[]> {
  const stop = new AbortController();
  const run: ChunkContext = { ...ctx, signal: ctx.signal ? AbortSignal.any([ctx.signal, stop.signal]) : stop.signal };
  const outcomes: ChunkOutcome[] = [];
  const finishing: Promise<void>[] = [];
  let next = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    // Keep the cause, not the aborts it brings about in the other chunks.
    failure ??= { error };
    stop.abort();
  };
  const worker = async (): Promise<void> => {
    while (next < plan.length && !failure) {
      const index = next++;
      const chunk = plan[index]!;
      try {
        if (index > 0) await failpoint(ctx.env.TENANTCTL_FAILPOINT, 'backup-create:between-chunks');
        const dumped = await dumpChunk(run, chunk);
        finishing.push(
          finishChunk(run, chunk, dumped)
            .then((outcome) => {
              outcomes[index] = outcome;
              onDone?.(++done, plan.length, chunk);
            })
            .catch(fail),
        );
      } catch (error) {
        fail(error);
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(dumpsAtOnce, plan.length)) }, worker));
  // Nothing may still read the folder when the caller seals it, or removes it after a failure.
  await Promise.all(finishing);
  if (failure) throw failure.error;
  return outcomes;
}
