import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

interface Reference { table: string; columns: string[]; action: string; rows: number }

/**
 * `tenantctl --profile <pooled> demo` through the built CLI, end to end on a fresh database:
 * the tour migrates, loads fixtures whose rows cross organizations, provisions one
 * organization as `tenant create` does, lists and shows, plans an erasure of an organization
 * other organizations' rows point at (what it would refuse or change; nothing changes), and
 * estimates sizes; a second run keeps everything. Per profile, what the erasure dry run must show.
 */
const EXPECT: Record<string, { created: string; erase: (plan: { blocked: boolean; references: Reference[] }) => void }> = {
  imsop: {
    created: 'Acme Warehousing',
    // The next organization's transfer into this one's warehouse: its destination is cleared, the shipment kept.
    erase: (plan) => {
      expect(plan.blocked).toBe(false);
      expect(plan.references).toContainEqual(expect.objectContaining({ table: 'shipments', columns: ['destination_warehouse_id'], action: 'nullify', rows: 1 }));
    },
  },
  abparts: {
    created: 'Acme Farms',
    // The distributor's sales records and its transfers into the customer's warehouse: refused.
    erase: (plan) => {
      expect(plan.blocked).toBe(true);
      expect(plan.references.filter((r) => r.action === 'refuse' && r.rows > 0).map((r) => r.table).sort()).toEqual(['customer_orders', 'transactions']);
    },
  },
  prometric: {
    created: '990000000001',
    erase: (plan) => expect(plan.blocked).toBe(false),
  },
};

describe.each(Object.keys(EXPECT))('demo --profile %s', (profile) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(`demo${profile}`);
  });
  afterAll(async () => db?.drop());

  it('tours a fresh database end to end, and a second run keeps everything', async () => {
    const first = await runCli(['--profile', profile, 'demo', '--json'], { url: db.url });
    expect(first.code, first.stderr).toBe(0);
    const one = JSON.parse(first.stdout);
    expect(one.profile).toBe(profile);
    expect(one.migrate.ok).toBe(true);
    expect(one.fixtures.tenants).toMatchObject({ created: 4, skipped: 0 });
    expect(Object.values(one.fixtures.crossings as Record<string, number>).some((n) => n > 0)).toBe(true);
    expect(one.created).toEqual({ handle: EXPECT[profile]!.created, created: true });
    expect(one.list.map((t: { slug: string }) => t.slug).sort()).toEqual([EXPECT[profile]!.created, ...one.fixtures.handles].sort());
    // The list's sizes are estimates from statistics, refreshed before it: the loaded organizations have some.
    expect(one.list.filter((t: { sizeBytes: number }) => t.sizeBytes > 0).length).toBeGreaterThan(0);
    expect(one.show.slug).toBe(EXPECT[profile]!.created);
    expect(one.erasePlan.tenant).toBe(one.fixtures.handles[1]);
    EXPECT[profile]!.erase(one.erasePlan.plan);
    expect(one.sizes).toMatchObject({ source: 'statistics', matched: 5 });
    expect(one.sizes.note).toMatch(/pg_stats/);
    // The dry run changed nothing: the organization it planned to erase is still there.
    const show = await runCli(['tenant', 'show', one.erasePlan.tenant, '--json'], { url: db.url });
    expect(show.code, show.stderr).toBe(0);

    const second = await runCli(['demo', '--json'], { url: db.url });
    expect(second.code, second.stderr).toBe(0);
    const two = JSON.parse(second.stdout);
    expect(two.profile).toBe(profile);
    expect(two.fixtures.tenants).toMatchObject({ created: 0, skipped: 4 });
    expect(two.created.created).toBe(false);
    expect(two.fixtures.checksum).toBe(one.fixtures.checksum);

    const human = await runCli(['demo'], { url: db.url });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`tenantctl demo (profile ${profile}, pooled`);
    expect(human.stdout).toContain('(dry run: nothing was changed)');
    expect(human.stdout).toContain(`npx tenantctl --profile ${profile} tenant erase`);
  });
});
