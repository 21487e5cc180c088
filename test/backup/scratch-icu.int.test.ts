import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratch } from '../../src/backup/scratch.js';
import { resolveConnection } from '../../src/db/config.js';
import { connect } from '../../src/db/connect.js';
import { backupClientStatus } from '../support/pg-client.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, testServerVersionNum, type TestDatabase } from '../support/db.js';


const version = await testServerVersionNum();
// The ICU locale provider of a database came with PostgreSQL 15, its tailoring rules with 16.
const icu = version >= 150000;
const rules = version >= 160000;
// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

/**
 * A database with the ICU locale provider and no ICU rules (rules exist since 16, and are
 * NULL unless given): the scratch database a verify or restore goes into is created with
 * the same provider and locale, and no `icu_rules` clause at all (it was `icu_rules NULL`,
 * a syntax error, on every server).
 */
describe.skipIf(!icu)(icu ? 'scratch database of an ICU database' : 'scratch database of an ICU database (skipped: PostgreSQL 14 has no ICU locale provider for a database)', () => {
  let db: TestDatabase;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-icu-'));
    db = await createTestDatabase('bkicu', { encoding: 'UTF8', locale: 'C', icuLocale: 'de-DE' });
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('is created with the live database\'s ICU provider and locale', async () => {
    const live = await resolveConnection({ databaseUrl: db.url, env: {}, cwd: process.cwd() });
    const scratch = await createScratch(db.sql, live, { purpose: 'the test' });
    try {
      const rows = await db.sql`
        select datname = ${db.name} as live, datlocprovider::text as provider,
               coalesce(to_jsonb(pg_database) ->> 'datlocale', to_jsonb(pg_database) ->> 'daticulocale') as locale
        from pg_database where datname in (${db.name}, ${scratch.name}) order by 1`;
      expect(rows.map((r) => ({ provider: r.provider, locale: r.locale }))).toEqual([
        { provider: 'i', locale: 'de-DE' },
        { provider: 'i', locale: 'de-DE' },
      ]);
    } finally {
      await scratch.drop();
    }
  });

  describe.skipIf(!rules)(rules ? 'with ICU rules' : 'with ICU rules (skipped: they came with PostgreSQL 16)', () => {
    // ICU rules are given at CREATE DATABASE only: a database of its own, beside the test's.
    const ruled = { name: '' };
    beforeAll(async () => {
      ruled.name = `${db.name}_rules`;
      await db.sql.unsafe(`create database "${ruled.name}" template template0 encoding 'UTF8' locale 'C' locale_provider icu icu_locale 'de-DE' icu_rules '&a < b'`);
    });
    afterAll(async () => {
      await db.sql.unsafe(`drop database if exists "${ruled.name}" with (force)`);
    });

    it('keeps the rules, quoted, in the scratch database', async () => {
      const url = new URL(db.url);
      url.pathname = `/${ruled.name}`;
      const live = await resolveConnection({ databaseUrl: url.toString(), env: {}, cwd: process.cwd() });
      const sql = connect(live, { max: 1 });
      try {
        const scratch = await createScratch(sql, live, { purpose: 'the test' });
        try {
          const [row] = await sql`select datlocprovider::text as provider, daticurules as rules from pg_database where datname = ${scratch.name}`;
          expect(row).toEqual({ provider: 'i', rules: '&a < b' });
        } finally {
          await scratch.drop();
        }
      } finally {
        await sql.end();
      }
    });
  });

  describe.skipIf(!client.ok)(client.ok ? 'backup' : `backup (${client.ok ? '' : client.reason})`, () => {
    beforeAll(async () => {
      expect((await runCli(['migrate', 'up'], { url: db.url })).code).toBe(0);
      const created = await runCli(['tenant', 'create', 'zoe', '--name', 'Zoë', '--plan', 'starter', '--owner-email', 'owner@zoe.test'], { url: db.url });
      expect(created.code, created.stderr).toBe(0);
    });

    it('verifies, and restores a tenant under a new name', async () => {
      const backup = join(work, 'b');
      const created = await runCli(['backup', 'create', '--out', backup, '--json'], { url: db.url });
      expect(created.code, created.stderr).toBe(0);
      const verified = await runCli(['backup', 'verify', backup, '--json'], { url: db.url });
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(JSON.parse(verified.stdout).faults).toEqual([]);
      const restored = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'zoe', '--as', 'zoe_copy', '--json'], { url: db.url });
      expect(restored.code, restored.stdout + restored.stderr).toBe(0);
      const [row] = await db.sql`select name from public.tenants where slug = 'zoe_copy'`;
      expect(row).toBeDefined();
    });
  });
});
