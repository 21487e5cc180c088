import { createRequire } from 'node:module';

/**
 * The boxed table cli-table3 draws for tenantctl (a head row, a line between every two rows,
 * cells padded by one space, top-aligned lines, a column aligned left or right, colours from
 * @colors/colors as cli-table3 applies them), drawn directly for long tables. cli-table3 builds
 * a cell object per value and checks every cell against every other for spans: for 10,000
 * rows of `tenant list` that was 10 s of CPU, and 1.2 s even in chunks. No spans, no options
 * beyond those: format.ts keeps cli-table3 for short tables, and a unit test holds the two to
 * the same text.
 */
export interface BoxTable {
  head: readonly string[];
  rows: readonly (readonly string[])[];
  /** Each column's width, padding included (cli-table3's colWidths). */
  widths: readonly number[];
  aligns: readonly ('left' | 'right')[];
  color: boolean;
}

const load = createRequire(import.meta.url);
type Paint = (text: string) => string;
type Utils = { strlen: (s: string) => number; truncate: (s: string, length: number, mark?: string) => string };
let loaded: Utils | undefined;
/** cli-table3's own measuring (ANSI codes left out, wide characters as two) and cutting ("…"), loaded once. */
const utils = (): Utils => (loaded ??= load('cli-table3/src/utils') as Utils);

/**
 * The colours cli-table3 would paint with: its optional @colors/colors (which also decides
 * whether colour is on at all), or none when that is not installed, as cli-table3 does.
 */
function painters(color: boolean): { border: Paint; head: Paint } {
  const plain: Paint = (text) => text;
  if (!color) return { border: plain, head: plain };
  try {
    const colors = createRequire(load.resolve('cli-table3'))('@colors/colors/safe') as Record<'grey' | 'cyan', Paint>;
    return { border: colors.grey, head: colors.cyan };
  } catch {
    return { border: plain, head: plain };
  }
}

/** Printable ASCII only: one column per character, nothing to strip. */
const PLAIN = /^[\x20-\x7e]*$/;

/**
 * The display width of a cell's widest line as cli-table3 measures it (ANSI codes left out,
 * wide characters as two); plain ASCII without the regular expressions that costs.
 */
export function displayWidth(text: string): number {
  return PLAIN.test(text) ? text.length : utils().strlen(text);
}

/** The table's text, lines joined with "\n" (no newline at the end), as cli-table3's toString(). */
export function drawBoxTable(table: BoxTable): string {
  const { truncate } = utils();
  const paint = painters(table.color);
  const { widths } = table;
  const rule = (left: string, middle: string, right: string): string =>
    widths.map((w, i) => paint.border((i === 0 ? left : middle) + '─'.repeat(w) + (i === widths.length - 1 ? right : ''))).join('');
  const padded = (text: string, column: number): string => {
    const room = widths[column]! - 2;
    const width = displayWidth(text);
    const cut = width > room ? truncate(text, room, '…') : text;
    const fill = ' '.repeat(Math.max(0, room - (cut === text ? width : displayWidth(cut))));
    return ` ${table.aligns[column] === 'right' ? fill + cut : cut + fill} `;
  };
  const rowLines = (cells: readonly string[], paintCell: Paint): string[] => {
    const split = cells.map((c) => c.split('\n'));
    const height = Math.max(1, ...split.map((lines) => lines.length));
    return Array.from({ length: height }, (_, n) =>
      split.map((lines, i) => paint.border('│') + paintCell(n < lines.length ? padded(lines[n]!, i) : ' '.repeat(widths[i]!))).join('') + paint.border('│'),
    );
  };
  const between = rule('├', '┼', '┤');
  const out = [rule('┌', '┬', '┐'), ...rowLines(table.head, paint.head)];
  for (const row of table.rows) out.push(between, ...rowLines(row, (text) => text));
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}
