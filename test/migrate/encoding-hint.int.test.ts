import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * A migration the database's encoding cannot hold (Prometric's baseline seeds Cyrillic units,
 * 'шт', which LATIN1 has no character for) fails with what to do about the database, not
 * "fix the error and run again": the file is fine, and running again changes nothing.
 */
describe('a migration whose characters the database encoding cannot store', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('latin1mig', { encoding: 'LATIN1', locale: 'C' });
  });
  afterAll(async () => db?.drop());

  it('fails naming the encoding problem and how to get a UTF8 database; nothing is kept', async () => {
    const r = await runCli(['--profile', 'prometric', 'migrate', 'up', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.shared.error).toMatchObject({ code: '22P05', hint: expect.stringMatching(/encoding \(SHOW server_encoding\) cannot store .*ENCODING 'UTF8'/) });
    expect(await db.sql`select count(*)::int as n from pg_tables where schemaname = 'public'`).toEqual([{ n: 0 }]);
  });
});
