import { commerce } from '../../src/tenancy/profiles/commerce.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { copyIn } from '../../src/db/copy-in.js';
import { importCsv } from '../../src/csv/import.js';
import { spawnCli } from '../support/cli.js';
import { createTestDatabase, freshPool, type TestDatabase } from '../support/db.js';
import { fixture, scratch, snapshot, withTenants } from './helpers.js';
// @ts-expect-error plain .mjs shared with the benchmark
import { BENCH_PRODUCT_COLUMNS, line, product, rng } from '../../bench/csv-data.mjs';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('import failures', () => {
  let db: TestDatabase;
  const dir = scratch();
  beforeAll(async () => {
    db = await createTestDatabase();
    await withTenants(db, 'acme');
    await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'acme', input: fixture('products.csv') });
  });
  afterAll(async () => db.drop());

  it('a COPY the server rejects after the data ended fails cleanly and gives its connection back (postgres.js #1173)', async () => {
    // One connection: if the failed COPY leaked it, the next query would wait forever.
    const one = await freshPool(db);
    try {
      await one`create table copy_guard (n int check (n < 100))`;
      const failed = await one
        .begin((tx) => copyIn(tx`copy copy_guard (n) from stdin with (format csv)`, Readable.from([Buffer.from('1\n2\n500\n')])))
        .catch((e: Error & { code?: string }) => e);
      expect(failed).toBeInstanceOf(Error);
      expect((failed as { code?: string }).code).toBe('23514');
      const [{ n }] = await one`select count(*)::int as n from copy_guard`;
      expect(n).toBe(0);
      const aborted = await db.sql`select count(*)::int as n from pg_stat_activity where datname = ${db.name} and state like 'idle in transaction%'`;
      expect(aborted[0]!.n).toBe(0);
      // And a good COPY still works on the same connection.
      await one.begin((tx) => copyIn(tx`copy copy_guard (n) from stdin with (format csv)`, Readable.from([Buffer.from('7\n')])));
      expect((await one`select n from copy_guard`).map((r) => r.n)).toEqual([7]);
    } finally {
      await one.end();
    }
  });

  it('SIGKILL in the middle of a large import leaves the tables as they were', async () => {
    const file = join(dir, 'large.csv');
    const out = createWriteStream(file);
    out.write(line(BENCH_PRODUCT_COLUMNS));
    for (let i = 0; i < 150_000; i += 1) {
      const p = product(rng(i + 1), i);
      if (!out.write(line(BENCH_PRODUCT_COLUMNS.map((c: string) => p[c])))) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const before = await snapshot(db, 'tenant_acme', 'products');
    const audits = await db.sql`select count(*)::int as n from public.audit_logs`;

    const child = spawnCli(['import', 'products', file, '--tenant', 'acme'], { url: db.url });
    const exited = once(child, 'exit');
    // Wait until the import is inside its transaction, streaming rows into PostgreSQL (its session is named 'tenantctl import products acme' there).
    for (let tries = 0; tries < 600; tries += 1) {
      const [busy] = await db.sql`select count(*)::int as n from pg_stat_activity where datname = ${db.name} and application_name like 'tenantctl%' and query ilike 'copy%' and state = 'active'`;
      if (busy!.n > 0) break;
      await sleep(25);
    }
    child.kill('SIGKILL');
    const [, signal] = await exited;
    expect(signal).toBe('SIGKILL');
    // PostgreSQL notices the dead client and rolls back; wait for its backend to go.
    for (let tries = 0; tries < 400; tries += 1) {
      const [left] = await db.sql`select count(*)::int as n from pg_stat_activity where datname = ${db.name} and application_name like 'tenantctl%' and state <> 'idle' and pid <> pg_backend_pid()`;
      if (left!.n === 0) break;
      await sleep(50);
    }
    expect(await snapshot(db, 'tenant_acme', 'products')).toEqual(before);
    expect((await db.sql`select count(*)::int as n from public.audit_logs`)[0]!.n).toBe(audits[0]!.n);
    // No lock or temp table is left behind: the same file now imports completely.
    const done = await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'acme', input: file });
    expect(done).toMatchObject({ rows: 150_000, rejected: 0 });
  });
});
