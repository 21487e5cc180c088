import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { embeddedUrl, startEmbedded, stopEmbedded } from '../../src/db/embedded.js';
import { binDirForMajor } from './pg-major.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}

/**
 * One real PostgreSQL for the whole run: TEST_DATABASE_URL when given, otherwise the same
 * embedded server `tenantctl db start` uses (or, with TEST_PG_MAJOR, the same build of
 * another major), in a throwaway folder, with durability off (a test cluster that dies is
 * simply recreated).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('adminUrl', process.env.TEST_DATABASE_URL);
    return async () => undefined;
  }
  const home = await mkdtemp(join(tmpdir(), 'tenantctl-test-'));
  const { state } = await startEmbedded({ home, binDir: await binDirForMajor(process.env.TEST_PG_MAJOR), extraConf: [
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_connections = 200',
      // Lets the monitor tests plant a forgotten two-phase transaction.
      'max_prepared_transactions = 10',
      // Every test database adds its own statements; at the default 5,000 the monitor tests'
      // single slow query can be evicted before they look for it.
      'pg_stat_statements.max = 50000',
      // Sizes, row estimates and dead-tuple counts are compared between two reads, and
      // autovacuum may run between them whenever a test's writes cross its thresholds (a free
      // space map added, rows re-estimated): tests that need statistics run ANALYZE themselves.
      'autovacuum = off',
      // PostgreSQL 16+: slots for roles with pg_use_reserved_connections, which ordinary roles
      // cannot use either; the monitor tests check the connection share leaves them out.
      ...(Number(process.env.TEST_PG_MAJOR) >= 16 ? ['reserved_connections = 4'] : []),
    ] });
  project.provide('adminUrl', embeddedUrl(state));
  return async () => {
    await stopEmbedded(home);
    await rm(home, { recursive: true, force: true });
    await rm(join(state.dataDir, '..'), { recursive: true, force: true });
  };
}
