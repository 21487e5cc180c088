import { describe, expect, it } from 'vitest';
import { mapHeader, parseDelimiter, splitRecord } from '../../src/csv/header.js';
import { products, orders } from '../../src/csv/entities.js';
import { LineMap, RecordScanner, requote, type StructuralReject } from '../../src/csv/scanner.js';

describe('CSV header and scanner helpers', () => {
  it('splits a header record the way COPY reads it', () => {
    expect(splitRecord('sku,"na""me",  price ', ',')).toEqual(['sku', 'na"me', '  price ']);
    expect(splitRecord('a;"b;c"', ';')).toEqual(['a', 'b;c']);
  });

  it('maps headers case-insensitively and lists every problem at once', () => {
    expect(mapHeader(products, ['SKU', ' Name ', 'MRP'], 'f.csv').columns.map((c) => c.column)).toEqual(['sku', 'name', 'mrp']);
    expect(() => mapHeader(products, ['sku', 'sku', 'colour'], 'f.csv')).toThrow('f.csv line 1 (header): unknown column "colour"; duplicate column sku; missing required column name.');
    expect(() => mapHeader(orders, ['channel'], 'o.csv')).toThrow(/missing required columns external_order_id, order_number, customer_name, shipping_address, subtotal, total_amount, order_date, item_name, item_quantity, item_unit_price, item_total_amount/);
  });

  it('accepts the delimiters COPY can use and names the flag otherwise', () => {
    expect(parseDelimiter('tab')).toBe('\t');
    expect(parseDelimiter(undefined)).toBe(',');
    expect(() => parseDelimiter('::')).toThrow('--delimiter');
  });

  it('maps record numbers to lines across quoted line breaks and skipped lines', () => {
    const map = new LineMap();
    map.note(1, 2);
    map.note(2, 3);
    map.note(3, 6);
    map.note(4, 7);
    expect([1, 2, 3, 4, 5].map((r) => map.lineOf(r))).toEqual([2, 3, 6, 7, 8]);
  });

  it('re-quotes records whose unquoted fields hold quote characters', () => {
    expect(requote(Buffer.from('1,6.5" screen,"x,y",'), 0x2c).toString()).toBe('1,"6.5"" screen","x,y",');
  });

  it('rejects a field that goes on after its closing quote ("x"y, which COPY reads as xy), wherever the chunks split it', async () => {
    const text = 'Q1,"a""b"\nQ2,"x"y\n"x",Q3\nQ4,"tail"\n';
    for (let cut = 1; cut < text.length; cut += 1) {
      const rejects: StructuralReject[] = [];
      const scanner = new RecordScanner({ delimiter: 0x2c, fields: 2, firstLine: 2, eol: 'lf', onReject: (r) => rejects.push(r) });
      const out: Buffer[] = [];
      scanner.on('data', (b: Buffer) => out.push(b));
      const done = new Promise((resolve) => scanner.on('end', resolve));
      scanner.write(Buffer.from(text.slice(0, cut)));
      scanner.end(Buffer.from(text.slice(cut)));
      await done;
      expect(rejects.map((r) => [r.line, r.raw]), `cut at ${cut}`).toEqual([[3, 'Q2,"x"y']]);
      expect(rejects[0]!.reason).toContain('text after the closing quote');
      expect(Buffer.concat(out).toString(), `cut at ${cut}`).toBe('Q1,"a""b"\n"x",Q3\nQ4,"tail"\n');
    }
  });
});
