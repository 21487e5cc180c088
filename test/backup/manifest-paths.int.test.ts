import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readManifest, writeManifest, type Manifest } from '../../src/backup/manifest.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { buildPlatform, copyBackup } from './helpers.js';

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

/** Edit a manifest and seal it again: the seal is a sha256 of the body, which anyone can recompute. */
async function reseal(backup: string, edit: (m: Manifest) => void): Promise<void> {
  const { manifest } = await readManifest(backup);
  edit(manifest);
  const { checksum: _old, ...body } = manifest;
  await rm(join(backup, 'manifest.json'));
  await writeManifest(backup, body);
}

/**
 * A manifest names the files verify and restore-tenant read. Edited to name a file outside its
 * folder (and re-sealed), it must be refused before anything reads that file.
 */
describe.skipIf(!client.ok)(client.ok ? 'manifest paths stay inside the backup folder' : `manifest paths stay inside the backup folder (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  let backup: string;
  let evil: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-manifest-paths-'));
    db = await createTestDatabase('bkpaths');
    await buildPlatform(db, ['acme', 'globex']);
    backup = join(work, 'good');
    const created = await runCli(['backup', 'create', '--out', backup, '--format', 'custom', '--json'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    // The attacker's archive: a real one, so that a restore that read it would succeed.
    const { manifest } = await readManifest(backup);
    evil = join(work, 'evil.dump');
    await copyFile(join(backup, manifest.chunks.at(-1)!.path), evil);
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('verify refuses a chunk path that climbs out with "..", reading nothing of it', async () => {
    const copy = await copyBackup(backup, join(work, 'dotdot'));
    const escape = relative(join(copy, 'chunks'), evil);
    await reseal(copy, (m) => {
      m.chunks.at(-1)!.path = `chunks/${escape}`;
    });
    const result = await runCli(['backup', 'verify', copy, '--json'], { url: db.url });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain('climbs out with ".."');
    expect(result.stderr).toContain('a backup\'s manifest may only name files inside its own folder');
  });

  it('restore-tenant refuses a file path that is absolute', async () => {
    const copy = await copyBackup(backup, join(work, 'absolute'));
    await reseal(copy, (m) => {
      m.files[0]!.path = evil;
    });
    const result = await runCli(['backup', 'restore-tenant', copy, '--tenant', 'acme', '--as', 'acme_copy', '--json'], { url: db.url });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain('which is absolute');
  });

  it('verify refuses an archive that is a symlink leading out of the folder', async () => {
    const copy = await copyBackup(backup, join(work, 'symlink'));
    const { manifest } = await readManifest(copy);
    const chunk = join(copy, manifest.chunks.at(-1)!.path);
    await rm(chunk);
    await symlink(evil, chunk);
    const result = await runCli(['backup', 'verify', copy, '--json'], { url: db.url });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain('leads through a symlink to');
  });

  it('verify refuses a symlink leading out that sits in a directory archive, listed in the manifest or not', async () => {
    const dir = join(work, 'dir-format');
    const created = await runCli(['backup', 'create', '--out', dir, '--format', 'directory', '--json'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    const { manifest } = await readManifest(dir);
    await symlink(evil, join(dir, manifest.chunks.at(-1)!.path, '9999.dat.gz'));
    const result = await runCli(['backup', 'verify', dir, '--json'], { url: db.url });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain('is a symlink leading to');
  });

  it('verify of an incomplete manifest says which field is missing, not a JavaScript error', async () => {
    const copy = await copyBackup(backup, join(work, 'incomplete'));
    await writeFile(join(copy, 'manifest.json'), '{"format":"tenantctl-backup/1"}\n');
    const result = await runCli(['backup', 'verify', copy], { url: db.url });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toContain('manifest.json is incomplete or damaged: id is missing (expected a string)');
    expect(result.stderr).not.toMatch(/Cannot read properties|This was not expected/);
  });
});
