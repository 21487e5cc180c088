import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { seedTenant } from '../tenants/helpers.js';

/**
 * Issue 14: "every command that takes a tenant accepts its id (the registry key) as well as
 * its handle, and `tenant erase --confirm` takes either", on a schema-per-tenant database
 * (commerce, handle = slug) and a pooled one (IMSOP, handle = organization name).
 */
interface Setup {
  profile: string;
  /** Three tenants: the first is used by every command, the other two are erased. */
  prepare(db: TestDatabase): Promise<{ handle: string; id: string }[]>;
  /** Commands of this layout only (plans and features, per-tenant migration targets, CSV entities). */
  extra: ((ref: string) => string[])[];
}

const commerce: Setup = {
  profile: 'commerce',
  async prepare(db) {
    await migrateAll(db.sql);
    return Promise.all(['acme', 'beta', 'gamma'].map(async (slug) => ({ handle: slug, id: (await seedTenant(db.sql, slug)).id })));
  },
  extra: [
    (ref) => ['tenant', 'plan', ref, 'professional', '--reason', 'upgrade'],
    (ref) => ['tenant', 'features', ref],
    (ref) => ['migrate', 'status', '--tenant', ref],
    (ref) => ['monitor', 'table-sizes', '--tenant', ref],
    (ref) => ['export', 'products', '--tenant', ref],
  ],
};

const imsop: Setup = {
  profile: 'imsop',
  async prepare(db) {
    const up = await runCli(['--profile', 'imsop', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    const out: { handle: string; id: string }[] = [];
    for (const name of ['Org One', 'Org Two', 'Org Three']) {
      const r = await runCli(['tenant', 'create', name, '--owner-email', `admin@${name.replace(' ', '-').toLowerCase()}.test`, '--json'], { url: db.url });
      expect(r.code, r.stderr).toBe(0);
      out.push({ handle: name, id: JSON.parse(r.stdout).id });
    }
    return out;
  },
  extra: [],
};

/** Commands every layout has, for one tenant named by `ref`. `out` gives a fresh folder. */
const COMMON: ((ref: string, out: string) => string[])[] = [
  (ref) => ['tenant', 'show', ref],
  (ref) => ['tenant', 'suspend', ref, '--reason', 'test'],
  (ref) => ['tenant', 'resume', ref, '--reason', 'test'],
  (ref, out) => ['tenant', 'export', ref, '--out', out],
  (ref) => ['tenant', 'erase', ref, '--dry-run'],
  (ref) => ['monitor', 'tenant-sizes', '--tenant', ref],
];

describe.each([commerce, imsop])('$profile: a tenant is named by its handle or its id, everywhere', (setup) => {
  let db: TestDatabase;
  let tenants: { handle: string; id: string }[];
  const cli = (args: string[]) => runCli([...args, '--json'], { url: db.url });
  beforeAll(async () => {
    db = await createTestDatabase(`refs_${setup.profile}`);
    tenants = await setup.prepare(db);
  });
  afterAll(async () => db.drop());

  it('every command that takes a tenant accepts both, and means the same tenant', async () => {
    const [t] = tenants;
    const commands = [...COMMON, ...setup.extra];
    for (const build of commands) {
      for (const ref of [t!.handle, t!.id]) {
        const args = build(ref, await mkdtemp(join(tmpdir(), 'refs-')));
        const r = await cli(args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      }
    }
    // Read-only answers are the same document, whichever name was typed. Sizes in bytes are
    // left out: the commands above wrote rows, and autovacuum may add a table's free space
    // and visibility maps between the two reads.
    const withoutSizes = (doc: string): unknown => JSON.parse(doc, (key, value: unknown) => (key === 'sizeBytes' || key === 'bytes' ? undefined : value));
    for (const args of [['tenant', 'show'], ['tenant', 'erase']]) {
      const extra = args[1] === 'erase' ? ['--dry-run'] : [];
      const [byHandle, byId] = await Promise.all([cli([...args, t!.handle, ...extra]), cli([...args, t!.id, ...extra])]);
      expect(withoutSizes(byId.stdout), args.join(' ')).toEqual(withoutSizes(byHandle.stdout));
    }
    expect(JSON.parse((await cli(['tenant', 'show', t!.id])).stdout).id).toBe(t!.id);
  });

  it('tenant erase --confirm takes the id or the handle, whichever names the tenant given', async () => {
    const [, second, third] = tenants;
    const wrong = await cli(['tenant', 'erase', second!.handle, '--yes', '--confirm', third!.id, '--reason', 'test']);
    expect(wrong.code).toBe(2);
    const byHandle = await cli(['tenant', 'erase', second!.handle, '--yes', '--confirm', second!.id, '--reason', 'test']);
    expect(byHandle.code, byHandle.stderr).toBe(0);
    const byId = await cli(['tenant', 'erase', third!.id, '--yes', '--confirm', third!.handle, '--reason', 'test']);
    expect(byId.code, byId.stderr).toBe(0);
    const left = JSON.parse((await cli(['tenant', 'list'])).stdout) as { slug: string }[];
    expect(left.map((l) => l.slug)).toEqual([tenants[0]!.handle]);
  });
});

/**
 * Issue 12, item 1 (wrong target): IMSOP names are free text, so an organization can be
 * named like another one's id. Such a ref is refused rather than resolved to the id's
 * tenant, which would erase the other organization when the user meant the name.
 */
describe('imsop: a name that is another tenant\'s id', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli([...args, '--json'], { url: db.url });
  beforeAll(async () => {
    db = await createTestDatabase('refs_lookalike');
  });
  afterAll(async () => db.drop());

  it('is refused as ambiguous by erase and show, changing nothing; each tenant stays reachable', async () => {
    const [victim] = await imsop.prepare(db);
    const created = await cli(['tenant', 'create', victim!.id, '--owner-email', 'admin@lookalike.test']);
    expect(created.code, created.stderr).toBe(0);
    const lookalike = JSON.parse(created.stdout).id as string;
    for (const typed of [victim!.id, victim!.id.toUpperCase()]) {
      const erase = await cli(['tenant', 'erase', typed, '--yes', '--confirm', typed, '--reason', 'test']);
      expect(erase.code, erase.stderr).toBe(2);
      expect(JSON.parse(erase.stdout).error.code).toBe('TENANT_AMBIGUOUS');
      expect(erase.stdout).toContain(lookalike);
      expect((await cli(['tenant', 'show', typed])).code).toBe(2);
    }
    const left = (JSON.parse((await cli(['tenant', 'list'])).stdout) as { slug: string }[]).map((t) => t.slug);
    expect(left).toEqual(expect.arrayContaining([victim!.handle, victim!.id]));
    expect(JSON.parse((await cli(['tenant', 'show', victim!.handle])).stdout).id).toBe(victim!.id);
    expect(JSON.parse((await cli(['tenant', 'show', lookalike])).stdout).name).toBe(victim!.id);
  });

  it('with one organization named like the id in lower case and another in upper case, the hint names each by its own id', async () => {
    const victim = JSON.parse((await cli(['tenant', 'create', 'Victim Two', '--owner-email', 'v2@lookalike.test'])).stdout).id as string;
    const lower = JSON.parse((await cli(['tenant', 'create', victim.toLowerCase(), '--owner-email', 'lower@lookalike.test'])).stdout).id as string;
    const upper = JSON.parse((await cli(['tenant', 'create', victim.toUpperCase(), '--owner-email', 'upper@lookalike.test'])).stdout).id as string;
    const show = await cli(['tenant', 'show', victim.toUpperCase()]);
    expect(show.code).toBe(2);
    const { hint } = JSON.parse(show.stdout).error;
    expect(hint).toContain(`the tenant named "${victim.toUpperCase()}" by its id (${upper})`);
    expect(hint).toContain(`the tenant named "${victim.toLowerCase()}" by its id (${lower})`);
  });
});
