import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { A_WH, DATA, TRANSFER_IN, TRANSFER_OUT } from './abparts-platform-data.js';

/** CSV rows as objects (the values here hold no commas or quotes). */
function rows(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trim().split('\n');
  return lines.map((l) => Object.fromEntries(header!.split(',').map((h, i) => [h, l.split(',')[i]!])));
}

/**
 * ABParts stock is "calculated from transaction history" (POOLED.md §2): a customer's export
 * must hold the transactions its stock derives from, including the distributor's transfer
 * into its warehouse, which is the distributor's row (the warehouse it leaves). That row
 * comes as a row the customer takes part in, under shared/, never among its own.
 */
describe('abparts: tenant export and the transfers into the tenant\'s warehouses', () => {
  let db: TestDatabase;
  let work: string;
  const cli = (args: string[]) => runCli(['--profile', 'abparts', ...args], { url: db.url });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'abparty-'));
    db = await createTestDatabase('abparty');
    const up = await cli(['migrate', 'up']);
    if (up.code !== 0) throw new Error(up.stderr);
    await db.sql.unsafe(DATA);
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('exports the other organization\'s transfer into its warehouse under shared/, so that its stock adds up from the export', async () => {
    const out = join(work, 'e3');
    const exported = await cli(['tenant', 'export', 'Cust A', '--out', out, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const own = rows(await readFile(join(out, 'tenant', 'transactions.csv'), 'utf8'));
    expect(own.map((r) => r.id)).toEqual([TRANSFER_OUT]);
    const party = rows(await readFile(join(out, 'shared', 'public.transactions.csv'), 'utf8'));
    expect(party.map((r) => r.id)).toEqual([TRANSFER_IN]);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { files: { file: string; scope: string; rows: number }[] };
    expect(manifest.files).toContainEqual(expect.objectContaining({ file: 'shared/public.transactions.csv', scope: 'shared', rows: 1 }));
    // Every own row is under tenant/, every row of another organization under shared/ (a file per table that can hold one, as under tenant/).
    expect(manifest.files.filter((f) => f.scope === 'shared' && f.rows > 0).map((f) => f.file)).toEqual(['shared/public.transactions.csv']);
    // The stock the export states is what its transactions, both files, add up to.
    const [stock] = rows(await readFile(join(out, 'tenant', 'inventory.csv'), 'utf8'));
    const moved = [...own, ...party].reduce((n, t) => n + (t.to_warehouse_id === A_WH ? Number(t.quantity) : 0) - (t.from_warehouse_id === A_WH ? Number(t.quantity) : 0), 0);
    expect(Number(stock!.current_stock)).toBe(moved);
  });
});
