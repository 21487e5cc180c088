import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { buildPlatform } from './helpers.js';
import { backupClientStatus } from '../support/pg-client.js';

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

/** `backup log --json`'s verify entries of one backup, newest first. */
const verifications = async (db: TestDatabase, id: string) =>
  (JSON.parse((await runCli(['backup', 'log', '--json'], { url: db.url })).stdout) as { action: string; backupId: string | null; ok: boolean }[]).filter((e) => e.action === 'verify' && e.backupId === id);

describe.skipIf(!client.ok)(client.ok ? 'backup verify --target-url, and a backup of another database' : `backup verify --target-url (${client.reason})`, () => {
  let db: TestDatabase;
  let other: TestDatabase;
  let target: TestDatabase;
  let work: string;
  let backup: string;
  let id: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-verify-target-'));
    db = await createTestDatabase('vt');
    other = await createTestDatabase('vto');
    target = await createTestDatabase('vtt');
    await buildPlatform(db, ['acme', 'globex']);
    await buildPlatform(other, ['zeta']);
    const created = await runCli(['backup', 'create', '--dir', work, '--json'], { url: db.url });
    if (created.code !== 0) throw new Error(created.stderr);
    ({ path: backup, id } = JSON.parse(created.stdout) as { path: string; id: string });
    const verified = await runCli(['backup', 'verify', backup], { url: db.url });
    if (verified.code !== 0) throw new Error(verified.stdout + verified.stderr);
  });
  afterAll(async () => {
    await Promise.all([db.drop(), other.drop(), target.drop()]);
    await rm(work, { recursive: true, force: true });
  });

  it('refuses a target that holds a schema and a view but no table, before restoring anything, and logs no failure', async () => {
    await target.sql.unsafe('create schema tenantctl; create view public.v as select 1 as one; create function public.f() returns int language sql as $$ select 1 $$');
    const r = await runCli(['backup', 'verify', backup, '--target-url', target.url, '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(2);
    const { error } = JSON.parse(r.stdout) as { error: { code: string; message: string; details: { objects: number } } };
    expect(error.code).toBe('BACKUP_TARGET_NOT_EMPTY');
    expect(error.message).toContain('schema tenantctl');
    expect(error.message).toContain('view public.v');
    expect(error.message).toContain('function public.f()');
    expect(error.details.objects).toBe(3);
    // Nothing was restored beside the target's own objects.
    const schemas = await target.sql<{ nspname: string }[]>`select nspname from pg_namespace where nspname like 'tenant%' order by 1`;
    expect(schemas.map((s) => s.nspname)).toEqual(['tenantctl']);
    // The good backup is still the newest verified one: its last verification passed.
    expect((await verifications(db, id))[0]).toMatchObject({ ok: true });
  });

  it('names --target-url, and the target database, when the target cannot be reached or parsed', async () => {
    const missing = new URL(target.url);
    missing.pathname = '/no_such_target_db';
    const gone = await runCli(['backup', 'verify', backup, '--target-url', missing.toString()], { url: db.url });
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('Database "no_such_target_db" does not exist');
    expect(gone.stderr).toContain('(from --target-url)');
    expect(gone.stderr).not.toContain(db.name);
    // A run that broke off is in the log too, with why.
    const [last] = (JSON.parse((await runCli(['backup', 'log', '--json'], { url: db.url })).stdout) as { action: string; ok: boolean; faults: { message: string }[] }[]).filter((e) => e.action === 'verify');
    expect(last).toMatchObject({ ok: false, faults: [{ message: expect.stringMatching(/^stopped with an error: .*no_such_target_db/) }] });
    const bad = await runCli(['backup', 'verify', backup, '--target-url', 'notaurl'], { url: db.url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--target-url is not a valid URL');
    expect(bad.stderr).not.toContain('--database-url');
  });

  it('restores into an empty target, which keeps the copy', async () => {
    await target.sql.unsafe('drop schema tenantctl; drop view public.v; drop function public.f()');
    const r = await runCli(['backup', 'verify', backup, '--target-url', target.url, '--json'], { url: db.url });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const tenants = await target.sql<{ slug: string }[]>`select slug from public.tenants order by slug`;
    expect(tenants.map((t) => t.slug)).toEqual(['acme', 'globex']);
  });

  it('verifies a backup of another database, says so, and calls none of its tenants gone from this one', async () => {
    const created = await runCli(['backup', 'create', '--dir', work, '--json'], { url: other.url });
    expect(created.code, created.stderr).toBe(0);
    const theirs = JSON.parse(created.stdout).path as string;
    const human = await runCli(['backup', 'verify', theirs], { url: db.url });
    expect(human.code, human.stdout + human.stderr).toBe(0);
    expect(human.stdout).toContain(`this is a backup of database ${other.name} (`);
    expect(human.stdout).not.toContain('no longer in the live database');
    const json = JSON.parse((await runCli(['backup', 'verify', theirs, '--json'], { url: db.url })).stdout) as { otherDatabase?: string; goneTenants: unknown[] };
    expect(json.otherDatabase).toContain(other.name);
    expect(json.goneTenants).toEqual([]);
    // From its own database the same backup is ours: no such line.
    const own = await runCli(['backup', 'verify', theirs, '--json'], { url: other.url });
    expect(JSON.parse(own.stdout).otherDatabase).toBeUndefined();
  });

  it('verifies a commerce backup while connected to a pooled database: the tenants are read with the backup\'s own registry', async () => {
    const pooled = await createTestDatabase('vtp');
    try {
      const up = await runCli(['--profile', 'imsop', 'migrate', 'up'], { url: pooled.url });
      expect(up.code, up.stderr).toBe(0);
      const r = await runCli(['backup', 'verify', backup, '--json'], { url: pooled.url });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { checks: { check: string; status: string }[] };
      expect(report.checks.find((c) => c.check === 'tenants')?.status).toBe('ok');
    } finally {
      await pooled.drop();
    }
  });
});
