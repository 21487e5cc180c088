import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { seedTenant } from './helpers.js';

interface Listed { slug: string; sizeBytes: number; sizeNeverAnalyzed: number }

/**
 * A database just loaded, before autovacuum's first ANALYZE (the suite's server runs without
 * autovacuum): the statistics hold nothing of the rows, so an estimated size leaves them out.
 * `tenant list` says so instead of showing a bare "0 bytes" for a tenant with data.
 */
describe('tenant list says which sizes leave out tables never analyzed', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => Promise.all(dbs.map((db) => db.drop())));

  const listed = async (db: TestDatabase, ...args: string[]) => {
    const json = await runCli(['tenant', 'list', ...args, '--json'], { url: db.url });
    const text = await runCli(['tenant', 'list', ...args], { url: db.url });
    expect(json.code, json.stderr).toBe(0);
    expect(text.code, text.stderr).toBe(0);
    return { rows: JSON.parse(json.stdout) as Listed[], text: text.stdout };
  };

  for (const profile of ['commerce', 'imsop'] as const) {
    describe(profile, () => {
      let db: TestDatabase;
      beforeAll(async () => {
        db = await createTestDatabase(`unan_${profile}`);
        dbs.push(db);
        if (profile === 'commerce') {
          await migrateAll(db.sql);
          await seedTenant(db.sql, 'fresh', 40);
        } else {
          expect((await runCli(['--profile', 'imsop', 'migrate', 'up'], { url: db.url })).code).toBe(0);
          expect((await runCli(['tenant', 'create', 'Fresh Org', '--owner-email', 'a@fresh.test'], { url: db.url })).code).toBe(0);
        }
      });

      it('before the first ANALYZE: counted per tenant, and a note under the table', async () => {
        const before = await listed(db);
        expect(before.rows).toHaveLength(1);
        expect(before.rows[0]!.sizeNeverAnalyzed).toBeGreaterThan(0);
        expect(before.text).toContain(`note: sizes are from the statistics; every size leaves out up to ${before.rows[0]!.sizeNeverAnalyzed} table(s) never analyzed`);
        // Exact sizes read the files: nothing left out.
        const exact = await listed(db, '--exact-sizes');
        expect(exact.rows[0]!.sizeNeverAnalyzed).toBe(0);
        expect(exact.text).not.toContain('never analyzed');
      });

      it('after ANALYZE: nothing left out, no note', async () => {
        await db.sql`analyze`;
        const after = await listed(db);
        expect(after.rows[0]!.sizeNeverAnalyzed).toBe(0);
        expect(after.rows[0]!.sizeBytes).toBeGreaterThan(0);
        expect(after.text).not.toContain('never analyzed');
      });
    });
  }
});
