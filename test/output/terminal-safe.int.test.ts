import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';

/** Found by an adversarial run: a tenant name holding terminal escapes was printed raw by create, list and show. */
describe('control characters from the data reach a terminal shown, not acted on', () => {
  let db: TestDatabase;
  const EVIL = 'evil\u001b]0;pwned\u0007\u001b[2JName';
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
  });
  afterAll(async () => db?.drop());

  it('tenant create, list and show print the name with its escapes shown; --json keeps the value', async () => {
    const created = await runCli(['tenant', 'create', 'evil', '--name', EVIL, '--plan', 'starter', '--owner-email', 'o@evil.test'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    for (const args of [['tenant', 'list'], ['tenant', 'show', 'evil']]) {
      const r = await runCli(args, { url: db.url });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/[\u0007\u001b]/);
      expect(r.stdout).toContain('evil\\x1b]0;pwned\\x07');
    }
    const json = await runCli(['tenant', 'show', 'evil', '--json'], { url: db.url });
    expect(JSON.parse(json.stdout).name).toBe(EVIL);
  });

  it('an error repeating what was typed shows its escapes too', async () => {
    const r = await runCli(['tenant', 'show', 'x\u001b]0;pwned\u0007'], { url: db.url });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/[\u0007\u001b]/);
    expect(r.stderr).toContain('pwned');
  });
});
