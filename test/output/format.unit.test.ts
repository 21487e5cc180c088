import { createRequire } from 'node:module';
import { describe, expect, it, onTestFinished } from 'vitest';
import { formatTable, LONG_TABLE_ROWS, wrapCell } from '../../src/output/format.js';

/** The table as cli-table3 draws it, all rows at once: what box-table.ts must equal for a long table. */
function drawnWhole(head: string[], rows: string[][], aligns: ('left' | 'right')[], color: boolean, colWidths?: number[]): string {
  const Table = createRequire(import.meta.url)('cli-table3') as new (options: object) => { push(row: string[]): void; toString(): string };
  const table = new Table({ head, colAligns: aligns, style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] }, ...(colWidths ? { colWidths } : {}) });
  for (const r of rows) table.push(r);
  return table.toString();
}

describe('tables for people', () => {
  it('wrapCell wraps on spaces and breaks a word longer than the column, losing no character', () => {
    expect(wrapCell('short words stay whole here', 12)).toBe('short words\nstay whole\nhere');
    expect(wrapCell('support.engineer@example-company.test', 12)).toBe('support.engi\nneer@example\n-company.tes\nt');
    expect(wrapCell('a\nb', 5)).toBe('a\nb');
  });

  it('a table squeezed into 100 columns keeps every character of a long id, e-mail or ticket', () => {
    const rows = [{ id: 'b516bac5-c959-4a95-b702-edee1fb48372', actor: 'support.engineer@example-company.test', ticket: 'SUP-2026-000123-ERASURE-REQUEST', note: 'a note that goes on for a while in plain words' }];
    const text = formatTable(rows, [{ key: 'id' }, { key: 'actor' }, { key: 'ticket' }, { key: 'note' }], false, 100);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
    // Read each column back down the body lines, as a person would.
    const bodyLines = text.split('\n').filter((l) => l.startsWith('│')).slice(1);
    const columns = Object.keys(rows[0]!).map((_, i) => bodyLines.map((l) => l.split('│')[i + 1]!.replace(/\s+/g, '')).join(''));
    expect(columns).toEqual(Object.values(rows[0]!).map((v) => v.replace(/\s+/g, '')));
  });

  it('a table of more rows than LONG_TABLE_ROWS is drawn exactly as cli-table3 would draw it', () => {
    // Wide characters, a cell of two lines, a right-aligned column, empty cells, the widest
    // value near the end: each must come out as cli-table3 shows it.
    const count = LONG_TABLE_ROWS * 2 + 37;
    const rows = Array.from({ length: count }, (_, i) => ({
      slug: `t${i}`,
      name: i === 5 ? '東京の店舗' : i % 7 === 0 ? '' : `Tenant ${i}`,
      size: i === count - 3 ? 123_456_789 : i,
      note: i === 150 ? 'first line\nsecond, longer line' : 'ok',
    }));
    const columns = [{ key: 'slug' as const }, { key: 'name' as const }, { key: 'size' as const, align: 'right' as const }, { key: 'note' as const, format: (v: unknown) => String(v) }];
    const cells = rows.map((r) => [r.slug, r.name, String(r.size), r.note]);
    // Colour on, as on a terminal (@colors/colors turns itself off when stdout is not one).
    const require = createRequire(import.meta.url);
    const colors = createRequire(require.resolve('cli-table3'))('@colors/colors/safe') as { enable(): void; disable(): void; enabled: boolean };
    const wasEnabled = colors.enabled;
    colors.enable();
    onTestFinished(() => (wasEnabled ? colors.enable() : colors.disable()));
    expect(formatTable(rows, columns, true)).toContain('\u001b[90m┌');
    for (const color of [false, true]) {
      const text = formatTable(rows, columns, color);
      expect(text).toBe(drawnWhole(['slug', 'name', 'size', 'note'], cells, ['left', 'left', 'right', 'left'], color));
      expect(text.split('\n').filter((l) => l.replace(/\u001b\[[0-9;]*m/g, '').startsWith('│ t')).length).toBe(count);
    }
  });

  it('a long table squeezed into 100 columns is drawn as one table with the same widths would be', () => {
    const rows = Array.from({ length: LONG_TABLE_ROWS + 20 }, (_, i) => ({ id: `b516bac5-c959-4a95-b702-edee1fb4${String(i).padStart(4, '0')}`, actor: `support.engineer.${i}@example-company.test`, ticket: 'SUP-2026-000123-ERASURE-REQUEST', note: 'a note that goes on for a while in plain words' }));
    const text = formatTable(rows, [{ key: 'id' }, { key: 'actor' }, { key: 'ticket' }, { key: 'note' }], false, 100);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
    const top = text.split('\n')[0]!;
    const widths = top.slice(1, -1).split('┬').map((s) => s.length);
    const wrapped = rows.map((r) => Object.values(r).map((v, i) => wrapCell(v, widths[i]! - 2)));
    expect(text).toBe(drawnWhole(['id', 'actor', 'ticket', 'note'], wrapped, ['left', 'left', 'left', 'left'], false, widths));
  });
});
