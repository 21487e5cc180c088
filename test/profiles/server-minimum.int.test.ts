import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, testServerVersionNum, type TestDatabase } from '../support/db.js';


// Commerce needs 15 (its tenant schema uses UNIQUE NULLS NOT DISTINCT): only a 14 server
// (TEST_PG_MAJOR=14, as CI runs test/profiles) can show the refusal.
const older = (await testServerVersionNum()) < 150000;

/**
 * A first `migrate up` of a profile on a server older than the profile needs is refused before
 * anything is recorded or applied (it used to record the profile and migrate the shared schema,
 * then every `tenant create` failed with "syntax error at or near NULLS … Fix the migration file").
 */
describe.skipIf(!older)(older ? 'commerce on a server older than 15' : 'commerce on a server older than 15 (skipped: the test server is PostgreSQL 15+; run with TEST_PG_MAJOR=14)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('oldserver');
  });
  afterAll(async () => db?.drop());

  it('migrate up, tenant create and demo say what the profile needs, and nothing is recorded or applied', async () => {
    const expected = /Profile commerce needs PostgreSQL 15 or newer \(its tenant schema uses UNIQUE NULLS NOT DISTINCT\); this server is PostgreSQL 14\.\d+/;
    const up = await runCli(['migrate', 'up'], { url: db.url });
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(expected);
    expect(up.stderr).toMatch(/Use a PostgreSQL 15\+ server/);
    const [left] = await db.sql`select to_regclass('tenantctl.profile') as profile, to_regclass('tenantctl.schema_migrations') as ledger, to_regclass('public.tenants') as registry`;
    expect(left).toEqual({ profile: null, ledger: null, registry: null });
    for (const args of [['tenant', 'create', 'acme', '--name', 'Acme', '--plan', 'starter', '--owner-email', 'owner@acme.test'], ['demo']]) {
      const r = await runCli(args, { url: db.url });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr).not.toMatch(/Fix the migration file/);
    }
    // The pooled profiles run on 14.
    const pooled = await runCli(['--profile', 'imsop', 'migrate', 'up'], { url: db.url });
    expect(pooled.code, pooled.stderr).toBe(0);
  });
});

describe('profile show', () => {
  it('says the oldest server each profile needs, and why', async () => {
    const r = await runCli(['profile', 'show', 'commerce', '--json'], { url: inject('adminUrl') });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).serverMinimum).toEqual({ major: 15, why: 'its tenant schema uses UNIQUE NULLS NOT DISTINCT' });
    const human = await runCli(['profile', 'show', 'imsop'], { url: inject('adminUrl') });
    expect(human.stdout).toMatch(/^server\s+PostgreSQL 14\+ \(the oldest PostgreSQL its schema is tested on\)$/m);
  });
});
