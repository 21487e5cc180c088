import { describe, expect, it } from 'vitest';
import { parseMigration } from '../../src/migrate/files.js';
import { inTransactionForm } from '../../src/migrate/provisioning-form.js';

const up = (body: string) => parseMigration('tenant', '0002_x.sql', 'migrations/tenant/0002_x.sql', `-- migrate:up transaction:false\n${body}\n-- migrate:down\n`).up;

// Provisioning runs every tenant migration in one transaction; a transaction:false file of
// CREATE INDEX CONCURRENTLY and its kin runs there without the word (the schema is new and unseen).
describe('inTransactionForm', () => {
  it('blanks CONCURRENTLY out of CREATE [UNIQUE] INDEX, DROP INDEX and REINDEX, keeping every position', () => {
    const section = up('create index concurrently if not exists p_name on products (name);\nCREATE UNIQUE INDEX CONCURRENTLY p_sku ON products (sku);\ndrop index concurrently if exists p_old;\nreindex (verbose) index concurrently p_name;\nreindex table concurrently products;');
    const form = inTransactionForm(section)!;
    expect(form.transaction).toBe(true);
    expect(form.sql).toHaveLength(section.sql.length);
    expect(form.sql).not.toMatch(/concurrently/i);
    expect(form.statements.map((s) => s.text.replace(/\s+/g, ' '))).toEqual([
      'create index if not exists p_name on products (name)',
      'CREATE UNIQUE INDEX p_sku ON products (sku)',
      'drop index if exists p_old',
      'reindex (verbose) index p_name',
      'reindex table products',
    ].map((t) => expect.stringContaining(t)));
    // Each statement still starts where it did, and reads the same in the section's text.
    for (const [i, s] of form.statements.entries()) {
      expect(s.offset).toBe(section.statements[i]!.offset);
      expect(form.sql.slice(s.offset - form.offset, s.offset - form.offset + s.text.length)).toBe(s.text);
    }
  });

  it('keeps the refusal for anything else in the file', () => {
    for (const body of ['vacuum products;', 'create index concurrently a on products (name);\nvacuum products;', 'create index a on products (name);', "select 'create index concurrently';", 'reindex schema concurrently tenant_x;']) {
      expect(inTransactionForm(up(body)), body).toBeUndefined();
    }
  });
});
