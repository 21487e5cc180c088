import { failpoint } from '../tenants/failpoint.js';
import type { ChunkPlan } from './chunks.js';
import { dumpChunk, type ChunkContext, type ChunkOutcome } from './dump-chunk.js';

/**
 * Dump every chunk of `plan`, `dumpsAtOnce` at a time, all in the run's one snapshot.
 * The first failure stops the chunks still running (their pg_dumps are killed through the
 * signal) and is what the caller sees. Outcomes come back in plan order.
 */
export async function dumpChunks(ctx: ChunkContext, plan: readonly ChunkPlan[], dumpsAtOnce: number, onDone?: (done: number, total: number, chunk: ChunkPlan) => void): Promise<ChunkOutcome[]> {
  const stop = new AbortController();
  const run: ChunkContext = { ...ctx, signal: ctx.signal ? AbortSignal.any([ctx.signal, stop.signal]) : stop.signal };
  const outcomes: ChunkOutcome[] = [];
  let next = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < plan.length && !failure) {
      const index = next++;
      try {
        if (index > 0) await failpoint(ctx.env.TENANTCTL_FAILPOINT, 'backup-create:between-chunks');
        outcomes[index] = await dumpChunk(run, plan[index]!);
      } catch (error) {
        // Keep the cause, not the aborts it brings about in the other chunks.
        failure ??= { error };
        stop.abort();
        return;
      }
      onDone?.(++done, plan.length, plan[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(dumpsAtOnce, plan.length)) }, worker));
  if (failure) throw failure.error;
  return outcomes;
}
