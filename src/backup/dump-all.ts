import { failpoint } from '../tenants/failpoint.js';
import { TenantctlError } from '../errors.js';
import type { ChunkPlan } from './chunks.js';
import { dumpChunk, finishChunk, type ChunkContext, type ChunkOutcome, type DumpedChunk } from './dump-chunk.js';

/** What dumping the chunks gave: every chunk's outcome in plan order, and the chunks that had to be dumped again on their own. */
export interface ChunksDumped {
  outcomes: ChunkOutcome[];
  /** Chunks whose first dump found the server's lock table full and that were dumped again alone. */
  dumpedAlone: string[];
}

/** pg_dump (or a checksum session) could not take a lock: the server's shared lock table was full. */
export function lockTableFull(error: unknown): boolean {
  if (!(error instanceof TenantctlError) || error.code !== 'BACKUP_TOOL_FAILED') return false;
  const stderr = (error.details as { stderr?: string[] } | undefined)?.stderr ?? [];
  return [error.message, ...stderr].some((line) => /out of shared memory/i.test(line));
}

function lockTableFullError(chunk: ChunkPlan, cause: TenantctlError): TenantctlError {
  return new TenantctlError('BACKUP_LOCK_TABLE_FULL', `${chunk.name} (${chunk.schemas.length} schema(s), ${chunk.relations} tables) could not lock its tables even with no other pg_dump of this backup running: the server's shared lock table is full (other sessions hold many locks). No backup was written.`, {
    hint: 'Pass a lower --lock-budget (smaller chunks), run the backup when fewer locks are held, or raise max_locks_per_transaction (needs a server restart).',
    details: { chunk: chunk.name, tool: cause.details },
  });
}

/**
 * Dump every chunk of `plan`, `dumpsAtOnce` at a time, all in the run's one snapshot. A
 * chunk's slot goes to the next chunk as soon as its pg_dump ended and its tables were
 * rechecked; the chunk is finished (sequences, files hashed) beside the next pg_dump.
 *
 * The lock budget is a share of the lock table, which other sessions use too: when a chunk
 * finds it full ("out of shared memory"), the run goes on one pg_dump at a time, and that
 * chunk is dumped again once the dumps still running have ended, still in the same snapshot
 * (the transaction that exported it stays open). Only if it fails so alone does the backup
 * fail. Any other failure stops the chunks still running (their pg_dumps are killed through
 * the signal) and is what the caller sees. Outcomes come back in plan order.
 */
export async function dumpChunks(ctx: ChunkContext, plan: readonly ChunkPlan[], dumpsAtOnce: number, onDone?: (done: number, total: number, chunk: ChunkPlan) => void): Promise<ChunksDumped> {
  const stop = new AbortController();
  const run: ChunkContext = { ...ctx, signal: ctx.signal ? AbortSignal.any([ctx.signal, stop.signal]) : stop.signal };
  const outcomes: ChunkOutcome[] = [];
  const finishing: Promise<void>[] = [];
  const dumpedAlone: string[] = [];
  let next = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    // Keep the cause, not the aborts it brings about in the other chunks.
    failure ??= { error };
    stop.abort();
  };
  // The dumps running side by side; once the lock table was found full, every dump waits its
  // turn in `oneAtATime` and for the side-by-side dumps started before it.
  const sideBySide = new Set<Promise<DumpedChunk>>();
  let oneAtATime: Promise<unknown> | undefined;
  const dumpBeside = (chunk: ChunkPlan): Promise<DumpedChunk> => {
    const dumping = dumpChunk(run, chunk);
    sideBySide.add(dumping);
    const forget = (): void => void sideBySide.delete(dumping);
    dumping.then(forget, forget);
    return dumping;
  };
  const dumpAlone = (chunk: ChunkPlan, again: boolean): Promise<DumpedChunk> => {
    const before = [...sideBySide];
    const turn = (oneAtATime ?? Promise.resolve())
      .then(() => Promise.allSettled(before))
      .then(async () => {
        if (again) await failpoint(ctx.env.TENANTCTL_FAILPOINT, 'backup-create:dump-alone');
        return dumpChunk(run, chunk);
      });
    oneAtATime = turn.catch(() => undefined);
    return turn;
  };
  const dump = async (chunk: ChunkPlan): Promise<DumpedChunk> => {
    let again = false;
    if (!oneAtATime) {
      try {
        return await dumpBeside(chunk);
      } catch (error) {
        if (!lockTableFull(error) || run.signal?.aborted) throw error;
        dumpedAlone.push(chunk.name);
        again = true;
      }
    }
    try {
      return await dumpAlone(chunk, again);
    } catch (error) {
      // Alone, a full lock table is no longer ours to wait out.
      throw lockTableFull(error) ? lockTableFullError(chunk, error as TenantctlError) : error;
    }
  };
  const worker = async (): Promise<void> => {
    while (next < plan.length && !failure) {
      const index = next++;
      const chunk = plan[index]!;
      try {
        if (index > 0) await failpoint(ctx.env.TENANTCTL_FAILPOINT, 'backup-create:between-chunks');
        const dumped = await dump(chunk);
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
  return { outcomes, dumpedAlone: dumpedAlone.sort() };
}
