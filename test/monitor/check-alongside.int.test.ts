import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/db/config.js';
import { connect } from '../../src/db/connect.js';
import { resolveSettings, runChecks } from '../../src/monitor/check.js';
import { prepareSession } from '../../src/monitor/session.js';
import { schemaPerTenant } from '../../src/tenancy/strategy.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { eventually } from './helpers.js';

// `monitor check` runs its catalog-wide checks (never-vacuumed, not-valid-constraints) on
// connections of their own beside the others when its pool has more than one: the findings,
// their order and the exit status must be those of one connection running them in turn.

describe('monitor check: catalog-wide checks beside the rest', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('chkside');
    await db.sql`create schema tenant_a`;
    await db.sql`create table tenant_a.orders (id int primary key, total int)`;
    await db.sql`alter table tenant_a.orders add constraint orders_total_positive check (total > 0) not valid`;
    await db.sql`create table big_unvacuumed (id int) with (autovacuum_enabled = false)`;
    await db.sql`insert into big_unvacuumed select generate_series(1, 1500)`;
    await eventually(async () => (await db.sql`select n_live_tup from pg_stat_user_tables where relname = 'big_unvacuumed'`)[0]?.n_live_tup >= 1500, 'the statistics to show the rows');
  });
  // A role allowed one connection: the checks meant to run beside the rest cannot connect.
  const role = `chk_one_${process.pid}`;
  afterAll(async () => {
    if (!db) return;
    await db.sql`drop role if exists ${db.sql(role)}`;
    await db.drop();
  });

  const run = async (connections: number, url = db.url) => {
    const sql = connect(await resolveConnection({ databaseUrl: url, env: {}, cwd: process.cwd() }), { max: connections });
    try {
      await prepareSession(sql);
      const settings = resolveSettings({ only: ['wraparound', 'invalid-indexes', 'not-valid-constraints', 'never-vacuumed', 'prepared-transactions', 'node-skew'] });
      return await runChecks(sql, schemaPerTenant, settings);
    } finally {
      await sql.end({ timeout: 5 });
    }
  };

  it('gives the same checks, in the same order, with the same findings as one connection', async () => {
    const alone = await run(1);
    const beside = await run(3);
    expect(beside.checks.map((c) => c.name)).toEqual(['wraparound', 'invalid-indexes', 'prepared-transactions', 'not-valid-constraints', 'never-vacuumed', 'node-skew']);
    expect(beside.checks.map((c) => [c.name, c.status, c.value])).toEqual(alone.checks.map((c) => [c.name, c.status, c.value]));
    const byName = new Map(beside.checks.map((c) => [c.name, c]));
    expect(byName.get('not-valid-constraints')).toMatchObject({ status: 'WARNING', value: 1, message: expect.stringMatching(/tenant_a\.orders\.orders_total_positive/) });
    expect(byName.get('never-vacuumed')).toMatchObject({ status: 'WARNING', value: 1, message: expect.stringMatching(/public\.big_unvacuumed/) });
    expect(beside.status).toBe('WARNING');
    expect(beside.problems.map((c) => c.name)).toEqual(['not-valid-constraints', 'never-vacuumed']);
  });

  it('runs them in turn when no other connection can be opened, with the same findings', async () => {
    await db.sql`create role ${db.sql(role)} login password 'one-conn' connection limit 1`;
    const url = new URL(db.url);
    url.username = role;
    url.password = 'one-conn';
    const alone = await run(1);
    const limited = await run(3, url.toString());
    expect(limited.checks.map((c) => [c.name, c.status, c.value])).toEqual(alone.checks.map((c) => [c.name, c.status, c.value]));
    expect(limited.checks.find((c) => c.name === 'never-vacuumed')!.message).toMatch(/public\.big_unvacuumed/);
  });
});
