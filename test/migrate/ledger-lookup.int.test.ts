import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlText } from '../../src/db/queries.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';

// migrate/lock-and-check runs once per tenant and migration of a fleet run. Its applied check
// must find the ledger row through schema_migrations' primary key: a scan of the whole ledger
// instead costs time in proportion to the fleet, per tenant (at 10,000 tenants, ~1 ms each).
// The parameters' types are left to the server, as postgres.js leaves them, so that a type it
// infers (a `name`, from a comparison with pg_namespace.nspname) shows up in the plan.

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

describe('the ledger lookup of a fleet run', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    // A ledger the size of a fleet's, with statistics, so that the planner prefers the index when it can use it.
    await db.sql`insert into tenantctl.schema_migrations (schema_name, scope, version, name, checksum, duration_ms)
                 select 'tenant_' || i, 'tenant', v, 'bench', 'x', 1 from generate_series(1, 5000) i, unnest(array['0001', '0002']) v`;
    await db.sql`analyze tenantctl.schema_migrations`;
  });
  afterAll(async () => db.drop());

  it('uses the primary key of schema_migrations in the generic plan that every tenant reuses', async () => {
    const rows = await db.sql.begin(async (tx) => {
      await tx.unsafe(`prepare lock_and_check as ${sqlText('migrate/lock-and-check')}`);
      await tx`set local plan_cache_mode to force_generic_plan`;
      return tx.unsafe(`explain (format json) execute lock_and_check('tenantctl.migrate:tenant_42', 'tenant_42', '0003', false, null, false, null)`);
    });
    const plan = (rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]!.Plan;
    const ledger = nodes(plan).filter((n) => n['Relation Name'] === 'schema_migrations');
    expect(ledger.length).toBeGreaterThan(0);
    for (const n of ledger) expect(n).toMatchObject({ 'Index Name': 'schema_migrations_pkey' });
  });
});
