import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMigration } from '../../src/migrate/create.js';
import { loadAllMigrations } from '../../src/migrate/files.js';

const POOLED = { shared: 'imsop', tenant: null };
const FILE = '-- migrate:up\nselect 1;\n-- migrate:down\nselect 1;\n';

async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'layout-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

// The profile names its folders; a flat dbmate folder is the shared scope whatever the profile.
describe('migration folders of a profile', () => {
  it('follows symbolic links to files and folders (a ConfigMap mount), and refuses a dangling one rather than skip it', async () => {
    const real = await folderWith({ 'shared/0001_s.sql': FILE, 'tenant/0001_t.sql': FILE, 'loose/0002_s.sql': FILE });
    const dir = await mkdtemp(join(tmpdir(), 'layout-links-'));
    await symlink(join(real, 'shared'), join(dir, 'shared'));
    await mkdir(join(dir, 'tenant'));
    await symlink(join(real, 'tenant', '0001_t.sql'), join(dir, 'tenant', '0001_t.sql'));
    const files = await loadAllMigrations(dir);
    expect(files.shared.map((m) => m.version)).toEqual(['0001']);
    expect(files.tenant.map((m) => m.version)).toEqual(['0001']);
    // A link to nothing (a mount mid-update) would otherwise read as "up to date" without it.
    await symlink(join(real, 'gone.sql'), join(dir, 'tenant', '0002_gone.sql'));
    await expect(loadAllMigrations(dir)).rejects.toMatchObject({ code: 'MIGRATION_LINK_DANGLING' });
    // A flat dbmate folder of links is the shared scope.
    const flat = await mkdtemp(join(tmpdir(), 'layout-flat-'));
    await symlink(join(real, 'loose', '0002_s.sql'), join(flat, '0002_s.sql'));
    expect((await loadAllMigrations(flat)).shared.map((m) => m.version)).toEqual(['0002']);
  });

  it("a pooled profile reads its own folder beside commerce's, and has no tenant scope", async () => {
    const dir = await folderWith({ 'imsop/0001_a.sql': FILE, 'shared/0001_s.sql': FILE, 'tenant/0001_t.sql': FILE });
    const files = await loadAllMigrations(dir, POOLED);
    expect(files.shared.map((m) => m.path)).toEqual([join(dir, 'imsop', '0001_a.sql')]);
    expect(files.tenant).toEqual([]);
    const commerce = await loadAllMigrations(dir);
    expect([commerce.shared[0]!.path, commerce.tenant[0]!.path]).toEqual([join(dir, 'shared', '0001_s.sql'), join(dir, 'tenant', '0001_t.sql')]);
  });

  it('a flat dbmate folder is the shared scope of a pooled profile too', async () => {
    const dir = await folderWith({ '20240101120000_a.sql': FILE, 'seed.sql': 'insert' });
    const files = await loadAllMigrations(dir, POOLED);
    expect(files.shared.map((m) => m.version)).toEqual(['20240101120000']);
    expect(files.warnings.join('\n')).toContain('seed.sql: not a migration');
  });

  it('refuses --tenant-dir for a profile without tenant migrations, and loose files beside its folder', async () => {
    const dir = await folderWith({ 'imsop/0001_a.sql': FILE, '0002_loose.sql': FILE });
    await expect(loadAllMigrations(dir, POOLED, { tenantDir: dir })).rejects.toThrow(/--tenant-dir.*has none/);
    await expect(loadAllMigrations(dir, POOLED)).rejects.toThrow(/imsop\/ folders AND 1 migration file/);
  });

  it('migrate new writes into the profile folder, or into a flat dbmate folder itself', async () => {
    const split = await folderWith({ 'imsop/0007_a.sql': FILE });
    expect(await createMigration(split, 'shared', 'next', new Date(), 'imsop')).toBe(join(split, 'imsop', '0008_next.sql'));
    const flat = await folderWith({ '0003_a.sql': FILE });
    expect(await createMigration(flat, 'shared', 'next', new Date(), 'imsop')).toBe(join(flat, '0004_next.sql'));
  });
});
