import type { Io } from '../context.js';
import { clearLiveLine } from './live-line.js';
import { redact } from './redact.js';
import { terminalSafe } from './terminal-safe.js';
import { cleanNumber, formatCsv, formatPrometheus, formatTable, type Column, type Metric } from './format.js';

/** The output flags every command accepts. */
export interface OutputOptions {
  json?: boolean;
  csv?: boolean;
  prometheus?: boolean;
}

/** Write data to stdout, scrubbed of secrets. The only way commands print data. */
export function writeOut(io: Io, text: string): void {
  io.stdout.write(redact(text.endsWith('\n') ? text : text + '\n'));
}

/** Write a log or notice line to stderr, scrubbed of secrets, its control characters shown (terminalSafe). */
export function writeErr(io: Io, text: string): void {
  clearLiveLine(io.stderr);
  io.stderr.write(redact(terminalSafe(text.endsWith('\n') ? text : text + '\n', io.color)));
}

/**
 * One JSON document on stdout. Bigints become strings; Dates ISO strings. Each string is
 * redacted on its own first, so that a secret cut short ends at its value's end and the
 * document stays valid JSON.
 */
export function writeJson(io: Io, value: unknown): void {
  writeOut(io, JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : typeof v === 'number' ? cleanNumber(v) : typeof v === 'string' ? redact(v) : v), 2));
}

/**
 * Print a result in the format the user asked for: `--json` the data itself, `--csv` and
 * `--prometheus` where the command provides them, otherwise the human rendering.
 */
export function emit<Data>(
  io: Io,
  options: OutputOptions,
  data: Data,
  human: (data: Data) => string,
  extra: { rows?: () => { rows: readonly object[]; columns: readonly Column<any>[] }; metrics?: () => readonly Metric[] } = {},
): void {
  if (options.json) return writeJson(io, data);
  if (options.csv && extra.rows) {
    const { rows, columns } = extra.rows();
    return writeOut(io, formatCsv(rows, columns));
  }
  if (options.prometheus && extra.metrics) return writeOut(io, formatPrometheus(extra.metrics()));
  // People's output shows control characters from the data rather than acting on them (JSON
  // escapes them itself; CSV and Prometheus output is data, written as it is).
  const text = human(data);
  if (text) writeOut(io, terminalSafe(text, io.color));
}

/** Shorthand for the common case: a list of rows shown as a table, JSON array or CSV; `note`: text under the table (never in JSON or CSV). */
export function emitRows<Row extends object>(io: Io, options: OutputOptions, rows: readonly Row[], columns: readonly Column<Row>[], empty = '(none)', note: (rows: readonly Row[]) => string = () => ''): void {
  emit(io, options, rows, (r) => (r.length ? formatTable(r, columns, io.color) + note(r) : empty), { rows: () => ({ rows, columns }) });
}
