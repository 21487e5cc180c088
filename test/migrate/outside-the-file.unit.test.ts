import { describe, expect, it } from 'vitest';
import { outsideTheFile } from '../../src/migrate/section.js';

describe('outsideTheFile: failures that are the server\'s, not the migration file\'s', () => {
  it('names serialization failures, deadlocks, lock and statement timeouts, shutdowns, resources and broken connections', () => {
    expect(outsideTheFile('40001')).toMatch(/serialization/);
    expect(outsideTheFile('40P01')).toMatch(/deadlock/);
    expect(outsideTheFile('55P03')).toMatch(/lock_timeout/);
    expect(outsideTheFile('57014')).toMatch(/statement_timeout/);
    expect(outsideTheFile('57P01')).toMatch(/shut down/);
    expect(outsideTheFile('53100')).toMatch(/disk/);
    expect(outsideTheFile('08006')).toMatch(/connection/);
  });

  it('leaves the file at fault for everything else: syntax, missing objects, constraint violations', () => {
    for (const code of ['42601', '42P01', '23505', '42703', '0A000', undefined]) expect(outsideTheFile(code), String(code)).toBeUndefined();
  });
});
