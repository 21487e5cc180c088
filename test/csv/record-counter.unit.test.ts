import { describe, expect, it } from 'vitest';
import { RecordCounter } from '../../src/csv/record-counter.js';

// What COPY … (format csv, header) writes: quoted fields with line breaks (LF and CRLF),
// doubled quotes, a quoted field that is only quotes, an empty quoted string, NULLs.
const CSV = [
  'sku,name,description\n',
  'A-1,"Tea ""Gold""","line one\nline two\n"\n',
  'A-2,plain,\n',
  'A-3,"""""","a,b\r\nc"\n',
  'A-4,"",x\n',
  'A-5,"ends with a quote""","\n\n\n"\n',
].join('');
const RECORDS = 6;

function countIn(chunks: Buffer[]): RecordCounter {
  const counter = new RecordCounter();
  for (const chunk of chunks) counter.count(chunk);
  return counter;
}

describe('RecordCounter', () => {
  const bytes = Buffer.from(CSV);

  it('counts records, not line breaks, when the whole file is one chunk', () => {
    expect(countIn([bytes])).toMatchObject({ records: RECORDS, bytes: bytes.length });
  });

  it('gives the same count wherever the chunks are cut, inside quotes or not', () => {
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(countIn([bytes.subarray(0, cut), bytes.subarray(cut)]).records, `cut at ${cut}`).toBe(RECORDS);
    }
    for (const size of [1, 2, 3, 7, 16]) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
      expect(countIn(chunks), `chunks of ${size} bytes`).toMatchObject({ records: RECORDS, bytes: bytes.length });
    }
  });

  it('counts as a stream transform and passes the bytes through unchanged', async () => {
    const counter = new RecordCounter();
    const out: Buffer[] = [];
    counter.on('data', (chunk: Buffer) => out.push(chunk));
    const done = new Promise((resolve) => counter.on('end', resolve));
    for (let at = 0; at < bytes.length; at += 5) counter.write(bytes.subarray(at, at + 5));
    counter.end();
    await done;
    expect(Buffer.concat(out).equals(bytes)).toBe(true);
    expect(counter.records).toBe(RECORDS);
  });

  it('counts nothing in an empty chunk or a record that has not ended yet', () => {
    expect(countIn([Buffer.alloc(0), Buffer.from('a,"b\n')]).records).toBe(0);
    expect(countIn([Buffer.from('a,"b\n'), Buffer.from('c"\n')]).records).toBe(1);
  });
});
