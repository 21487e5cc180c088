import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';

const client = await backupClientStatus();

const A = '0a000000-0000-0000-0000-000000000000';
const B = '0b000000-0000-0000-0000-000000000000';
const ALICE = 'a1000000-0000-0000-0000-000000000001';
const BOB = 'b1000000-0000-0000-0000-000000000001';

/**
 * Org B's rows name Org A's person (an event about Alice, her e-mail in its metadata). Org A is
 * erased after the backup: the erasure nulls and scrubs B's event. Restoring B from that backup,
 * as itself or as a copy, would bring Alice's id and e-mail back: it is refused, naming where,
 * and adds nothing, unless --force (a documented legal reason).
 */
describe.skipIf(!client.ok)(client.ok ? 'pooled restore-tenant of an organization whose rows name people erased since the backup' : `pooled restore of erased people (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  const events = async () => db.sql`select o.name, e.entity_id::text as entity, e.metadata from analytics_events e join organizations o on o.id = e.organization_id order by o.name`;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-names-erased-'));
    db = await createTestDatabase('nameserased');
    expect((await cli(['--profile', 'imsop', 'migrate', 'up'])).code).toBe(0);
    await db.sql.unsafe(`
      insert into organizations (id, name) values ('${A}', 'Org A'), ('${B}', 'Org B');
      insert into users (id, organization_id, email, password_hash, first_name, last_name) values
        ('${ALICE}', '${A}', 'alice@a.example', 'h', 'Alice', 'Anders'),
        ('${BOB}', '${B}', 'bob@b.example', 'h', 'Bob', 'Brown');
      insert into analytics_events (organization_id, event_type, entity_type, entity_id, user_id, metadata) values
        ('${B}', 'view', 'user', '${ALICE}', '${BOB}', '{"email": "alice@a.example", "by": "bob@b.example"}');`);
    expect((await cli(['backup', 'create', '--out', join(work, 'b')])).code).toBe(0);
    const erased = await cli(['tenant', 'erase', 'Org A', '--yes', '--confirm', 'Org A', '--reason', 'test']);
    expect(erased.code, erased.stderr).toBe(0);
    // What the erasure did to B's event.
    expect(await events()).toEqual([{ name: 'Org B', entity: null, metadata: { email: '[erased]', by: 'bob@b.example' } }]);
    // B loses its data; its restore is what follows.
    await db.sql`delete from analytics_events`;
    await db.sql`delete from users where organization_id = ${B}`;
    await db.sql`delete from organizations where id = ${B}`;
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  for (const as of [[], ['--as', 'Org B2']]) {
    it(`refuses ${as.length ? 'a copy' : 'the organization as itself'}, naming the columns, and adds nothing`, async () => {
      const r = await cli(['backup', 'restore-tenant', join(work, 'b'), '--tenant', 'Org B', ...as, '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const error = JSON.parse(r.stdout).error;
      expect(error.code).toBe('RESTORE_NAMES_ERASED');
      expect(error.message).toContain('analytics_events.entity_id (1 row)');
      expect(error.message).toContain('analytics_events.metadata (1 row)');
      expect(error.message).not.toContain('alice');
      expect(await events()).toEqual([]);
      expect(await db.sql`select name from organizations order by name`).toEqual([]);
    });
  }

  it('refuses with --force too: that flag answers for the organization\'s own erasure, not for another\'s people', async () => {
    const r = await cli(['backup', 'restore-tenant', join(work, 'b'), '--tenant', 'Org B', '--as', 'Org B3', '--force', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('RESTORE_NAMES_ERASED');
    expect(await events()).toEqual([]);
  });

  it('restores once the rows no longer name the erased person; the summary counts the tables it lists', async () => {
    // The backup's event is about Bob (B's own user) in a second backup taken now: nothing of Alice.
    await db.sql.unsafe(`
      insert into organizations (id, name) values ('${B}', 'Org B');
      insert into users (id, organization_id, email, password_hash, first_name, last_name) values ('${BOB}', '${B}', 'bob@b.example', 'h', 'Bob', 'Brown');
      insert into analytics_events (organization_id, event_type, entity_type, entity_id, user_id, metadata) values ('${B}', 'view', 'user', '${BOB}', '${BOB}', '{"by": "bob@b.example"}');`);
    expect((await cli(['backup', 'create', '--out', join(work, 'b2')])).code).toBe(0);
    const r = await cli(['backup', 'restore-tenant', join(work, 'b2'), '--tenant', 'Org B', '--as', 'Org B3']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await events()).map((e) => e.name)).toEqual(['Org B', 'Org B3']);
    expect(r.stdout).toMatch(/rows +3 in 3 table\(s\): organizations 1, users 1, analytics_events 1\n/);
  });

  it('restores rows naming another person\'s mailbox that ends in the erased address (x.carol@…): that is not the erased person', async () => {
    const C = '0c000000-0000-0000-0000-000000000000';
    const D = '0d000000-0000-0000-0000-000000000000';
    const DAN = 'd1000000-0000-0000-0000-000000000001';
    const metadata = '{"cc": "x.carol@c.example", "by": "bob+carol@c.example", "to": ["mr-carol@c.example", "jo_carol@c.example"]}';
    await db.sql.unsafe(`
      insert into organizations (id, name) values ('${C}', 'Org C'), ('${D}', 'Org D');
      insert into users (id, organization_id, email, password_hash, first_name, last_name) values
        ('c1000000-0000-0000-0000-000000000001', '${C}', 'carol@c.example', 'h', 'Carol', 'Carter'),
        ('${DAN}', '${D}', 'dan@d.example', 'h', 'Dan', 'Dale');
      insert into analytics_events (organization_id, event_type, entity_type, entity_id, user_id, metadata) values
        ('${D}', 'view', 'user', '${DAN}', '${DAN}', '${metadata}');`);
    const dEvents = async () => db.sql`select e.metadata::text as m from analytics_events e join organizations o on o.id = e.organization_id where o.name = 'Org D'`;
    expect((await cli(['backup', 'create', '--out', join(work, 'b3')])).code).toBe(0);
    const erased = await cli(['tenant', 'erase', 'Org C', '--yes', '--confirm', 'Org C', '--reason', 'test']);
    expect(erased.code, erased.stderr).toBe(0);
    // Other people's mailboxes: the erasure left D's event byte for byte.
    expect(await dEvents()).toEqual([{ m: metadata }]);
    await db.sql`delete from analytics_events where organization_id = ${D}`;
    await db.sql`delete from users where organization_id = ${D}`;
    await db.sql`delete from organizations where id = ${D}`;
    const r = await cli(['backup', 'restore-tenant', join(work, 'b3'), '--tenant', 'Org D']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await dEvents()).toEqual([{ m: metadata }]);
  });
});
