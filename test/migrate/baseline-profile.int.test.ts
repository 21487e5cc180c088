import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrationFolder } from '../../src/migrate/files.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const IMSOP = fileURLToPath(new URL('../../migrations/imsop', import.meta.url));

/** The IMSOP schema as the application (or another tool) built it: the baseline's DDL, no tenantctl bookkeeping. */
async function builtByTheApplication(db: TestDatabase): Promise<void> {
  const { migrations } = await loadMigrationFolder(IMSOP, 'shared');
  await db.sql.unsafe(migrations[0]!.up.sql).simple();
}

const recordedProfile = async (db: TestDatabase) =>
  ((await db.sql`select to_regclass('tenantctl.profile') is not null as has`)[0] as { has: boolean }).has
    ? ((await db.sql`select name from tenantctl.profile`) as unknown as { name: string }[]).map((r) => r.name)
    : [];

describe('migrate baseline and adopt follow the profile', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it("--profile imsop checks the live schema against IMSOP's own baseline, records it and the profile", async () => {
    await builtByTheApplication(db);
    const baseline = await runCli(['--profile', 'imsop', 'migrate', 'baseline', '--json'], { url: db.url });
    expect(baseline.code, baseline.stderr).toBe(0);
    const report = JSON.parse(baseline.stdout);
    expect(report).toMatchObject({ ok: true, version: '0001', alreadyRecorded: false });
    expect(report.file).toContain('imsop');
    expect(report.checked.tables).toBeGreaterThan(10);
    expect(await recordedProfile(db)).toEqual(['imsop']);

    // No flag needed any more: status is the IMSOP folder's, with the baseline applied.
    const status = await runCli(['migrate', 'status', '--json'], { url: db.url });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(status.stdout))).toContain('0002');
    const up = await runCli(['migrate', 'up', '--json'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    const versions = (await db.sql`select version from tenantctl.schema_migrations where schema_name = 'public' order by version`).map((r) => r.version);
    expect(versions).toEqual(['0001', '0002', '0003']);

    // A later command that names another profile is refused, naming both.
    const wrong = await runCli(['--profile', 'commerce', 'migrate', 'status'], { url: db.url });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/imsop/);
    expect(wrong.stderr).toMatch(/commerce/);
  });

  it("the commerce baseline on an IMSOP database records nothing and lists the differences", async () => {
    await builtByTheApplication(db);
    const baseline = await runCli(['migrate', 'baseline'], { url: db.url });
    expect(baseline.code).toBe(1);
    expect(baseline.stdout).toContain('NOT recorded');
    expect(baseline.stdout).toContain('missing table');
    expect(await recordedProfile(db)).toEqual([]);
    expect((await db.sql`select to_regclass('tenantctl.schema_migrations') is null or not exists (select 1 from tenantctl.schema_migrations) as empty`)[0]!.empty).toBe(true);
  });

  it('adopt --from dbmate records the ledger against the profile and its migrations', async () => {
    await builtByTheApplication(db);
    await db.sql.unsafe("create table public.schema_migrations (version varchar primary key); insert into public.schema_migrations values ('0001')").simple();
    const adopt = await runCli(['--profile', 'imsop', 'migrate', 'adopt', '--from', 'dbmate', '--json'], { url: db.url });
    expect(adopt.code, adopt.stderr).toBe(0);
    expect(JSON.parse(adopt.stdout)).toMatchObject({ adopted: ['0001'], pending: ['0002', '0003'] });
    expect(await recordedProfile(db)).toEqual(['imsop']);
  });
});
