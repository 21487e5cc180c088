import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/** Lines wider than a 100-column terminal, with their width, so a failure shows which. */
const tooWide = (text: string): string[] => text.split('\n').filter((l) => [...l].length > 100).map((l) => `${[...l].length}: ${l}`);

describe('human output fits 100 columns', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const demo = await runCli(['demo'], { url: db.url });
    if (demo.code !== 0) throw new Error(demo.stderr);
    // A long reason in the audit trail, as support staff write them.
    await runCli(['tenant', 'suspend', 'acme', '--reason', 'invoice INV-2024-0042 unpaid for 90 days after three reminders; customer asked to be called back next week'], { url: db.url });
  });
  afterAll(async () => db.drop());

  it('tenant erase --dry-run: the plan is a readable table, every line within 100 columns, nothing erased', async () => {
    const plan = await runCli(['tenant', 'erase', 'acme', '--dry-run'], { url: db.url });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Erasure plan for tenant acme');
    expect(plan.stdout).toMatch(/│ drop +│ tenant_acme\.products/);
    expect(tooWide(plan.stdout)).toEqual([]);
    expect(await db.sql`select count(*)::int as n from public.tenants where slug = 'acme'`).toEqual([{ n: 1 }]);
  });

  it('tenant show and tenant features stay within 100 columns', async () => {
    for (const args of [['tenant', 'show', 'acme'], ['tenant', 'features', 'acme']]) {
      const result = await runCli(args, { url: db.url });
      expect(result.code, result.stderr).toBe(0);
      expect(tooWide(result.stdout), args.join(' ')).toEqual([]);
    }
  });

  it('tenant receipts (and --verify) and tenant list stay within 100 columns', async () => {
    const erase = await runCli(['tenant', 'erase', 'initech', '--yes', '--confirm', 'initech', '--reason', 'GDPR art. 17 request by the data subject', '--ticket', 'SUP-2026-000123-ERASURE-REQUEST', '--actor', 'support.engineer@example-company.test'], { url: db.url });
    expect(erase.code, erase.stderr).toBe(0);
    for (const args of [['tenant', 'receipts'], ['tenant', 'receipts', '--verify'], ['tenant', 'list']]) {
      const result = await runCli(args, { url: db.url });
      expect(result.code, result.stderr).toBe(0);
      expect(tooWide(result.stdout), args.join(' ')).toEqual([]);
    }
    const receipts = await runCli(['tenant', 'receipts'], { url: db.url });
    // Wrapped, not cut: read down its column, the whole ticket is still there.
    const header = receipts.stdout.split('\n').find((l) => l.includes('ticket'))!.split('│').map((c) => c.trim());
    const column = header.indexOf('ticket');
    const body = receipts.stdout.split('\n').filter((l) => l.startsWith('│')).slice(1);
    expect(body.map((l) => l.split('│')[column]!.trim()).join('')).toBe('SUP-2026-000123-ERASURE-REQUEST');
  });
});
