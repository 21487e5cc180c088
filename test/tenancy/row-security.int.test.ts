import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * Row-level security never hides rows from the tool (POOLED.md §4): every tenantctl session
 * runs with row_security = off, so a role that a policy would filter gets an error that says
 * which role attribute it needs, never "0 rows" and a clean report.
 */
describe('row-level security and the role tenantctl runs as', () => {
  let db: TestDatabase;
  const role = `rls_owner_${randomBytes(4).toString('hex')}`;
  let asOwner: string;

  beforeAll(async () => {
    db = await createTestDatabase('rls');
    const up = await runCli(['--profile', 'imsop', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    expect((await runCli(['tenant', 'create', 'Org R', '--owner-email', 'r@r.test'], { url: db.url })).code).toBe(0);
    // The tables' owner, without BYPASSRLS, under FORCE: the case where a naive tool sees nothing.
    await db.sql`create role ${db.sql(role)} login password 'rls-test' nosuperuser nobypassrls`;
    await db.sql`grant usage, create on schema tenantctl to ${db.sql(role)}`;
    await db.sql`grant select, insert, update, delete on all tables in schema tenantctl to ${db.sql(role)}`;
    for (const { t } of await db.sql<{ t: string }[]>`select relname as t from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'`) {
      await db.sql`alter table ${db.sql(t)} owner to ${db.sql(role)}`;
      await db.sql`alter table ${db.sql(t)} force row level security`;
    }
    const url = new URL(db.url);
    url.username = role;
    url.password = 'rls-test';
    asOwner = url.toString();
  });
  afterAll(async () => {
    await db.sql`reassign owned by ${db.sql(role)} to current_user`;
    await db.sql`drop owned by ${db.sql(role)}`;
    await db.sql`drop role ${db.sql(role)}`;
    await db.drop();
  });

  it('a filtered role gets RLS_BLOCKS naming BYPASSRLS instead of an empty tenant list', async () => {
    const r = await runCli(['tenant', 'list', '--json'], { url: asOwner });
    expect(r.code, r.stderr).toBe(1);
    const error = JSON.parse(r.stdout).error;
    expect(error.code).toBe('RLS_BLOCKS');
    expect(r.stderr).toContain('organizations');
    expect(r.stderr).toContain('BYPASSRLS');
  });

  it('with BYPASSRLS the same role sees every tenant', async () => {
    await db.sql`alter role ${db.sql(role)} bypassrls`;
    const r = await runCli(['tenant', 'list', '--json'], { url: asOwner });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).map((t: { slug: string }) => t.slug)).toEqual(['Org R']);
  });
});
