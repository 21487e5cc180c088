import { lstat, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { retentionMarkers, seedRetentionRows } from './support.js';

/** issue 12, item 3: a link planted at <archive-dir>/<schema> is refused, not followed. */
describe('maintain --archive-dir and a planted per-schema link', () => {
  let db: TestDatabase;
  let root: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    await addTenantRow(db.sql, 'acme');
    await migrateAll(db.sql);
    await seedRetentionRows(db.sql, 'tenant_acme');
    root = await mkdtemp(join(tmpdir(), 'tenantctl-archive-link-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('refuses the link with a clear error, writes nothing through it and deletes no row; a real folder works', async () => {
    const archive = join(root, 'archive');
    const elsewhere = join(root, 'elsewhere');
    await mkdir(archive, { mode: 0o700 });
    await mkdir(elsewhere);
    await symlink(elsewhere, join(archive, 'tenant_acme'));
    const before = await retentionMarkers(db.sql, 'tenant_acme');

    const r = await runCli(['maintain', '--only', 'retention', '--archive-dir', archive], { url: db.url });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(`${join(archive, 'tenant_acme')}: it is a symbolic link`);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(elsewhere)).toEqual([]);
    expect(await retentionMarkers(db.sql, 'tenant_acme')).toEqual(before);
    expect((await lstat(join(archive, 'tenant_acme'))).isSymbolicLink()).toBe(true);

    // The operator removes the link: the folder is created private and the run archives.
    await rm(join(archive, 'tenant_acme'));
    const ok = await runCli(['maintain', '--only', 'retention', '--archive-dir', archive, '--json'], { url: db.url });
    expect(ok.code, ok.stderr).toBe(0);
    const made = await lstat(join(archive, 'tenant_acme'));
    expect(made.isDirectory()).toBe(true);
    expect(made.mode & 0o777).toBe(0o700);
    expect((await readdir(join(archive, 'tenant_acme'))).length).toBeGreaterThan(0);
    expect(await readdir(elsewhere)).toEqual([]);

    // Nothing left to archive: a run makes no folder for it.
    const quiet = join(root, 'quiet');
    const again = await runCli(['maintain', '--only', 'retention', '--archive-dir', quiet, '--json'], { url: db.url });
    expect(again.code, again.stderr).toBe(0);
    expect(await readdir(quiet)).toEqual([]);
  });
});
