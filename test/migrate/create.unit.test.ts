import { lstat, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMigration } from '../../src/migrate/create.js';

describe('migrate new', () => {
  const now = new Date('2024-05-01T10:00:00Z');

  it('creates the next numbered file privately, in a new 0700 folder when there is none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    const path = await createMigration(dir, 'tenant', 'Add orders source', now);
    expect(path).toBe(join(dir, 'tenant', '0001_add_orders_source.sql'));
    expect(await readFile(path, 'utf8')).toContain('-- migrate:up');
    expect((await lstat(path)).mode & 0o777).toBe(0o600);
    expect((await lstat(join(dir, 'tenant'))).mode & 0o777).toBe(0o700);
  });
});
