import { describe, expect, it } from 'vitest';
import { defaultConcurrency, REMOTE_CONCURRENCY, serverIsLocal } from '../../src/migrate/concurrency.js';

describe('the default number of tenant workers', () => {
  it('knows a server on this machine: a Unix socket, localhost, any 127.x.y.z, ::1', () => {
    expect(serverIsLocal({ host: '/var/run/postgresql', socketPath: '/var/run/postgresql/.s.PGSQL.5432' })).toBe(true);
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) expect(serverIsLocal({ host }), host).toBe(true);
    for (const host of ['db.internal', '10.0.0.5', '127.0.0.1.example.com', '::2', '1270.0.0.1']) expect(serverIsLocal({ host }), host).toBe(false);
  });

  it("uses this machine's cores for a local server, at least 2 and at most 16", () => {
    expect(defaultConcurrency({ host: 'localhost' }, 1)).toBe(2);
    expect(defaultConcurrency({ host: '127.0.0.1' }, 2)).toBe(2);
    expect(defaultConcurrency({ host: '127.0.0.1' }, 6)).toBe(6);
    expect(defaultConcurrency({ host: '::1' }, 64)).toBe(16);
  });

  it('uses 8 for a server elsewhere, whatever this machine has', () => {
    expect(REMOTE_CONCURRENCY).toBe(8);
    expect(defaultConcurrency({ host: 'db.internal' }, 2)).toBe(8);
    expect(defaultConcurrency({ host: '10.0.0.5' }, 64)).toBe(8);
  });
});
