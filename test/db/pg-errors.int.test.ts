import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainDatabaseError } from '../../src/db/pg-errors.js';
import { TenantctlError } from '../../src/errors.js';
import { BUILTIN_PROFILES } from '../../src/tenancy/profiles/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * "The tenant registry is missing" is recognised from the profile's own registry, for every
 * profile: a query on a database that lacks it fails with the server's real error, and the
 * explanation names that profile's registry (and only it: another profile's table is just a
 * missing table).
 */
describe('a missing tenant registry is named from the profile', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('pg_errors');
  });
  afterAll(async () => db.drop());

  /** The server's own error for reading `relation` in this (empty) database. */
  const missing = (relation: string): Promise<unknown> => db.sql.unsafe(`select 1 from ${relation}`).then(() => undefined, (error: unknown) => error);

  for (const profile of BUILTIN_PROFILES) {
    it(`${profile.name}: its registry ${profile.registry.schema}.${profile.registry.table} is REGISTRY_MISSING, with what to do`, async () => {
      const { schema, table } = profile.registry;
      for (const relation of [`"${schema}"."${table}"`, `"${table}"`]) {
        const explained = explainDatabaseError(await missing(relation), undefined, [profile.registry]);
        expect(explained).toBeInstanceOf(TenantctlError);
        expect(explained).toMatchObject({ code: 'REGISTRY_MISSING', message: `The tenant registry table ${schema}.${table} is missing in this database.` });
        expect((explained as TenantctlError).hint).toContain('run `tenantctl migrate up` first');
      }
      // Another profile's registry is not this profile's: a table like any other.
      const other = BUILTIN_PROFILES.map((p) => p.registry).find((r) => r.table !== table)!;
      expect(explainDatabaseError(await missing(`"${other.schema}"."${other.table}"`), undefined, [profile.registry])).toMatchObject({ code: 'TABLE_MISSING' });
    });
  }
});

describe('a lock timeout', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pg_lock_timeout');
    await db.sql`create table held (id int)`;
  });
  afterAll(async () => db.drop());

  it('is LOCK_TIMEOUT, saying what it waited for and how to see who holds it', async () => {
    const holder = await db.sql.reserve();
    try {
      await holder`begin`;
      await holder`lock table held in access exclusive mode`;
      const error = await db.sql.begin(async (tx) => {
        await tx`set local lock_timeout = '100ms'`;
        await tx`select * from held`;
      }).then(() => undefined, (e: unknown) => e);
      const explained = explainDatabaseError(error);
      expect(explained).toBeInstanceOf(TenantctlError);
      expect(explained).toMatchObject({ code: 'LOCK_TIMEOUT', message: expect.stringMatching(/Gave up waiting for a lock/), hint: expect.stringMatching(/pg_blocking_pids/) });
    } finally {
      await holder`rollback`;
      holder.release();
    }
  });
});
