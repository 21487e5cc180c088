import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';

/** What users see end to end: secrets gone from monitor output, data never mangled by the password. */
describe('redaction in command output', () => {
  let db: TestDatabase;
  const role = `r_${randomBytes(5).toString('hex')}`;
  beforeAll(async () => {
    db = await createTestDatabase('red');
    await db.sql`create extension if not exists pg_stat_statements`;
    await migrateAll(db.sql);
    await addTenantRow(db.sql, 'demo_0002');
    await addTenantRow(db.sql, 'acme');
    await migrateAll(db.sql);
  });
  afterAll(async () => {
    await db?.sql.unsafe(`drop owned by ${role}`).catch(() => undefined);
    await db?.sql.unsafe(`drop role if exists ${role}`);
    await db?.drop();
  });

  it('a URL whose password was typed without %-encoding is refused without repeating any of it, on every output', async () => {
    const urls = ['postgresql://owner1:S3cr/et99@127.0.0.1:1/app1', 'postgresql://owner1:p@ss:w/rd%@127.0.0.1:1/app1', 'postgresql://owner1:12/tail99@127.0.0.1:1/app1', 'postgresql://owner1:2024?tail99@127.0.0.1:1/app1', 'postgresql://owner1:2024#tail99@127.0.0.1:1/app1'];
    for (const url of urls) {
      for (const args of [['tenant', 'list', '--json'], ['monitor', 'check'], ['monitor', 'check', '--prometheus'], ['tenant', 'list']]) {
        for (const r of [await runCli([...args, '--database-url', url], { url: db.url }), await runCli(args, { url })]) {
          expect(r.code, r.stdout + r.stderr).not.toBe(0);
          const out = r.stdout + r.stderr;
          if (!args.includes('--prometheus')) expect(out).toContain('is not a valid URL');
          for (const part of ['S3cr', 'et99', 'ss:w', 'rd%', 'tail99']) expect(out, `${url} ${args.join(' ')}`).not.toContain(part);
        }
      }
    }
    // Given twice, a URL (here with a space in its password) is refused without repeating either.
    const twice = await runCli(['--json', '--database-url', 'postgresql://u:Tr0ub4dor&3 horse@h/db', '--database-url', 'x', 'tenant', 'list'], { url: db.url });
    expect(twice.code).toBe(2);
    expect(twice.stdout + twice.stderr).not.toContain('horse');
  });

  it('monitor slow-queries hides $$, $tag$, E\'\' and cut-short password literals, and keeps the other rows', async () => {
    await db.sql.unsafe(`create role ${role} password $$dollar-secret-1$$`);
    await db.sql.unsafe(`alter role ${role} password $pw$tag-secret-2$pw$`);
    await db.sql.unsafe(`alter role ${role} password E'e-secret-3\\'x'`);
    const cut = `alter role ${role} login password 'cut-secret-4-abcdefghijklmnopqrstuvwxyz'`;
    await db.sql.unsafe(cut);
    await db.sql.unsafe('select relname as neighbour_marker from pg_class limit 1');
    const length = cut.indexOf('cut-secret') + 10;
    const secrets = ['dollar-secret', 'tag-secret', 'e-secret', 'cut-secret'];
    const human = await runCli(['monitor', 'slow-queries', '--limit', '5000', '--query-length', String(length)], { url: db.url });
    const json = await runCli(['monitor', 'slow-queries', '--limit', '5000', '--query-length', String(length), '--json'], { url: db.url });
    const csv = await runCli(['monitor', 'slow-queries', '--limit', '5000', '--query-length', String(length), '--csv'], { url: db.url });
    for (const out of [human, json, csv]) {
      expect(out.code, out.stderr).toBe(0);
      for (const secret of secrets) expect(out.stdout).not.toContain(secret);
      expect(out.stdout).toContain('neighbour_marker');
    }
    const queries: string[] = JSON.parse(json.stdout).statements.map((s: { query: string }) => s.query);
    expect(queries.filter((q) => q.includes(role)).sort()).toEqual([
      `alter role ${role} login password '***'`,
      `alter role ${role} password '***'`,
      `alter role ${role} password '***'`,
      `create role ${role} password '***'`,
    ]);
    // Each table row ends with its border: a cut literal does not run into the rows after it.
    const rows = human.stdout.split('\n').filter((l) => l.includes(role));
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row).toMatch(/│$/);
  });

  it('with the database password "demo", data containing "demo" is shown as it is', async () => {
    await db.sql.unsafe(`alter role ${role} login password 'demo'`);
    await db.sql.unsafe(`grant all on schema public, tenantctl to ${role}`);
    await db.sql.unsafe(`grant select on all tables in schema public, tenantctl to ${role}`);
    const url = new URL(db.url);
    url.username = role;
    url.password = 'demo';
    url.search = '';
    const list = await runCli(['tenant', 'list', '--json'], { env: { DATABASE_URL: url.toString() } });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).map((t: { slug: string }) => t.slug).sort()).toEqual(['acme', 'demo_0002']);
    const human = await runCli(['tenant', 'list'], { env: { DATABASE_URL: url.toString() } });
    expect(human.stdout).toContain('demo_0002');
    expect(human.stdout).not.toContain('***');
  });
});
