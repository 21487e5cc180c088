import { commerce } from '../../src/tenancy/profiles/commerce.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli.js';
import type { Io } from '../../src/context.js';
import { importCsv } from '../../src/csv/import.js';
import { checkValue, typedValue } from '../../src/csv/sql-parts.js';
import type { ColumnSpec } from '../../src/csv/spec.js';
import { gateAccepts } from '../../src/csv/value-gate.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { scratch, snapshot, withTenants } from './helpers.js';

/** Column declarations of every type, with the PostgreSQL type COPY would read them into. */
const COLUMNS: [ColumnSpec, string][] = [
  [{ csv: 'n', column: 'n', type: 'integer' }, 'integer'],
  [{ csv: 'm', column: 'm', type: 'numeric', precision: 12, scale: 2 }, 'numeric(12,2)'],
  [{ csv: 'r', column: 'r', type: 'numeric', precision: 5, scale: 2 }, 'numeric(5,2)'],
  [{ csv: 'b', column: 'b', type: 'boolean', default: true }, 'boolean'],
  [{ csv: 'u', column: 'u', type: 'uuid' }, 'uuid'],
  [{ csv: 'd', column: 'd', type: 'date' }, 'date'],
  [{ csv: 't', column: 't', type: 'timestamptz' }, 'timestamptz'],
  [{ csv: 'e', column: 'e', type: 'enum', values: ['pending', 'paid'], default: 'pending' }, 'text'],
  [{ csv: 's', column: 's', type: 'text', maxLength: 5, required: true }, 'varchar(5)'],
  [{ csv: 'j', column: 'j', type: 'jsonb' }, 'jsonb'],
];

/** Valid and invalid spellings of every type, and what PostgreSQL's input functions also take. */
const VALUES: Record<string, (string | null)[]> = {
  integer: ['12', ' 12 ', '+7', '-0', '007', '2147483647', '2147483648', '-2147483648', '99999999999999', '1e3', '1.0', '12a', '', '   ', '\t5', '0x1F', '1_000', '１２', null],
  'numeric(12,2)': ['10', '10.5', '10.50', '10.500', '10.505', ' 3 ', '.5', '5.', '+1.25', '-0.01', '9999999999.99', '10000000000', '00012.30', '1e3', 'NaN', 'Infinity', '1,000.00', '', ' ', '1_000', '0x10', '\t1', null],
  'numeric(5,2)': ['999.99', '999.994', '1000', '-999.99', '0.001'],
  boolean: ['true', 'TRUE', ' yes ', 'Y', '0', 'off', 'tru', 'of', '', 'ja', null],
  uuid: ['0e8d9f4a-5b6c-4d7e-8f90-1a2b3c4d5e6f', '0E8D9F4A-5B6C-4D7E-8F90-1A2B3C4D5E6F', '0e8d9f4a5b6c4d7e8f901a2b3c4d5e6f', '{0e8d9f4a-5b6c-4d7e-8f90-1a2b3c4d5e6f}', ' 0e8d9f4a-5b6c-4d7e-8f90-1a2b3c4d5e6f', 'abc', null],
  date: ['2024-02-29', '2023-02-29', '2024-13-01', '24-01-01', '2024/01/01', ' 2024-01-05 ', 'Jan 5 2024', 'today', null],
  timestamptz: ['2024-03-15T10:30:00+05:30', '2024-03-15 10:30', '2024-03-15T10:30:00Z', '2024-03-15', '2024-03-15T10:30:00.123456', '2024-03-15T10:30:00.1234567', '2024-03-15T24:00', 'now', 'epoch', '2024-02-30T00:00', null],
  text: ['pending', 'paid', 'PENDING', ' pending', '', null],
  'varchar(5)': ['abc', 'abcde', 'abcdef', 'ééééé', 'éééééé', 'ab   ', 'abcde   ', '  ', '', null],
  jsonb: ['{}', '[1, 2]', '{"a": "é"}', '{bad', '', null],
};

describe('direct load', () => {
  let db: TestDatabase;
  const dir = scratch();
  beforeAll(async () => {
    db = await createTestDatabase();
    await withTenants(db, 'empty1', 'empty2', 'busy', 'insertmode', 'late', 'longfield', 'piped');
  });
  afterAll(async () => db.drop());

  it('lets a value through only when the SQL validator accepts it and COPY stores it as the staged INSERT does', async () => {
    let accepted = 0;
    let refused = 0;
    await db.sql.begin(async (tx) => {
      await tx`select set_config('timezone', 'UTC', true), set_config('datestyle', 'ISO, YMD', true)`;
      for (const [spec, pgType] of COLUMNS) {
        for (const value of VALUES[pgType]!) {
          const ref = tx`${value}::text`;
          const [check] = await tx`select ${checkValue(tx, spec, ref, undefined)} as reason`;
          // The staged path's stored value, and COPY's (the input function, with the default the gate writes).
          const read = async (expression: ReturnType<typeof tx>): Promise<{ ok: boolean; text?: string }> => {
            try {
              const [row] = await tx.savepoint((sp) => sp`select (${expression})::${sp.unsafe(pgType)}::text as text`);
              return { ok: true, text: row!.text };
            } catch {
              return { ok: false };
            }
          };
          const staged = await read(typedValue(tx, spec, ref));
          const copied = await read(tx`${value ?? (spec.default === undefined ? null : String(spec.default))}::text`);
          const label = `${spec.type} ${pgType} ${JSON.stringify(value)}`;
          if (gateAccepts(spec, value === null ? null : Buffer.from(value))) {
            accepted += 1;
            expect(check!.reason, label).toBeNull();
            // Where the input function refuses (2023-02-29), COPY fails and the staged
            // path reports it; where it accepts, both paths store the same value.
            expect(copied.ok, label).toBe(staged.ok);
            expect(copied.text, label).toBe(staged.text);
          } else refused += 1;
        }
      }
    });
    // Both sides are exercised: the gate is neither "accept all" nor "refuse all".
    expect(accepted).toBeGreaterThan(40);
    expect(refused).toBeGreaterThan(40);
    for (const bad of ['1e3', 'NaN', '0x10', '1_000', '10.505']) expect(gateAccepts(COLUMNS[1]![0], Buffer.from(bad)), bad).toBe(false);
  });

  const TRICKY = [
    'sku,name,description,weight_grams,cost_price,tax_rate,is_active,attributes',
    'T-1,Lamp,"Says ""hi"", twice",12,10.500,5,,"{""color"": ""red""}"',
    'T-2,Élan ünïcode,"two',
    'lines", 7 , 3 ,18.00,YES,',
    'T-3,Tee,"",+5,.5,0,0,{}',
    "T-4,'; drop table products; --,\\N,-0,00012.30,,off,[]",
    '',
  ].join('\r\n');

  it('stores a file exactly as the staged path does, and says which path it took', async () => {
    const file = join(dir, 'tricky.csv');
    await writeFile(file, TRICKY);
    await db.sql`insert into tenant_busy.products (sku, name) values ('SEED', 'already here')`;
    const direct = await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'empty1', input: file, actor: 'test' });
    const staged = await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'busy', input: file, actor: 'test' });
    expect(direct).toMatchObject({ loader: 'direct', rows: 4, inserted: 4, rejected: 0 });
    expect(staged).toMatchObject({ loader: 'staged', rows: 4, inserted: 4, rejected: 0 });
    const rows = (schema: string) =>
      db.sql`select sku, name, description, weight_grams, cost_price, tax_rate, is_active, attributes, images from ${db.sql(schema)}.products where sku <> 'SEED' order by sku`;
    const stored = await rows('tenant_empty1');
    expect(stored).toEqual(await rows('tenant_busy'));
    expect(stored.map((r) => [r.description, r.weight_grams, r.cost_price, r.is_active])).toEqual([
      ['Says "hi", twice', 12, '10.50', true],
      ['two\r\nlines', 7, '3.00', true],
      ['', 5, '0.50', false],
      ['\\N', 0, '12.30', false],
    ]);
    const [audit] = await db.sql`select metadata from public.audit_logs where action = 'csv.import' order by created_at limit 1`;
    expect(audit!.metadata).toMatchObject({ loader: 'direct', rows: 4 });
  });

  it('passes a field far longer than a read chunk whole', async () => {
    const long = 'ab"c\n'.repeat(700_000); // 3.5 MB, quotes and line breaks inside
    const file = join(dir, 'long.csv');
    await writeFile(file, `sku,name,description\nLONG-1,Long,"${long.replace(/"/g, '""')}"\nLONG-2,Short,plain\n`);
    expect(await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'longfield', input: file, actor: 'test' })).toMatchObject({ loader: 'direct', inserted: 2 });
    const [row] = await db.sql`select description from tenant_longfield.products where sku = 'LONG-1'`;
    expect(row!.description === long).toBe(true);
  });

  it('hands any doubtful file to the staged path: same errors, nothing written, connection reusable', async () => {
    const bad = join(dir, 'bad.csv');
    const rejects = join(dir, 'rejects.csv');
    // A malformed record, a value the gate refuses, one only the server refuses (bad JSON),
    // and a duplicate key (found once the rest is within --max-errors).
    await writeFile(bad, ['sku,name,cost_price,dimensions', 'B-1,Ok,1,{}', 'B-2,Ragged', 'B-3,Bad,1e3,{}', 'B-4,Json,2,{oops', 'B-1,Again,3,{}', ''].join('\n'));
    const before = await snapshot(db, 'tenant_empty2', 'products');
    await expect(importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'empty2', input: bad, rejects, actor: 'test' })).rejects.toThrow(/3 rows are invalid/);
    expect(await snapshot(db, 'tenant_empty2', 'products')).toEqual(before);
    const listed = (await readFile(rejects, 'utf8')).trim().split('\n');
    // Each problem once (the abandoned direct attempt writes nothing to the rejects file).
    expect(listed.slice(1).map((l) => l.split(',')[0])).toEqual(['3', '4', '5']);

    const summary = await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'empty2', input: bad, maxErrors: 4, actor: 'test' });
    expect(summary).toMatchObject({ loader: 'staged', inserted: 1, rejected: 4 });
    const [{ n }] = await db.sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`;
    expect(n).toBe(0);
  });

  it('takes the direct path in insert mode into a table with rows, and reports an existing key by line', async () => {
    const file = join(dir, 'insert.csv');
    await writeFile(file, 'sku,name\nI-1,One\nI-2,Two\n');
    expect(await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'insertmode', input: file, mode: 'insert', actor: 'test' })).toMatchObject({ loader: 'direct', inserted: 2 });
    await writeFile(file, 'sku,name\nI-3,Three\nI-1,One again\n');
    await expect(importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'insertmode', input: file, mode: 'insert', actor: 'test' })).rejects.toThrow(/line 3, column sku: "I-1" already exists/);
    await writeFile(file, 'sku,name\nI-3,Three\n');
    expect(await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'insertmode', input: file, mode: 'insert', dryRun: true, actor: 'test' })).toMatchObject({ loader: 'direct', inserted: 1, dryRun: true });
    const [{ n }] = await db.sql`select count(*)::int as n from tenant_insertmode.products`;
    expect(n).toBe(2);
  });

  it('on a terminal, says why the row count starts again when the direct load gives up late', async () => {
    // A duplicate key on the last line: COPY refuses it only at the end, after progress was shown.
    const rows = Array.from({ length: 60_000 }, (_v, i) => `L-${i},Item ${i},${i % 997}.25`);
    const file = join(dir, 'late-duplicate.csv');
    await writeFile(file, ['sku,name,cost_price', ...rows, 'L-7,Again,1', ''].join('\n'));
    const stderr = new PassThrough();
    let said = '';
    stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const io = { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {}, interactive: false, stderrIsTTY: true, color: false, now: () => new Date(), cwd: dir } as unknown as Io;
    const code = await main(['node', 'tenantctl', 'import', 'products', file, '--tenant', 'late', '--database-url', db.url], io);
    expect(code).toBe(1);
    expect(said).toContain('second pass, checking every value');
    expect(said).toContain('line 60002, column sku: "L-7" repeats the sku of an earlier line (see line 9)');
    const [{ n }] = await db.sql`select count(*)::int as n from tenant_late.products`;
    expect(n).toBe(0);
  });

  it('keeps standard input in a temp file, so a pipe gets the direct loader and a second read', async () => {
    // A private temp folder (os.tmpdir() reads TMPDIR), so that other test files cannot interfere.
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = scratch();
    const spools = async () => (await readdir(tmpdir())).filter((f) => f.startsWith('tenantctl-stdin-'));
    const piped = (text: string) => Readable.from([Buffer.from(text)]);
    const clean = await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'piped', input: piped('sku,name\nS-1,Streamed\nS-2,Also\n'), actor: 'test' });
    expect(clean).toMatchObject({ loader: 'direct', inserted: 2, source: 'stdin' });
    const bad = importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'piped', input: piped('sku,name,cost_price\nS-3,Three,1\nS-4,Four,1e3\n'), mode: 'insert', actor: 'test' });
    await expect(bad).rejects.toThrow(/line 3, column cost_price: "1e3" is not a number/);
    // Not spooled where the direct loader cannot run (an upsert into a table with rows).
    expect(await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'piped', input: piped('sku,name\nS-1,Renamed\n'), actor: 'test' })).toMatchObject({ loader: 'staged', updated: 1 });
    expect(await spools()).toEqual([]);
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  });
});
