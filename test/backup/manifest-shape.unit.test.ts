import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifest } from '../../src/backup/manifest.js';

describe('readManifest of an incomplete manifest', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tenantctl-manifest-shape-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const read = async (manifest: unknown) => {
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    return readManifest(dir);
  };
  const complete = {
    format: 'tenantctl-backup/1',
    id: 'b1',
    createdAt: '2026-11-30T00:00:00.000Z',
    database: 'app',
    tool: { name: 'pg_dump', version: '15.18', major: 15 },
    chunks: [{ name: 'chunk-000', path: 'chunks/chunk-000.dump', kind: 'base', schemas: ['public'], tables: 1 }],
    tables: [{ schema: 'public', table: 'tenants', chunk: 'chunk-000', rows: 1, checksum: '1/2' }],
    tenants: [],
    files: [{ path: 'chunks/chunk-000.dump', bytes: 10, sha256: 'ab' }],
    checksum: 'x',
  };

  it('names the first missing field, with no JavaScript error', async () => {
    await expect(read({ format: 'tenantctl-backup/1' })).rejects.toMatchObject({ code: 'BACKUP_BAD_MANIFEST', message: expect.stringContaining('is incomplete or damaged: id is missing (expected a string)') });
    const { chunks: _c, ...noChunks } = complete;
    await expect(read(noChunks)).rejects.toMatchObject({ message: expect.stringContaining('chunks is missing (expected an array)') });
  });

  it('names a field of the wrong kind, down to the array item', async () => {
    await expect(read({ ...complete, files: [{ path: 'a', bytes: '10', sha256: 'ab' }] })).rejects.toMatchObject({ message: expect.stringContaining('files[0].bytes is a string, expected a number') });
    await expect(read({ ...complete, chunks: [{ ...complete.chunks[0], kind: 'other' }] })).rejects.toMatchObject({ message: expect.stringContaining('chunks[0].kind is "other", expected one of "base", "schemas"') });
    await expect(read({ ...complete, tenants: null })).rejects.toMatchObject({ message: expect.stringContaining('tenants is null, expected an array') });
  });

  it('checks a pooled section when there is one: its tenants, tables and declarations', async () => {
    const pooled = { profile: 'prometric', schema: 'public', declarations: { registry: { table: 'organizations', key: 'id', handle: 'bin' } }, tables: [{ table: 'organizations', class: 'registry', ownerPath: 'organizations.id' }], tenants: [{ id: 'a', handle: '1', rows: { organizations: 1 } }] };
    expect((await read({ ...complete, pooled })).manifest.pooled?.profile).toBe('prometric');
    const { tenants: _t, ...noTenants } = pooled;
    await expect(read({ ...complete, pooled: noTenants })).rejects.toMatchObject({ message: expect.stringContaining('pooled.tenants is missing (expected an array)') });
    await expect(read({ ...complete, pooled: { ...pooled, declarations: null } })).rejects.toMatchObject({ message: expect.stringContaining('pooled.declarations is null, expected an object') });
  });

  it('reads a complete one', async () => {
    const { manifest } = await read(complete);
    expect(manifest.id).toBe('b1');
  });
});
