import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { GateRefusal, ValueGate } from '../../src/csv/value-gate.js';
import type { ColumnSpec } from '../../src/csv/spec.js';

const COLUMNS: ColumnSpec[] = [
  { csv: 'sku', column: 'sku', type: 'text', maxLength: 10, required: true },
  { csv: 'name', column: 'name', type: 'text' },
  { csv: 'price', column: 'price', type: 'numeric', precision: 6, scale: 2 },
  { csv: 'active', column: 'active', type: 'boolean', default: true },
];

/** Run `text` through a gate in chunks of `size` bytes; the output, or the refusal. */
async function gate(text: string, size: number, eol: 'lf' | 'crlf' = 'lf', suffix?: string): Promise<string | GateRefusal> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const out: Buffer[] = [];
  try {
    for await (const piece of Readable.from(chunks).pipe(new ValueGate({ columns: COLUMNS, delimiter: 0x2c, eol, suffix: suffix === undefined ? undefined : Buffer.from(suffix) }))) out.push(piece as Buffer);
  } catch (error) {
    if (error instanceof GateRefusal) return error;
    throw error;
  }
  return Buffer.concat(out).toString();
}

describe('ValueGate', () => {
  const clean = 'A1,"Lamp, ""big""",12.50,\n"A2","two\nlines", 3 ,no\nA3,,,\n';
  const withDefaults = 'A1,"Lamp, ""big""",12.50,true\n"A2","two\nlines", 3 ,no\nA3,,,true\n';

  it('passes clean records unchanged except for defaults, however the bytes are chunked', async () => {
    for (const size of [1, 2, 3, 5, 7, 64, 1 << 20]) expect(await gate(clean, size)).toBe(withDefaults);
  });

  it('appends the tenant field to every record (pooled), before LF or CRLF, with or without a final line ending', async () => {
    const tenant = ',00000000-0000-4000-8000-00000000000a';
    const expected = withDefaults.replace(/\n(?=(?:[^"]*"[^"]*")*[^"]*$)/g, `${tenant}\n`);
    expect(expected).toContain('"two\nlines"');
    for (const size of [1, 2, 5, 64, 1 << 20]) {
      expect(await gate(clean, size, 'lf', tenant)).toBe(expected);
      expect(await gate(clean.slice(0, -1), size, 'lf', tenant)).toBe(expected.slice(0, -1));
      const crlf = clean.replace(/\n(?=(?:[^"]*"[^"]*")*[^"]*$)/g, '\r\n');
      expect(await gate(crlf, size, 'crlf', tenant)).toBe(expected.replace(/\n(?=(?:[^"]*"[^"]*")*[^"]*$)/g, '\r\n'));
    }
  });

  it('keeps CRLF endings and reads the last field without its CR, with or without a final line ending', async () => {
    const crlf = clean.replace(/\n(?=(?:[^"]*"[^"]*")*[^"]*$)/g, '\r\n');
    expect(crlf).toContain('"two\nlines"');
    for (const size of [1, 4, 1 << 20]) {
      expect(await gate(crlf, size, 'crlf')).toBe(withDefaults.replace(/\n(?=(?:[^"]*"[^"]*")*[^"]*$)/g, '\r\n'));
      expect(await gate('A1,x,1,no', size)).toBe('A1,x,1,no');
      expect(await gate('A1,x,1,\r\n', size, 'crlf')).toBe('A1,x,1,true\r\n');
      expect(await gate('A1,x,1,', size, 'crlf')).toBe('A1,x,1,true');
    }
  });

  it('refuses the first value it cannot vouch for, naming its column', async () => {
    const cases: [string, string][] = [
      ['A1,x,1e3,\n', 'price'],
      ['A1,x,12.505,\n', 'price'],
      ['A1,x,12345,\n', 'price'],
      ['A1,x,1,tru\n', 'active'],
      [',x,1,\n', 'sku'],
      ['"  ",x,1,\n', 'sku'],
      ['ABCDEFGHIJK,x,1,\n', 'sku'],
      ['A1,x,1,""\n', 'active'],
    ];
    for (const [text, column] of cases) {
      for (const size of [1, 1 << 20]) {
        const result = await gate(`A0,ok,1,yes\n${text}`, size);
        expect(result, text).toBeInstanceOf(GateRefusal);
        expect((result as GateRefusal).column).toBe(column);
      }
    }
  });

  it('counts characters, not bytes, against the maximum length', async () => {
    expect(await gate('éééééééééé,x,1,no\n', 3)).toBe('éééééééééé,x,1,no\n');
    expect(await gate('ééééééééééé,x,1,no\n', 3)).toBeInstanceOf(GateRefusal);
  });
});
