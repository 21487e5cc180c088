import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/db/config.js';
import { connect } from '../../src/db/connect.js';
import { explainDatabaseError } from '../../src/db/pg-errors.js';
import { TenantctlError } from '../../src/errors.js';
import { dropOwnerRoleAndDatabase, handOverToRole } from '../backup/helpers.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * The database owner (not a superuser) may not call pg_stat_statements_reset: it is the
 * superuser's who created the extension, executable by superusers only. The error says so,
 * with the GRANT for the function's signature on this server, never "run as the role that owns
 * its schemas" (the role that just failed).
 */
describe('reset-stats as the database owner role', () => {
  let db: TestDatabase;
  const role = `reset_owner_${randomBytes(3).toString('hex')}`;
  let url: string;
  beforeAll(async () => {
    db = await createTestDatabase('mon_reset');
    await db.sql`create extension if not exists pg_stat_statements`;
    url = await handOverToRole(db, role, 'pw', false);
  });
  afterAll(async () => dropOwnerRoleAndDatabase(db, role));

  it('says only a superuser may, with the GRANT for this server\'s signature, which then works', async () => {
    const [{ signature }] = await db.sql<{ signature: string }[]>`select oid::regprocedure::text as signature from pg_proc where proname = 'pg_stat_statements_reset'`;
    const denied = await runCli(['monitor', 'reset-stats', '--yes'], { url });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/may not reset the pg_stat_statements statistics: permission denied for function pg_stat_statements_reset/);
    const grant = `GRANT EXECUTE ON FUNCTION ${signature} TO "${role}";`;
    expect(denied.stderr).toContain(`only a superuser may: run reset-stats as a superuser, or have one run ${grant}`);
    expect(denied.stderr).not.toMatch(/owns its schemas/);
    await db.sql.unsafe(grant);
    const reset = await runCli(['monitor', 'reset-stats', '--yes', '--json'], { url });
    expect(reset.code, reset.stderr).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({ reset: true, scope: 'database' });
  });

  it('any other function it may not call: a superuser, or a GRANT EXECUTE, not the schema owner', async () => {
    await db.sql`create function public.superuser_only() returns int language sql as 'select 1'`;
    await db.sql`revoke execute on function public.superuser_only() from public`;
    const asRole = connect(await resolveConnection({ databaseUrl: url, env: {}, cwd: process.cwd() }), { max: 1 });
    try {
      const error = await asRole`select public.superuser_only()`.then(() => undefined, (e: unknown) => e);
      const explained = explainDatabaseError(error) as TenantctlError;
      expect(explained).toBeInstanceOf(TenantctlError);
      expect(explained).toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringMatching(/may not call the function superuser_only/) });
      expect(explained.hint).toMatch(/^Run the command as a superuser, or have a superuser \(or the function's owner\) grant it: GRANT EXECUTE ON FUNCTION superuser_only\(<its argument types, as \\df superuser_only shows them>\) TO this role;$/);
    } finally {
      await asRole.end();
    }
  });
});
