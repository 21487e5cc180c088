import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { seedTenant } from './helpers.js';

/**
 * Suspend and resume keep who, when and why in tenantctl's own bookkeeping
 * (tenantctl.tenant_events), and `tenant show` lists it, for every profile: IMSOP has no
 * audit table of its own, so before this the reason of a pooled suspend was lost.
 */
type Event = { action: string; from: string; to: string; actor: string; reason: string | null; at: string };

async function statusRoundTrip(cli: (args: string[]) => ReturnType<typeof runCli>, byHandle: string, byId: string, suspended: string): Promise<void> {
  const s = await cli(['tenant', 'suspend', byHandle, '--reason', 'invoice 42 unpaid', '--actor', 'alice']);
  expect(s.code, s.stderr).toBe(0);
  const shown = await cli(['tenant', 'show', byId, '--json']);
  expect(shown.code, shown.stderr).toBe(0);
  const history = JSON.parse(shown.stdout).statusHistory as Event[];
  expect(history).toHaveLength(1);
  expect(history[0]).toMatchObject({ action: 'tenant.suspended', from: 'active', to: suspended, actor: 'alice', reason: 'invoice 42 unpaid' });
  const human = await cli(['tenant', 'show', byHandle]);
  expect(human.stdout).toContain('status changes:');
  expect(human.stdout).toMatch(/tenant\.suspended active → \S+ by alice: invoice 42 unpaid/);

  // Asking again for the status it has changes nothing and records nothing.
  expect((await cli(['tenant', 'suspend', byId, '--reason', 'again', '--actor', 'alice'])).stdout).toContain('already suspended');
  const r = await cli(['tenant', 'resume', byId, '--reason', 'paid in full', '--actor', 'bob']);
  expect(r.code, r.stderr).toBe(0);
  const after = JSON.parse((await cli(['tenant', 'show', byHandle, '--json'])).stdout).statusHistory as Event[];
  // Newest first: the resume, then the suspend it ended, which is kept.
  expect(after.map((e) => [e.action, e.actor, e.reason])).toEqual([
    ['tenant.resumed', 'bob', 'paid in full'],
    ['tenant.suspended', 'alice', 'invoice 42 unpaid'],
  ]);
  expect(after[0]).toMatchObject({ from: suspended, to: 'active' });
  expect(Date.parse(after[0]!.at)).toBeGreaterThanOrEqual(Date.parse(after[1]!.at));
}

describe('status history on commerce (schema per tenant)', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  beforeAll(async () => {
    db = await createTestDatabase('events');
    await migrateAll(db.sql);
  });
  afterAll(async () => db.drop());

  it('suspend → show lists who/when/why; resume is recorded too; another tenant has no history', async () => {
    const acme = await seedTenant(db.sql, 'acme');
    await seedTenant(db.sql, 'globex');
    await statusRoundTrip(cli, 'acme', acme.id, 'suspended');
    expect(JSON.parse((await cli(['tenant', 'show', 'globex', '--json'])).stdout).statusHistory).toEqual([]);
    expect((await cli(['tenant', 'show', 'globex'])).stdout).not.toContain('status changes:');
  });

  it('an erasure takes the tenant\'s status history with it and keeps the other tenant\'s', async () => {
    await cli(['tenant', 'suspend', 'globex', '--reason', 'keep me', '--actor', 'carol']);
    const [{ id }] = await db.sql`select id::text from public.tenants where slug = 'acme'`;
    const erase = await cli(['tenant', 'erase', 'acme', '--yes', '--confirm', 'acme', '--reason', 'test']);
    expect(erase.code, erase.stderr).toBe(0);
    expect(await db.sql`select action from tenantctl.tenant_events where tenant_id = ${id as string}`).toEqual([]);
    expect(JSON.parse((await cli(['tenant', 'show', 'globex', '--json'])).stdout).statusHistory).toMatchObject([{ action: 'tenant.suspended', reason: 'keep me', actor: 'carol' }]);
  });
});

describe('status history on IMSOP (pooled, no audit table of its own)', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  beforeAll(async () => {
    db = await createTestDatabase('events_imsop');
    const up = await runCli(['--profile', 'imsop', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    for (const [name, email] of [['Org A', 'a@org-a.test'], ['Org B', 'b@org-b.test']]) {
      const created = await cli(['tenant', 'create', name!, '--owner-email', email!]);
      expect(created.code, created.stderr).toBe(0);
    }
  });
  afterAll(async () => db.drop());

  it('suspend → show lists who/when/why; resume is recorded too', async () => {
    const [{ id }] = await db.sql`select id::text from organizations where name = 'Org A'`;
    await statusRoundTrip(cli, 'Org A', id as string, 'suspended');
    expect((await db.sql`select status::text from organizations where id = ${id as string}`)[0]!.status).toBe('active');
  });

  it('an erasure takes the organization\'s status history with it', async () => {
    const [{ id }] = await db.sql`select id::text from organizations where name = 'Org A'`;
    const erase = await cli(['tenant', 'erase', 'Org A', '--yes', '--confirm', id as string, '--reason', 'test']);
    expect(erase.code, erase.stderr).toBe(0);
    expect(await db.sql`select action from tenantctl.tenant_events where tenant_id = ${id as string}`).toEqual([]);
  });
});
