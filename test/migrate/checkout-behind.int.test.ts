import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';

const CREATE = ['tenant', 'create', 'late', '--name', 'Late Co', '--plan', 'starter', '--owner-email', 'o@late.test'];

/** issue 12, item 7: a checkout whose migrations are older than the database. */
describe('a checkout older than the database', () => {
  let db: TestDatabase;
  let newer: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    for (const slug of ['o1', 'o2']) await addTenantRow(db.sql, slug);
    await migrateAll(db.sql);
    newer = await migrationsWith({ 'tenant/0002_newer.sql': '-- migrate:up\ncreate table newer_feature (id int);\n-- migrate:down\ndrop table newer_feature;\n' });
    const up = await runCli(['migrate', 'up', '--migrations-dir', newer], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
  });
  afterAll(async () => db.drop());

  it('tenant create refuses, naming the database version and the checkout version; nothing is created', async () => {
    const r = await runCli(CREATE, { url: db.url });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('Refusing to provision tenant "late": the database has tenant migration 0002 applied, but the newest tenant migration here is 0001');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const [{ n }] = await db.sql`select count(*)::int as n from public.tenants where slug = 'late'`;
    expect(n).toBe(0);
  });

  it('fixtures generate refuses too, before creating any fixture tenant', async () => {
    const r = await runCli(['fixtures', 'generate', '--tenants', '1', '--products', '2', '--orders', '2', '--prefix', 'fx', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'CHECKOUT_BEHIND_DATABASE', details: { scope: 'tenant', database: '0002', checkout: '0001' } });
    const [{ n }] = await db.sql`select count(*)::int as n from public.tenants where slug like 'fx_%'`;
    expect(n).toBe(0);
  });

  it('migrate up refuses with the same versions, --json gives the code', async () => {
    const r = await runCli(['migrate', 'up', '--json'], { url: db.url });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'CHECKOUT_BEHIND_DATABASE', details: { scope: 'tenant', database: '0002', checkout: '0001' } });
  });

  it('migrate status no longer says everyone is at latest with 0 behind: it says who is ahead', async () => {
    const text = await runCli(['migrate', 'status'], { url: db.url });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('tenants          2 · 0 at latest (0001) · 0 behind · 2 ahead of this checkout · 0 failed');
    expect(text.stdout).toContain('ahead of this checkout: o1, o2: the database has tenant 0002');
    const json = JSON.parse((await runCli(['migrate', 'status', '--json'], { url: db.url })).stdout);
    expect(json.upToDate).toBe(false);
    expect(json.tenants.ahead).toEqual([{ slug: 'o1', version: '0002' }, { slug: 'o2', version: '0002' }]);
  });

  it('with the newer migrations, provisioning works at the fleet version', async () => {
    const r = await runCli([...CREATE, '--migrations-dir', newer, '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: '0002' });
  });
});
