import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { runCliOnTty } from '../support/pty.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/** The progress lines the terminal was shown (each redraw starts with \r and a line erase). */
const progressLines = (screen: string, label: string): string[] => screen.split(/\r|\n/).map((l) => l.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').trim()).filter((l) => l.startsWith(label));

describe('export progress on a terminal', () => {
  let db: TestDatabase;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-export-progress-'));
    db = await createTestDatabase();
    const demo = await runCli(['demo'], { url: db.url });
    if (demo.code !== 0) throw new Error(demo.stderr);
    // Enough rows that the export runs for a while; statistics as autovacuum would leave them.
    await db.sql.unsafe("insert into tenant_acme.products (sku, name) select 'BULK-' || g, 'Bulk item ' || g from generate_series(1, 300000) g");
    await db.sql.unsafe('vacuum analyze tenant_acme.products');
  });
  afterAll(async () => {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('counts rows against the planner\'s estimate of the whole (so there is a percentage and an ETA)', async () => {
    const out = join(work, 'products.csv');
    const result = await runCliOnTty(['export', 'products', '--tenant', 'acme', '--out', out], [], { url: db.url });
    expect(result.code, result.screen).toBe(0);
    const lines = progressLines(result.screen, 'export products: rows');
    // The estimate comes from another connection and the export does not wait for it: the first
    // lines may count without a total, the ones after it has come show a percentage.
    const withTotal = lines.filter((l) => /^export products: rows [\d,]+\/[\d,]+ \(\d+%\) · /.test(l));
    expect(withTotal.length, result.screen).toBeGreaterThan(0);
    const [, total] = /rows [\d,]+\/([\d,]+)/.exec(withTotal[0]!)!;
    // The estimate is of this tenant's export: within a fifth of the 300,000 and some rows.
    expect(Number(total!.replaceAll(',', ''))).toBeGreaterThan(240_000);
    expect(Number(total!.replaceAll(',', ''))).toBeLessThan(360_000);
  });
});
