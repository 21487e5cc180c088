import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { Sql } from '../../src/db/connect.js';
import { copyOut } from '../../src/db/copy-out.js';
import { RecordCounter } from '../../src/csv/record-counter.js';
import { createTestDatabase, freshPool, type TestDatabase } from '../support/db.js';

// Rows with quoted line breaks and doubled quotes, every 50th one of ~5 kB (bigger than
// the small batches below), ~0.8 MB in all: enough for the socket to be paused under a slow reader.
const ROWS = 3000;
const statement = (sql: Sql) => sql`copy (
  select g as id, 'name "' || g || '"' as name, case when g % 3 = 0 then e'two\\nlines' end as note,
         case when g % 50 = 0 then repeat('y', 5000) else repeat('x', g % 300) end as filler
  from generate_series(1, ${sql.unsafe(String(ROWS))}) g order by g) to stdout with (format csv, header true)`;

/** A destination that keeps what it gets; `delay` makes it slow, `failAt` fails that write. */
function sink(options: { delay?: boolean; failAt?: number } = {}): Writable & { chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      if (chunks.length === options.failAt) return done(new Error('disk full'));
      if (options.delay) setTimeout(done, 1);
      else done();
    },
  });
  return Object.assign(out, { chunks });
}

describe('copyOut (COPY … TO STDOUT through postgres.js)', () => {
  let db: TestDatabase;
  let one: Sql;
  beforeAll(async () => {
    db = await createTestDatabase();
    // One connection: a COPY that left it paused or reserved would hang the next query.
    one = await freshPool(db);
    await one`create table kept (x int)`;
  });
  afterAll(async () => {
    await one.end({ timeout: 5 });
    await db.drop();
  });

  it('regroups rows into batches without changing a byte, passes big rows whole, counts rows exactly', async () => {
    const whole = sink();
    await copyOut(statement(one), [], whole, { end: true });
    const expected = Buffer.concat(whole.chunks);
    expect(expected.length).toBeGreaterThan(500_000);

    const small = sink();
    const counter = new RecordCounter();
    await copyOut(statement(one), [counter], small, { end: true, batchBytes: 256 });
    expect(Buffer.concat(small.chunks).equals(expected)).toBe(true);
    expect(counter.records).toBe(ROWS + 1);
    expect(counter.bytes).toBe(expected.length);
    expect(small.chunks.length).toBeGreaterThan(1000);
    // Each batch holds whole rows, up to 256 bytes; only a single row larger than that goes alone.
    for (const chunk of small.chunks) {
      const rows = new RecordCounter();
      rows.count(chunk);
      expect(chunk[chunk.length - 1]).toBe(0x0a);
      if (chunk.length > 256) expect(rows.records).toBe(1);
    }
    expect(small.chunks.some((c) => c.length > 5000)).toBe(true);
    expect((await one`select 1 as ok`)[0]!.ok).toBe(1);
  });

  it('waits for a slow destination and leaves the connection usable (postgres.js #499/#917)', async () => {
    const slow = sink({ delay: true });
    const counter = new RecordCounter();
    await one.begin(async (tx) => {
      await copyOut(statement(tx as unknown as Sql), [counter], slow, { end: true, batchBytes: 4096 });
      // The same connection, inside the same transaction, right after the COPY.
      expect((await tx`select 2 as ok`)[0]!.ok).toBe(2);
    });
    expect(counter.records).toBe(ROWS + 1);
    expect((await one`select 3 as ok`)[0]!.ok).toBe(3);
  });

  it('a failing destination fails the COPY with its own error, the transaction rolls back, the connection comes back', async () => {
    const failing = sink({ failAt: 3 });
    const attempt = one.begin(async (tx) => {
      await tx`insert into kept values (1)`;
      await copyOut(statement(tx as unknown as Sql), [], failing, { end: true, batchBytes: 4096 });
    });
    await expect(attempt).rejects.toThrow('disk full');
    expect(failing.chunks.length).toBe(3);
    expect((await one`select count(*)::int as n from kept`)[0]!.n).toBe(0);
  });

  it('a COPY the server aborts half-way fails with the server error and gives the connection back', async () => {
    const got = sink();
    // Rows stream out as they are made: the division by zero at row 20,000 comes after ~1 MB was sent.
    const failing = one`copy (select g, 1 / (g - 20000) as v, repeat('z', 40) from generate_series(1, 30000) g) to stdout with (format csv)`;
    await expect(copyOut(failing, [], got, { end: true, batchBytes: 4096 })).rejects.toThrow('division by zero');
    expect(got.chunks.length).toBeGreaterThan(0);
    expect((await one`select 4 as ok`)[0]!.ok).toBe(4);
  });
});
