import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { runCliOnTty } from '../support/pty.js';

const CTRL_C = '\x03';

/** README: interrupted by SIGINT is 130, any command; Ctrl-C at a prompt is that same interruption. */
describe('Ctrl-C at a prompt', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
  });
  afterAll(async () => db?.drop());

  it('tenant create: exit 130, nothing created', async () => {
    const r = await runCliOnTty(['tenant', 'create'], [{ when: 'Company name', send: CTRL_C }], { url: db.url });
    expect(r.code, r.screen).toBe(130);
    expect(r.screen).toContain('Cancelled; nothing was changed.');
    expect(await db.sql`select 1 from public.tenants`).toHaveLength(0);
  });

  it('monitor reset-stats confirmation: Ctrl-C is 130; answering no stays the usage error (2)', async () => {
    const stopped = await runCliOnTty(['monitor', 'reset-stats'], [{ when: 'Slow-query history is lost', send: CTRL_C }], { url: db.url });
    expect(stopped.code, stopped.screen).toBe(130);
    expect(stopped.screen).toContain('Cancelled; nothing was changed.');
    const no = await runCliOnTty(['monitor', 'reset-stats'], [{ when: 'Slow-query history is lost', send: 'n' }], { url: db.url });
    expect(no.code, no.screen).toBe(2);
    expect(no.screen).toContain('monitor reset-stats cancelled.');
  });
});
