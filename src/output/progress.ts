import type { Io } from '../context.js';
import { setLiveLine } from './live-line.js';
import { terminalSafe } from './terminal-safe.js';
import { formatBytes, formatCount, formatDuration } from './format.js';

/** Where long work stands: a count (of `total` when known) and, for streams, bytes (of `totalBytes`). */
export interface ProgressStep {
  done: number;
  total?: number;
  bytes?: number;
  totalBytes?: number;
  /** Appended as is: "2 failed", "second pass, checking every value". */
  note?: string;
}

/** A live progress line on stderr, only on a TTY; silent otherwise (cron, CI, pipes). */
export interface Progress {
  /** True when the line is drawn (stderr is a terminal): work done only to feed it can be skipped otherwise. */
  readonly live: boolean;
  /** Count only, against the total given to `progress()`. */
  update(done: number, extra?: string): void;
  /** Count, bytes and totals learned as the work goes (a backup learns its chunk count when it starts). */
  measure(step: ProgressStep): void;
  done(): void;
}

/** Below this much elapsed time a rate (and so an ETA) is noise. */
const MIN_ELAPSED_MS = 500;

/**
 * The progress line for a step after `elapsedMs`. Pure. The ETA comes from bytes when the
 * total size is known (a CSV file: rows vary in length, bytes do not lie), else from the count.
 * `migrate up: tenants 340/1,000 (34%) · 85/s · ETA 7.7 s · 2 failed`
 */
export function progressLine(label: string, step: ProgressStep, elapsedMs: number): string {
  const parts: string[] = [];
  const seconds = elapsedMs / 1000;
  const count = step.total === undefined ? formatCount(step.done) : `${formatCount(step.done)}/${formatCount(step.total)}`;
  const fraction = step.totalBytes ? (step.bytes ?? 0) / step.totalBytes : step.total ? step.done / step.total : undefined;
  parts.push(`${label} ${count}${fraction === undefined ? '' : ` (${Math.floor(Math.min(fraction, 1) * 100)}%)`}`);
  if (step.bytes !== undefined) parts.push(step.totalBytes ? `${formatBytes(step.bytes)}/${formatBytes(step.totalBytes)}` : formatBytes(step.bytes));
  if (elapsedMs >= MIN_ELAPSED_MS) {
    parts.push(`${formatCount(Math.round(step.done / seconds))}/s`);
    if (step.bytes !== undefined) parts.push(`${formatBytes(Math.round(step.bytes / seconds))}/s`);
    if (fraction !== undefined && fraction > 0 && fraction < 1) parts.push(`ETA ${formatDuration((elapsedMs * (1 - fraction)) / fraction)}`);
  }
  if (step.note) parts.push(step.note);
  return parts.join(' · ');
}

/**
 * A progress line redrawn in place, at most ten times a second so that drawing never costs
 * more than the work it reports. The clock is `io.now`, so tests can drive it.
 */
export function progress(io: Io, label: string, total?: number): Progress {
  if (!io.stderrIsTTY) return { live: false, update: () => undefined, measure: () => undefined, done: () => undefined };
  const clock = () => io.now().getTime();
  const started = clock();
  let lastDraw = -Infinity;
  let last = '';
  let lastNote: string | undefined;
  // A dumb terminal moves to the line's start on \r but knows no erase sequence: the new line is
  // padded with spaces over the old one instead (and blanked the same way at the end).
  const dumb = io.env.TERM === 'dumb';
  const erase = (): string => (!dumb ? '\r\u001b[2K' : last ? `\r${' '.repeat(last.length)}\r` : '\r');
  const clear = (): void => {
    if (last) io.stderr.write(erase());
    last = '';
  };
  const measure = (step: ProgressStep): void => {
    const now = clock();
    // At most ten lines a second, but a new note ("second pass, checking every value") at once:
    // it says why the count started again, and the pass it names may take less than 100 ms.
    if (now - lastDraw < 100 && step.note === lastNote) return;
    lastDraw = now;
    lastNote = step.note;
    const line = terminalSafe(progressLine(label, { total, ...step }, now - started), io.color);
    io.stderr.write(`${erase()}${line}`);
    last = line;
    setLiveLine(io.stderr, clear);
  };
  return {
    live: true,
    update: (done, extra) => measure({ done, note: extra }),
    measure,
    done: () => {
      setLiveLine(io.stderr);
      clear();
    },
  };
}
