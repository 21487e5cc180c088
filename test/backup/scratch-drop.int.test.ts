import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '../../src/backup/scratch.js';
import { resolveConnection } from '../../src/db/config.js';
import { connect, type Sql } from '../../src/db/connect.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * Dropping a scratch database as a role that is neither superuser nor in pg_signal_backend
 * (backup verify and restore-tenant run as the application's owner role): WITH (FORCE) may not
 * end an autovacuum worker such a role does not own, so the plain DROP goes first, and FORCE
 * only ends sessions that stay.
 */
describe('dropDatabase as a role without superuser', () => {
  let db: TestDatabase;
  let owner: Sql;
  const role = `dropper_${randomBytes(4).toString('hex')}`;
  const as = (database: string) => {
    const url = new URL(db.url);
    url.username = role;
    url.password = 'drop-it';
    url.pathname = `/${database}`;
    return url.toString();
  };
  const pool = async (database: string) => connect(await resolveConnection({ databaseUrl: as(database), env: {}, cwd: process.cwd() }), { max: 1 });
  beforeAll(async () => {
    db = await createTestDatabase('scratchdrop');
    await db.sql`create role ${db.sql(role)} login createdb password 'drop-it'`;
    owner = await pool(db.name);
  });
  afterAll(async () => {
    await owner?.end();
    if (db) await db.sql`drop role if exists ${db.sql(role)}`;
    await db?.drop();
  });

  it('drops an idle database, and one a session of its own still holds', async () => {
    const [idle, held] = [`${role}_idle`, `${role}_held`];
    await owner`create database ${owner(idle)}`;
    await owner`create database ${owner(held)}`;
    await dropDatabase(owner, idle);
    const lingering = await pool(held);
    await lingering`select 1`;
    await dropDatabase(owner, held);
    await lingering.end({ timeout: 1 }).catch(() => undefined);
    const left = await db.sql`select datname from pg_database where datname in (${idle}, ${held})`;
    expect(left).toEqual([]);
  });
});
