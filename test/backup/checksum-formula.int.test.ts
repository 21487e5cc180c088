import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChecksumFormula } from '../../src/backup/checksums.js';
import { readManifest, writeManifest, type Manifest } from '../../src/backup/manifest.js';
import { findTool } from '../../src/backup/tools.js';
import { resolveConnection, type ConnectionConfig } from '../../src/db/config.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { buildPlatform, copyBackup, editManifestByHand } from './helpers.js';

// The built module, as the CLI runs it: psql runs under dist/backup/tool-guard.js, which only the build makes.
const { tableChecksums } = (await import('../../dist/backup/checksums.js')) as typeof import('../../src/backup/checksums.js');
// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

describe.skipIf(!client.ok)(client.ok ? 'backup checksum formulas' : `backup checksum formulas (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  let connection: ConnectionConfig;
  let figures: (formula: ChecksumFormula) => Promise<{ rows: number; checksum: string }>;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-checksum-formula-'));
    db = await createTestDatabase('bcsf');
    await buildPlatform(db, ['acme', 'globex']);
    // A table of its own for the row-level changes: ten rows, two columns that can trade values.
    await db.sql`create schema probe`;
    await db.sql`create table probe.items (id int primary key, name text, qty int)`;
    await db.sql`insert into probe.items select g, 'item ' || g, g * 10 from generate_series(1, 10) g`;
    await db.sql`create schema probe_saved`;
    connection = await resolveConnection({ databaseUrl: db.url, env: {}, cwd: process.cwd() });
    const psql = await findTool('psql', { env: process.env });
    figures = async (formula) => {
      const all = await tableChecksums(psql, connection, ['probe'], { formula, env: process.env, what: 'test checksums' });
      expect(all.map((f) => f.table)).toEqual(['items']);
      return { rows: all[0]!.rows, checksum: all[0]!.checksum };
    };
  });
  afterAll(async () => {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  // Every change keeps or restores the row count where it can, so only the checksum tells:
  // a formula that counted rows alone (or summed columns apart) would fail these.
  const changes: [string, string][] = [
    ['a changed value', `update probe.items set qty = qty + 1 where id = 3`],
    ['a value swapped between two rows', `update probe.items set name = case id when 4 then 'item 5' else 'item 4' end where id in (4, 5)`],
    ['a row duplicated in place of another', `delete from probe.items where id = 7; insert into probe.items values (7, 'item 6', 60)`],
    ['a missing row', `delete from probe.items where id = 9`],
  ];

  for (const formula of ['hashtext', 'md5'] as const) {
    it(`${formula}: same rows in another physical order give the same figures; each change gives other ones`, async () => {
      const before = await figures(formula);
      expect(before.rows).toBe(10);
      expect(before.checksum).toMatch(formula === 'hashtext' ? /^-?\d+\/-?\d+$/ : /^[0-9a-f]{32}$/);
      // Every row rewritten (new physical places, same content): nothing changes.
      await db.sql.unsafe(`update probe.items set qty = qty`);
      expect(await figures(formula)).toEqual(before);
      for (const [what, change] of changes) {
        await db.sql.unsafe(`create table probe_saved.items as select * from probe.items`);
        await db.sql.unsafe(change);
        const changed = await figures(formula);
        expect(changed.checksum, what).not.toBe(before.checksum);
        // Put back in reverse order: the figures do not depend on where rows sit.
        await db.sql.unsafe(`truncate probe.items; insert into probe.items select * from probe_saved.items order by id desc; drop table probe_saved.items`);
        expect(await figures(formula), `${what}, undone`).toEqual(before);
      }
    });
  }

  it('new backups name the hashtext formula; a backup with md5 figures and no formula (an older tenantctl) still verifies, and the figures are checked with md5', async () => {
    const backup = join(work, 'current');
    const created = await runCli(['backup', 'create', '--out', backup, '--json'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    const { manifest } = await readManifest(backup);
    expect(manifest.checksumFormula).toBe('hashtext');

    // The same backup as an older tenantctl wrote it: md5 figures of the same data, no
    // formula field, sealed again under a new id (no creation record to compare with).
    const psql = await findTool('psql', { env: process.env });
    const md5 = await tableChecksums(psql, connection, [...new Set(manifest.tables.map((t) => t.schema))], { formula: 'md5', env: process.env, what: 'md5 figures' });
    const byKey = new Map(md5.map((f) => [`${f.schema}.${f.table}`, f.checksum]));
    const old = await copyBackup(backup, join(work, 'old'));
    const { checksum: _seal, checksumFormula: _formula, ...body } = manifest;
    const oldBody: Omit<Manifest, 'checksum'> = { ...body, id: randomUUID(), tables: manifest.tables.map((t) => ({ ...t, checksum: byKey.get(`${t.schema}.${t.table}`)! })) };
    expect(oldBody.tables.every((t) => /^[0-9a-f]{32}$/.test(t.checksum))).toBe(true);
    await rm(join(old, 'manifest.json'));
    await writeManifest(old, oldBody);
    const verified = await runCli(['backup', 'verify', old, '--json'], { url: db.url });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const report = JSON.parse(verified.stdout);
    expect(report.checks.find((c: { check: string }) => c.check === 'tables')).toMatchObject({ status: 'ok' });

    // Named with the wrong formula, the very same figures fail: verify uses the one named.
    const mislabelled = await copyBackup(old, join(work, 'mislabelled'));
    await rm(join(mislabelled, 'manifest.json'));
    await writeManifest(mislabelled, { ...oldBody, id: randomUUID(), checksumFormula: 'hashtext' });
    const wrong = await runCli(['backup', 'verify', mislabelled, '--json'], { url: db.url });
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).checks.find((c: { check: string }) => c.check === 'tables')).toMatchObject({ status: 'failed', detail: expect.stringMatching(/content checksum differs/) });
  });

  it('refuses a manifest naming a formula it does not know', async () => {
    const backup = join(work, 'unknown');
    const created = await runCli(['backup', 'create', '--out', backup, '--json'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    await editManifestByHand(backup, (m) => ((m as unknown as Record<string, unknown>).checksumFormula = 'sha3-rows'));
    const result = await runCli(['backup', 'verify', backup, '--json'], { url: db.url });
    expect(result.code).not.toBe(0);
    expect(result.stderr + result.stdout).toMatch(/BACKUP_BAD_MANIFEST[\s\S]*sha3-rows/);
  });
});
