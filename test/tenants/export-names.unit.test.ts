import { describe, expect, it } from 'vitest';
import { exportFileNamer } from '../../src/tenants/export-names.js';

describe('exportFileNamer', () => {
  it('keeps each name one file in its folder, distinct names distinct', () => {
    const name = exportFileNamer();
    expect(name('tenant', '/tmp/enc/abs')).toBe('tenant/%2Ftmp%2Fenc%2Fabs.csv');
    expect(name('tenant', '%2Ftmp%2Fenc%2Fabs')).toBe('tenant/%252Ftmp%252Fenc%252Fabs.csv');
    expect(name('tenant', '..')).toBe('tenant/%2E..csv');
    expect(name('tenant', '.hidden')).toBe('tenant/%2Ehidden.csv');
    expect(name('tenant', 'a\\b\0c')).toBe('tenant/a%5Cb%00c.csv');
    expect(name('shared', 'public', 'orders.v2')).toBe('shared/public.orders.v2.csv');
    expect(name('shared', '.x', '/y')).toBe('shared/%2Ex.%2Fy.csv');
  });

  it('gives a name that clashes (folders that ignore case) a ~n suffix', () => {
    const name = exportFileNamer();
    expect([name('tenant', 'orders'), name('tenant', 'Orders'), name('tenant', 'ORDERS'), name('shared', 'orders')]).toEqual(['tenant/orders.csv', 'tenant/Orders~2.csv', 'tenant/ORDERS~3.csv', 'shared/orders.csv']);
  });
});
