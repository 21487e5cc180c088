import { connect } from 'node:net';
import type { Pool } from './connect.js';

/**
 * The statements this process has sent to the server and not yet heard the end of, so that a
 * process stopping at once on a signal can cancel them first (as psql does on Ctrl-C). Without
 * that the server runs them on: a backend notices that its client is gone only when it next
 * writes to it, so a long ALTER TABLE keeps its ACCESS EXCLUSIVE lock for as long as it runs,
 * and a statement outside a transaction (CREATE INDEX CONCURRENTLY) even commits after the
 * tool said it stopped.
 *
 * postgres.js does not list its queries, and every caller (migration sections, COPY, erasure,
 * maintain, a transaction's own queries) makes them its own way; they all pass through one
 * method of its Query class, `handle()`, which is where they are tracked (pinned at postgres 3.4).
 */

/** What this module reads of a postgres.js Query (internals of the pinned 3.4). */
interface QueryInternals extends Promise<unknown> {
  /** handle() ran: the query was sent or queued for a connection. */
  executed: boolean;
  /** It is the one its connection is running now. */
  active: boolean;
  /** Its connection's backend key once one took it; null while queued in the pool. */
  state: BackendKey | null;
  /** Hands the query to the pool (or a reserved or transaction connection). */
  handler(query: QueryInternals): void;
  /** Its pool's cancel function (the same for every query of the pool); for a query still queued in the pool, it drops it. */
  canceller: Canceller | null;
  /** Its text: the template's strings, or an unsafe query's one string. */
  strings: readonly string[] | string;
}

/** A statement that builds an index CONCURRENTLY: cancelled, it leaves an INVALID index behind. */
const CONCURRENT_INDEX = /\b(create\s+(unique\s+)?index|reindex)\b[^;]*\bconcurrently\b/i;
const textOf = (q: QueryInternals): string => (typeof q.strings === 'string' ? q.strings : q.strings.join(' '));
type Canceller = (query: QueryInternals) => Promise<void>;

/** What the server sent at the start of the session (BackendKeyData): the key a CancelRequest names. */
interface BackendKey {
  pid: number | null;
  secret: number | null;
}

/** Where a pool's server listens. */
interface Server {
  host?: string;
  port?: number;
  path?: string | false;
}

const inFlight = new Set<QueryInternals>();
/** The server of each pool, by the pool's cancel function, which each of its queries carries. */
const servers = new Map<Canceller, Server>();
/** Set once the process stops at once: nothing more is sent to the server. */
let holding = false;
let tracking = false;

const settled = (query: QueryInternals) => () => inFlight.delete(query);

/** Track every query of every pool from now on (connect() calls this for each pool it makes). */
export function trackQueries(sql: Pool): void {
  // A query is lazy: this one is never sent, it only shows the pool's cancel function and the class all queries share.
  const probe: Partial<QueryInternals> = sql`select 1`;
  const options: typeof sql.options & { path?: string | false } = sql.options;
  if (probe.canceller) servers.set(probe.canceller, { host: options.host[0], port: options.port[0], path: options.path });
  if (tracking) return;
  tracking = true;
  const prototype: QueryInternals = Object.getPrototypeOf(probe);
  // postgres.js's own handle() is `!executed && (executed = true) && await 1 && handler(this)`.
  Object.defineProperty(prototype, 'handle', {
    configurable: true,
    writable: true,
    value: async function handle(this: QueryInternals): Promise<void> {
      if (this.executed) return;
      this.executed = true;
      await 1;
      // Stopping: it is never sent (its caller waits for good, until the process exits).
      if (holding) return;
      inFlight.add(this);
      // The native then: Query's own would handle() again; both outcomes only untrack it.
      void Promise.prototype.then.call(this, settled(this), settled(this));
      this.handler(this);
    },
  });
}

const lastWords = new Set<Promise<unknown>>();

/**
 * Let `work` (a short write that records how a run ended, such as a backup log entry saying
 * it was interrupted) finish before a process stopping at once cancels what it has running:
 * cancelInFlight waits for it first, within its timeout.
 * @returns `work`
 */
export function letFinish<T>(work: Promise<T>): Promise<T> {
  lastWords.add(work);
  const done = (): void => void lastWords.delete(work);
  work.then(done, done);
  return work;
}

/** What became of the statements that were running on the server when the process stopped. */
export interface CancelOutcome {
  /** Statements running on the server (queries queued in this process were dropped here). */
  running: number;
  /** The server read the cancel request of these. */
  cancelled: number;
  /** Why the others may still run: the cancel failed, or the server did not answer in time. */
  notCancelled: string[];
  /** Of those running, how many built an index CONCURRENTLY (each may leave an INVALID index). */
  concurrentIndexes: number;
}

/**
 * Send nothing more to the server, and cancel what it is running for this process: a
 * CancelRequest per running statement, as psql sends on Ctrl-C; queries still queued in a
 * pool are dropped. Waits for each until the server has read it, at most `timeoutMs`. Never
 * rejects: the caller is stopping anyway.
 * @default timeoutMs 2000
 */
export async function cancelInFlight(timeoutMs = 2000): Promise<CancelOutcome> {
  // A record of the interruption on its way (letFinish) is waited for, not cancelled: a
  // second Ctrl-C must not erase the log entry the first one started writing.
  if (lastWords.size > 0) await within(timeoutMs, Promise.allSettled([...lastWords]).then(() => undefined));
  holding = true;
  const queued = [...inFlight].filter((q) => q.state === null && q.canceller);
  for (const q of queued) q.canceller!(q).catch(() => undefined);
  const running = [...inFlight].filter((q) => q.active && q.state?.pid != null && q.canceller && servers.has(q.canceller));
  const outcomes = await Promise.all(running.map((q) => within(timeoutMs, sendCancel(servers.get(q.canceller!)!, q.state!))));
  const notCancelled = outcomes.filter((why): why is string => why !== undefined);
  return { running: running.length, cancelled: running.length - notCancelled.length, notCancelled, concurrentIndexes: running.filter((q) => CONCURRENT_INDEX.test(textOf(q))).length };
}

/**
 * Send the server a CancelRequest for the backend `key` (protocol 3: length 16, code
 * 80877102, pid, secret) on a connection of its own; resolves once the server has read it and
 * closed that connection. It goes unencrypted, as libpq sends it before PostgreSQL 17 whatever
 * the sslmode, and as the server takes it before any authentication: postgres.js's own cancel
 * does the same but over TLS it never tells when it is done (it drops the listener when it
 * starts TLS), and it would make every stop wait the whole timeout.
 */
function sendCancel(server: Server, key: BackendKey): Promise<void> {
  const request = Buffer.alloc(16);
  request.writeUInt32BE(16, 0);
  request.writeUInt32BE(80877102, 4);
  request.writeUInt32BE(key.pid!, 8);
  request.writeUInt32BE(key.secret!, 12);
  return new Promise((resolve, reject) => {
    const socket = server.path ? connect(server.path) : connect(server.port!, server.host);
    socket.once('error', reject);
    socket.once('connect', () => socket.end(request));
    socket.once('close', () => resolve());
  });
}

/** Undefined once `work` is done, else why not: its error's message, or that it took longer than `ms`. */
async function within(ms: number, work: Promise<void>): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer from the server within ${ms / 1000} s`), ms);
  });
  try {
    return await Promise.race([work.then(() => undefined, (error: unknown) => (error instanceof Error ? error.message : String(error))), late]);
  } finally {
    clearTimeout(timer);
  }
}
