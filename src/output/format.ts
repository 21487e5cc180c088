import { createRequire } from 'node:module';
import type TableClass from 'cli-table3';
import type { stringify as Stringify } from 'csv-stringify/sync';
import { displayWidth, drawBoxTable } from './box-table.js';
import { redact } from './redact.js';
import { shownLineBreaks } from './terminal-safe.js';

/**
 * cli-table3 (with its colour library) and csv-stringify are loaded when a table or CSV is
 * first written, not at start-up: every command imports this module, and `--json` runs
 * (cron, CI, `monitor tenant-sizes --json`) never draw a table. Loading them cost ~40 ms of
 * each process's start on a quiet machine, several times that under load.
 */
const load = createRequire(import.meta.url);
let tableClass: typeof TableClass | undefined;
let stringify: typeof Stringify | undefined;
const Table = (): typeof TableClass => (tableClass ??= load('cli-table3') as typeof TableClass);
const csvStringify = (): typeof Stringify => (stringify ??= (load('csv-stringify/sync') as { stringify: typeof Stringify }).stringify);

/** A column of a rendered table: the key in each row, its heading, and how to show it. */
export interface Column<Row> {
  key: keyof Row & string;
  header?: string;
  align?: 'left' | 'right';
  format?: (value: unknown, row: Row) => string;
}

/** A cell's text, redacted on its own: a literal cut short ends at the cell's end, not the line's. */
function cell<Row>(row: Row, column: Column<Row>): string {
  return redact(cellText(row, column));
}

function cellText<Row>(row: Row, column: Column<Row>): string {
  const value = row[column.key];
  if (column.format) return column.format(value, row);
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number') return String(cleanNumber(value));
  return String(value);
}

/** Human output fits a 100-column terminal (tables wrap long cells, prose wraps on words). */
export const HUMAN_WIDTH = 100;

/** The narrowest a column is squeezed to before giving up on fitting a table. */
const MIN_COLUMN = 12;

/**
 * Column widths (cli-table3's, padding included) that fit `maxWidth`: the widest column gives
 * way first, a character at a time, so short columns stay whole. Pure.
 */
export function fitColumns(natural: readonly number[], maxWidth: number): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b, 0) + widths.length + 1;
  while (total() > maxWidth) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= MIN_COLUMN) break;
    widths[widest]! -= 1;
  }
  return widths;
}

/**
 * Beyond this many rows a table is drawn by box-table.ts, not cli-table3, whose layout is
 * quadratic in the rows (10,000 rows of `tenant list`: 10 s of CPU). The same text either way.
 */
export const LONG_TABLE_ROWS = 100;

/**
 * A boxed, aligned table for people (cli-table3). Colour only when asked for. With
 * `maxWidth`, long cells wrap (on word boundaries) so that the table fits a terminal.
 */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[], color = false, maxWidth?: number): string {
  const head = columns.map((c) => c.header ?? c.key);
  // A value's own line breaks are shown, not acted on (a column's format may lay out lines of its own).
  const body = rows.map((row) => columns.map((c) => (c.format ? cell(row, c) : shownLineBreaks(cell(row, c)))));
  const natural = head.map((h, i) => Math.max(h.length, ...body.map((r) => Math.max(...r[i]!.split('\n').map((l) => l.length)))) + 2);
  const fit = maxWidth === undefined ? undefined : fitColumns(natural, maxWidth);
  const squeezed = fit !== undefined && fit.some((w, i) => w < natural[i]!);
  // Cells are wrapped here rather than by cli-table3, which cuts a word longer than its column
  // (an id, an e-mail, a ticket) with "…": a wrapped value can still be read and copied whole.
  const cells = squeezed ? body.map((r) => r.map((text, i) => wrapCell(text, fit![i]! - 2))) : body;
  const aligns = columns.map((c) => c.align ?? 'left');
  if (cells.length > LONG_TABLE_ROWS) {
    // The widths cli-table3 would give the whole table, padding included.
    const widths = squeezed ? fit! : head.map((h, i) => Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[i]!))) + 2);
    return drawBoxTable({ head, rows: cells, widths, aligns, color });
  }
  const table = new (Table())({
    head,
    colAligns: aligns,
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    ...(squeezed ? { colWidths: fit } : {}),
  });
  for (const r of cells) table.push(r);
  return table.toString();
}

/** Wrap one cell's text to `width` on spaces, breaking words longer than the column. Pure. */
export function wrapCell(text: string, width: number): string {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let rest = word;
      if (line && line.length + 1 + rest.length > width) {
        out.push(line);
        line = '';
      }
      while ((line ? line.length + 1 : 0) + rest.length > width) {
        const room = width - (line ? line.length + 1 : 0);
        out.push(line ? `${line} ${rest.slice(0, room)}` : rest.slice(0, room));
        rest = rest.slice(room);
        line = '';
      }
      line = line ? `${line} ${rest}` : rest;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** Wrap prose to `width` columns on spaces; continuation lines get `indent`. Pure. */
export function wrapText(text: string, width: number, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const prefix = lines.length ? indent : '';
    if (line && (prefix + line + ' ' + word).length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push((lines.length ? indent : '') + line);
  return lines.join('\n');
}

/** RFC 4180 CSV with a header row. */
export function formatCsv<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  return csvStringify()([columns.map((c) => c.header ?? c.key), ...rows.map((row) => columns.map((c) => cell(row, c)))]);
}

/** `key: value` lines, keys aligned, for one record. */
export function formatRecord(record: Record<string, unknown>): string {
  const width = Math.max(0, ...Object.keys(record).map((k) => k.length));
  return Object.entries(record)
    .map(([key, value]) => {
      const shown = value === null || value === undefined ? '' : typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value instanceof Date ? value.toISOString() : String(value);
      return `${key.padEnd(width)}  ${shownLineBreaks(redact(shown))}`;
    })
    .join('\n');
}

/** A Prometheus sample: metric name, labels, value. */
export interface Metric {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels?: Record<string, string | number>; value: number }[];
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** Prometheus text exposition format (node_exporter textfile collector). */
export function formatPrometheus(metrics: readonly Metric[]): string {
  const lines: string[] = [];
  for (const metric of metrics) {
    lines.push(`# HELP ${metric.name} ${metric.help.replace(/\n/g, ' ')}`);
    lines.push(`# TYPE ${metric.name} ${metric.type}`);
    for (const sample of metric.samples) {
      const labels = Object.entries(sample.labels ?? {});
      const labelText = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(String(v))}"`).join(',')}}` : '';
      const value = Number.isFinite(sample.value) ? String(cleanNumber(sample.value)) : sample.value > 0 ? '+Inf' : sample.value < 0 ? '-Inf' : 'NaN';
      lines.push(`${metric.name}${labelText} ${value}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** 1536 → "1.5 kB". Binary multiples with the units PostgreSQL's pg_size_pretty uses. */
export function formatBytes(bytes: number | string | bigint | null | undefined): string {
  if (bytes === null || bytes === undefined) return '';
  let value = Number(bytes);
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** 1234567 → "1,234,567". */
export function formatCount(value: number | string | bigint | null | undefined): string {
  if (value === null || value === undefined) return '';
  // int8 values (sequence limits, row counts) arrive as strings: a Number would round
  // 9223372036854775807 to 9,223,372,036,854,776,000.
  if (typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+$/.test(value))) return BigInt(value).toLocaleString('en-US');
  return Number(value).toLocaleString('en-US');
}

/**
 * A float without binary noise (0.9779000000000001 → 0.9779, 4.933586999999989 → 4.933587):
 * 12 significant digits are more than any figure tenantctl measures carries. Integers,
 * however large, pass through unchanged.
 */
export function cleanNumber(value: number): number {
  return Number.isInteger(value) || !Number.isFinite(value) ? value : Number(value.toPrecision(12));
}

/** Milliseconds → "850 ms" / "12.3 s" / "4 min 2 s" / "2 h 5 min": never rounded up into the next unit. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
