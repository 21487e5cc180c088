import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { copyBackup, editManifestByHand } from './helpers.js';
import { backupClientStatus } from '../support/pg-client.js';

const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString();

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

describe.skipIf(!client.ok)(client.ok ? 'backup prune' : `backup prune (${client.reason})`, () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tenantctl-prune-test-'));
    db = await createTestDatabase('pr');
    await migrateAll(db.sql);
    // One real backup, verified; the others are copies of it under new ids and older dates.
    const created = await runCli(['backup', 'create', '--dir', dir, '--json'], { url: db.url });
    if (created.code !== 0) throw new Error(created.stderr);
    const verified = JSON.parse(created.stdout).path as string;
    const check = await runCli(['backup', 'verify', verified], { url: db.url });
    if (check.code !== 0) throw new Error(check.stdout + check.stderr);
    await copyBackup(verified, join(dir, 'old-unverified'));
    await editManifestByHand(join(dir, 'old-unverified'), (m) => Object.assign(m, { id: randomUUID(), createdAt: daysAgo(50) }));
    await copyBackup(verified, join(dir, 'recent'));
    await editManifestByHand(join(dir, 'recent'), (m) => Object.assign(m, { id: randomUUID(), createdAt: daysAgo(1) }));
    await editManifestByHand(verified, (m) => Object.assign(m, { createdAt: daysAgo(60) }));
    await mkdir(join(dir, 'unfinished'));
  });
  afterAll(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('--dry-run lists what would go and deletes nothing', async () => {
    const result = await runCli(['backup', 'prune', '--dir', dir, '--keep-days', '30', '--dry-run', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.deleted).toEqual([join(dir, 'old-unverified')]);
    expect((await readdir(dir)).length).toBe(4);
  });

  it('needs --yes without a terminal', async () => {
    const result = await runCli(['backup', 'prune', '--dir', dir, '--keep-days', '30'], { url: db.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pass --yes');
    expect((await readdir(dir)).length).toBe(4);
  });

  it('--keep-last keeps the newest N whatever their age', async () => {
    const result = await runCli(['backup', 'prune', '--dir', dir, '--keep-days', '30', '--keep-last', '3', '--yes', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).deleted).toEqual([]);
  });

  it('deletes old backups but never the newest verified one, and leaves unfinished folders alone', async () => {
    const result = await runCli(['backup', 'prune', '--dir', dir, '--keep-days', '30', '--yes'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/newest verified backup: always kept/);
    expect(result.stdout).toMatch(/deleted 1 backup\(s\)/);
    const left = (await readdir(dir)).sort();
    expect(left).not.toContain('old-unverified');
    expect(left).toContain('recent');
    expect(left).toContain('unfinished');
    expect(left.length).toBe(3);
    const log = JSON.parse((await runCli(['backup', 'log', '--json'], { url: db.url })).stdout);
    expect(log[0]).toMatchObject({ action: 'prune', ok: true, summary: { deleted: [join(dir, 'old-unverified')] } });
  });
});

describe.skipIf(!client.ok)(client.ok ? 'backup prune of a folder shared by two databases' : `backup prune of a folder shared by two databases (${client.reason})`, () => {
  let ours: TestDatabase;
  let theirs: TestDatabase;
  let dir: string;
  let theirBackup: string;
  let ourBackup: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tenantctl-prune-shared-'));
    ours = await createTestDatabase('pro');
    theirs = await createTestDatabase('prt');
    await migrateAll(ours.sql);
    await migrateAll(theirs.sql);
    const mine = await runCli(['backup', 'create', '--dir', dir, '--json'], { url: ours.url });
    if (mine.code !== 0) throw new Error(mine.stderr);
    ourBackup = JSON.parse(mine.stdout).path as string;
    // Their only backup, verified, and old: the one a prune by age would pick first.
    const other = await runCli(['backup', 'create', '--dir', dir, '--json'], { url: theirs.url });
    if (other.code !== 0) throw new Error(other.stderr);
    theirBackup = JSON.parse(other.stdout).path as string;
    const check = await runCli(['backup', 'verify', theirBackup], { url: theirs.url });
    if (check.code !== 0) throw new Error(check.stdout + check.stderr);
    await editManifestByHand(theirBackup, (m) => Object.assign(m, { createdAt: daysAgo(90) }));
    // A database of the same name on another server (another system identifier).
    await copyBackup(JSON.parse(mine.stdout).path as string, join(dir, 'same-name-other-server'));
    await editManifestByHand(join(dir, 'same-name-other-server'), (m) => Object.assign(m, { id: randomUUID(), createdAt: daysAgo(90), source: { ...m.source!, systemIdentifier: '1234567890' } }));
  });
  afterAll(async () => {
    await ours.drop();
    await theirs.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the other databases\' backups as not ours and deletes none of them, whatever --keep-last', async () => {
    const result = await runCli(['backup', 'prune', '--dir', dir, '--keep-days', '0', '--keep-last', '0', '--yes', '--json'], { url: ours.url });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    const byPath = new Map(report.backups.map((b: { path: string; action: string }) => [b.path, b.action]));
    expect(byPath.get(theirBackup)).toBe('not ours');
    expect(byPath.get(join(dir, 'same-name-other-server'))).toBe('not ours');
    // Only ours may go (unverified, and --keep-last 0 asked for it).
    expect(report.deleted).toEqual([ourBackup]);
    const left = (await readdir(dir)).sort();
    expect(left).toEqual([theirBackup.split('/').at(-1), 'same-name-other-server'].sort());
  });

  it('from the other database, its only verified backup is kept however old, and ours are not its to delete', async () => {
    const result = await runCli(['backup', 'prune', '--dir', dir, '--keep-days', '30', '--yes'], { url: theirs.url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/newest verified backup: always kept/);
    expect(result.stdout).toMatch(/deleted 0 backup\(s\)/);
    expect(result.stdout).toContain("not ours");
    expect((await readdir(dir)).length).toBe(2);
  });
});

describe.skipIf(!client.ok)(client.ok ? 'backup prune of the nightly --out folder, which holds the later nights inside the first' : `backup prune of the nightly --out folder (${client.reason})`, () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tenantctl-prune-nested-'));
    db = await createTestDatabase('prn');
    await migrateAll(db.sql);
  });
  afterAll(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('deleting the first night\'s backup removes only its own files; the newer, verified backup inside its folder stays and still verifies', async () => {
    const nightly = join(dir, 'nightly');
    const first = await runCli(['backup', 'create', '--out', nightly, '--json'], { url: db.url });
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(['backup', 'create', '--out', nightly, '--json'], { url: db.url });
    expect(second.code, second.stderr).toBe(0);
    const inner = JSON.parse(second.stdout).path as string;
    expect(inner.startsWith(`${nightly}/`)).toBe(true);
    expect((await runCli(['backup', 'verify', inner], { url: db.url })).code).toBe(0);
    // The first night is old; the second is the newest verified backup.
    await editManifestByHand(nightly, (m) => Object.assign(m, { createdAt: daysAgo(40) }));

    const dry = JSON.parse((await runCli(['backup', 'prune', '--dir', dir, '--keep-days', '30', '--keep-last', '0', '--dry-run', '--json'], { url: db.url })).stdout);
    expect(dry.backups.map((b: { path: string; action: string }) => [b.path, b.action])).toEqual([[nightly, 'delete'], [inner, 'keep']]);
    const human = await runCli(['backup', 'prune', '--dir', dir, '--keep-days', '30', '--keep-last', '0', '--dry-run'], { url: db.url });
    expect(human.stdout).toContain('the 1 backup(s) inside its folder stay');

    const result = await runCli(['backup', 'prune', '--dir', dir, '--keep-days', '30', '--keep-last', '0', '--yes', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).deleted).toEqual([nightly]);
    expect(await readdir(nightly)).toEqual([inner.split('/').at(-1)]);
    expect((await runCli(['backup', 'verify', inner], { url: db.url })).code).toBe(0);
    // The next night still nests inside the folder, beside the kept backup.
    const third = await runCli(['backup', 'create', '--out', nightly, '--json'], { url: db.url });
    expect(third.code, third.stderr).toBe(0);
    expect((await readdir(nightly)).length).toBe(2);
  });

  it('--dir may name the nightly folder itself: it is the first night\'s backup, its own folders are not listed, and it stays a folder', async () => {
    const nightly = join(dir, 'nightly-root');
    expect((await runCli(['backup', 'create', '--out', nightly, '--json'], { url: db.url })).code).toBe(0);
    const second = await runCli(['backup', 'create', '--out', nightly, '--json'], { url: db.url });
    expect(second.code, second.stderr).toBe(0);
    const inner = JSON.parse(second.stdout).path as string;
    expect((await runCli(['backup', 'verify', inner], { url: db.url })).code).toBe(0);
    await editManifestByHand(nightly, (m) => Object.assign(m, { createdAt: daysAgo(40) }));

    const dry = JSON.parse((await runCli(['backup', 'prune', '--dir', nightly, '--keep-days', '30', '--keep-last', '0', '--dry-run', '--json'], { url: db.url })).stdout);
    expect(dry.backups.map((b: { path: string; action: string }) => [b.path, b.action])).toEqual([[nightly, 'delete'], [inner, 'keep']]);
    const result = await runCli(['backup', 'prune', '--dir', nightly, '--keep-days', '30', '--keep-last', '0', '--yes', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).deleted).toEqual([nightly]);
    expect(await readdir(nightly)).toEqual([inner.split('/').at(-1)]);
    expect((await runCli(['backup', 'verify', inner], { url: db.url })).code).toBe(0);
  });
});
