import { describe, expect, it } from 'vitest';
import { comparePooledRows } from '../../src/backup/pooled/section.js';

const org = (id: string, handle: string, rows: Record<string, number>) => ({ id, handle, rows });

describe('comparePooledRows: the manifest\'s rows per organization against the restored copy', () => {
  it('finds nothing when every organization has the same rows per table (a table without rows counts as 0)', () => {
    const manifest = [org('a', 'Acme', { users: 2, products: 3 }), org('b', 'Borealis', {})];
    const restored = [org('b', 'Borealis', { products: 0 }), org('a', 'Acme', { products: 3, users: 2 })];
    expect(comparePooledRows(manifest, restored)).toEqual([]);
  });

  it('names the organization and table whose count differs, with both counts', () => {
    const faults = comparePooledRows([org('a', 'Acme', { users: 2, products: 3 })], [org('a', 'Acme', { users: 2, products: 2, roles: 1 })]);
    expect(faults).toEqual([
      { check: 'tenant-rows', object: 'Acme.products', message: 'organization Acme has 2 row(s) in products in the restored copy, the manifest says 3' },
      { check: 'tenant-rows', object: 'Acme.roles', message: 'organization Acme has 1 row(s) in roles in the restored copy, the manifest says 0' },
    ]);
  });

  it('names an organization missing from the restored copy, and one the manifest does not know', () => {
    const faults = comparePooledRows([org('a', 'Acme', { users: 1 })], [org('c', 'Cobalt', { users: 1 })]);
    expect(faults.map((f) => f.object)).toEqual(['Acme', 'Cobalt']);
    expect(faults[0]!.message).toContain('missing from the restored copy');
    expect(faults[1]!.message).toContain('not in the manifest');
  });
});
