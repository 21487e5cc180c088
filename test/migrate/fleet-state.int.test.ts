import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { loadAllMigrations } from '../../src/migrate/files.js';
import { readFleetState } from '../../src/migrate/state.js';
import { summarizeStatus, type StatusReport } from '../../src/migrate/status.js';
import { schemaPerTenant } from '../../src/tenancy/strategy.js';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';

/** The shipped shared schema (public.tenants) and two small tenant migrations, so 40 tenants build in seconds. */
async function smallFleetMigrations(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tenantctl-fleet-state-'));
  await cp(`${PACKAGE_ROOT}migrations/shared`, join(dir, 'shared'), { recursive: true });
  await mkdir(join(dir, 'tenant'));
  await writeFile(join(dir, 'tenant', '0001_items.sql'), '-- migrate:up\ncreate table items (id int primary key);\n-- migrate:down\ndrop table items;\n');
  await writeFile(join(dir, 'tenant', '0002_items_note.sql'), '-- migrate:up\nalter table items add column note text;\ncreate index items_note on items (note);\n-- migrate:down\ndrop index items_note;\nalter table items drop column note;\n');
  return dir;
}

const SLUGS = Array.from({ length: 40 }, (_, i) => `f${String(i).padStart(2, '0')}`);

/** `migrate status --json` as parsed: the report's own shape. */
type Status = Pick<StatusReport, 'tenants' | 'upToDate'>;

/** issue 19: status and a no-op `up` read the fleet in one statement and count the current tenants; nothing wrong may hide in the count. */
describe('fleet state: current tenants counted, every other one seen', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = (...args: string[]) => runCli([...args, '--migrations-dir', dir, '--json'], { url: db.url });
  const status = async (): Promise<Status> => {
    const r = await cli('migrate', 'status');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Status;
  };

  beforeAll(async () => {
    db = await createTestDatabase('fleetstate');
    dir = await smallFleetMigrations();
    await migrateAll(db.sql, dir);
    for (const slug of SLUGS) await addTenantRow(db.sql, slug);
    await migrateAll(db.sql, dir);
  });
  afterAll(async () => db?.drop());

  it('a current fleet: status counts all 40 at the newest file, and up has nothing to do', async () => {
    const s = await status();
    expect(s.upToDate).toBe(true);
    expect(s.tenants).toMatchObject({ total: 40, atLatest: 40, behind: [], failed: [], drifted: [], missingSchema: [], byVersion: [{ version: '0002', tenants: 40 }] });
    const up = await cli('migrate', 'up');
    expect(up.code, up.stderr).toBe(0);
    const report = JSON.parse(up.stdout);
    expect(report.summary).toMatchObject({ tenants: 40, applied: 0, upToDate: 40, failed: 0, skipped: 0 });
    expect(report.shared.outcome).toBe('up-to-date');
  });

  it('a no-op up records no run in the audit trail (nothing changed)', async () => {
    const runs = async () => Number((await db.sql`select count(*)::int as n from tenantctl.migration_runs`)[0]!.n);
    const before = await runs();
    const up = await cli('migrate', 'up');
    expect(up.code, up.stderr).toBe(0);
    expect(JSON.parse(up.stdout).summary).toMatchObject({ applied: 0, upToDate: 40 });
    expect(await runs()).toBe(before);
  });

  describe('with a tenant of each kind of trouble', () => {
    /** Rename a tenant's schema, with its registry row and bookkeeping. */
    const moveSchema = async (from: string, to: string) => {
      await db.sql`alter schema ${db.sql(from)} rename to ${db.sql(to)}`;
      await db.sql`update tenantctl.schema_migrations set schema_name = ${to} where schema_name = ${from}`;
      await db.sql`update public.tenants set schema_name = ${to} where schema_name = ${from}`;
    };
    beforeAll(async () => {
      // f01 lacks 0002 (column gone, no record): behind.
      await db.sql`alter table tenant_f01.items drop column note`;
      await db.sql`delete from tenantctl.schema_migrations where schema_name = 'tenant_f01' and version = '0002'`;
      // f02's last run failed (all versions recorded): failed, a dirty record.
      await db.sql`insert into tenantctl.schema_state (schema_name, scope, status, version, error) values ('tenant_f02', 'tenant', 'failed', '0002', '{"message": "boom"}') on conflict (schema_name) do update set status = 'failed', error = excluded.error`;
      // f03's 0001 ran from a file that has changed since: drift.
      await db.sql`update tenantctl.schema_migrations set checksum = 'edited' where schema_name = 'tenant_f03' and version = '0001'`;
      // f04's schema is gone.
      await db.sql`drop schema tenant_f04 cascade`;
      // f05's registry row names a schema that is not its own, fully migrated: it would pass for current.
      await moveSchema('tenant_f05', 'shop_f05');
      // f07 has a version newer than every file here.
      await db.sql`insert into tenantctl.schema_migrations (schema_name, scope, version, name, checksum, duration_ms) values ('tenant_f07', 'tenant', '0099', 'later', 'x', 1)`;
    });

    it('status names each one in its place; the 34 current ones are counted', async () => {
      const s = await status();
      expect(s.upToDate).toBe(false);
      const t = s.tenants;
      expect(t.total).toBe(40);
      expect(t.behind).toEqual([{ slug: 'f01', version: '0001', pending: ['0002'] }]);
      expect(t.failed.map((f) => [f.slug, f.failure.message])).toEqual([['f02', 'boom']]);
      // A version with no file here counts as drift too (migrate verify: "file missing").
      expect(t.drifted).toEqual([{ slug: 'f03', versions: ['0001'] }, { slug: 'f07', versions: ['0099'] }]);
      expect(t.missingSchema).toEqual(['f04']);
      expect(t.schemaMismatch).toEqual([{ slug: 'f05', registered: 'shop_f05', expected: 'tenant_f05', column: 'public.tenants.schema_name' }]);
      expect(t.ahead).toEqual([{ slug: 'f07', version: '0099' }]);
      // f02 and f03 stand at every file (failed / drifted, not behind); f01, f04, f05 and f07 do not.
      expect(t.atLatest).toBe(36);
      expect(t.byVersion).toEqual([{ version: '0001', tenants: 1 }, { version: '0002', tenants: 36 }, { version: '0099', tenants: 1 }]);
      // The terminal names what each behind tenant lacks, so a gap below the newest version shows.
      const text = await runCli(['migrate', 'status', '--migrations-dir', dir], { url: db.url });
      expect(text.stdout).toContain('behind: f01 (pending 0002)');
    });

    it('gives the same report as reading every tenant one by one', async () => {
      const files = await loadAllMigrations(dir);
      const counted = await readFleetState(db.sql, schemaPerTenant, files, 'public', { countCurrent: true });
      const listed = await readFleetState(db.sql, schemaPerTenant, files);
      expect(counted.current).toBe(34);
      expect(counted.tenants.map((x) => x.slug)).toEqual(['f01', 'f02', 'f03', 'f04', 'f05', 'f07']);
      expect(listed.tenants).toHaveLength(40);
      expect(summarizeStatus(counted, files)).toEqual(summarizeStatus(listed, files));
    });

    it('up refuses the whole run while a registry row names another tenant\'s schema or the database is ahead, and changes nothing', async () => {
      const up = await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url });
      expect(up.code).toBe(1);
      expect(up.stderr).toMatch(/f05|0099/);
      const cols = await db.sql`select 1 from information_schema.columns where table_schema = 'tenant_f01' and table_name = 'items' and column_name = 'note'`;
      expect(cols).toHaveLength(0);
    });

    it('with the registry row and the stray version put right, up migrates only the tenant that lacks 0002 and skips the missing schema', async () => {
      await moveSchema('shop_f05', 'tenant_f05');
      await db.sql`delete from tenantctl.schema_migrations where schema_name = 'tenant_f07' and version = '0099'`;
      const up = await cli('migrate', 'up');
      expect(up.code, up.stderr).toBe(0);
      const report = JSON.parse(up.stdout);
      expect(report.summary).toMatchObject({ tenants: 40, applied: 1, skipped: 1, failed: 0, upToDate: 38 });
      expect(report.tenants.find((x: { slug: string }) => x.slug === 'f01')).toMatchObject({ outcome: 'applied', versions: ['0002'] });
      expect(report.tenants.find((x: { slug: string }) => x.slug === 'f04')).toMatchObject({ outcome: 'skipped' });
      // f02's recorded failure is of nothing pending any more (it stands at every file): the run clears it.
      expect(report.tenants.find((x: { slug: string }) => x.slug === 'f02')).toMatchObject({ outcome: 'up-to-date', reason: expect.stringContaining('was cleared') });
      const s = await status();
      expect(s.tenants.behind).toEqual([]);
      expect(s.tenants.failed).toEqual([]);
      expect(s.tenants.drifted.map((d) => d.slug)).toEqual(['f03']);
    });
  });

  it('a refused file is named by status and up once it is pending (a current fleet reads only versions and checksums)', async () => {
    await writeFile(join(dir, 'tenant', '0003_commits.sql'), '-- migrate:up\ncreate table more (id int);\ncommit;\n-- migrate:down\ndrop table more;\n');
    for (const command of ['status', 'up']) {
      const r = await runCli(['migrate', command, '--migrations-dir', dir], { url: db.url });
      expect(r.code, command).toBe(1);
      expect(r.stderr, command).toContain('0003_commits.sql:3:1');
    }
    expect(await db.sql`select 1 from pg_tables where tablename = 'more'`).toHaveLength(0);
  });
});
