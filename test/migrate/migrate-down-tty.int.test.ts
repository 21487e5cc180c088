import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { runCli } from '../support/cli.js';
import { migrationsWith } from '../support/migrations.js';
import { runCliOnTty } from '../support/pty.js';
import { seedTenant } from '../tenants/helpers.js';

const NOTE = '-- migrate:up\nalter table products add column note text;\n-- migrate:down\nalter table products drop column note;\n';

/** issue 12, item 2: on a terminal, destroying rows takes typing their number. */
describe('migrate down on a terminal: the typed row count', () => {
  let db: TestDatabase;
  let dir: string;
  const notes = async () => (await db.sql`select sku, note from tenant_p1.products where note is not null order by sku`).map((r) => [r.sku, r.note]);
  const hasNote = async () => ((await db.sql`select count(*)::int as n from information_schema.columns where table_schema = 'tenant_p1' and table_name = 'products' and column_name = 'note'`)[0] as { n: number }).n === 1;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    await seedTenant(db.sql, 'p1', 2);
    dir = await migrationsWith({ 'tenant/0002_note.sql': NOTE });
    const up = await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url });
    expect(up.code, up.stdout + up.stderr).toBe(0);
    await db.sql`insert into tenant_p1.products (sku, name, selling_price, note) values ('n-1', 'Noted', 1, 'keep me'), ('n-2', 'Noted too', 2, 'and me')`;
  });
  afterAll(async () => db?.drop());

  const QUESTION = 'This destroys the rows listed above.';
  const TYPE = 'Type the number of rows that will be destroyed (2) to confirm';

  it('shows what it would destroy, and a wrong count cancels with nothing changed', async () => {
    const r = await runCliOnTty(['migrate', 'down', '--tenants-only', '--migrations-dir', dir], [{ when: QUESTION, send: 'y' }, { when: TYPE, send: '3\r' }], { url: db.url });
    expect(r.code, r.screen).toBe(2);
    expect(r.screen).toMatch(/drop column\s*│\s*<tenant schema>\.products\.note\s*│\s*1\s*│\s*2\s*│/);
    expect(r.screen).toContain(TYPE);
    expect(r.screen).toContain('The number typed does not match; migrate down cancelled.');
    expect(await hasNote()).toBe(true);
    expect(await notes()).toEqual([['n-1', 'keep me'], ['n-2', 'and me']]);
  });

  it('answering no to the question cancels before the count is asked', async () => {
    const r = await runCliOnTty(['migrate', 'down', '--tenants-only', '--migrations-dir', dir], [{ when: QUESTION, send: 'n' }], { url: db.url });
    expect(r.code, r.screen).toBe(2);
    expect(r.screen).not.toContain(TYPE);
    expect(await notes()).toHaveLength(2);
  });

  it('the right count reverts the migration', async () => {
    const r = await runCliOnTty(['migrate', 'down', '--tenants-only', '--migrations-dir', dir], [{ when: QUESTION, send: 'y' }, { when: TYPE, send: '2\r' }], { url: db.url });
    expect(r.code, r.screen).toBe(0);
    expect(r.screen).toContain('1 reverted');
    expect(await hasNote()).toBe(false);
    const [{ n }] = await db.sql`select count(*)::int as n from tenantctl.schema_migrations where schema_name = 'tenant_p1' and version = '0002'`;
    expect(n).toBe(0);
  });
});
