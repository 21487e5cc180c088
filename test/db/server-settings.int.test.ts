import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * A server whose defaults are not the ones the code reads results under (src/db/connect.ts
 * SESSION_SETTINGS): dates printed day-first in the SQL style with a zone abbreviation that
 * names two zones (IST: India, Israel), serializable transactions by default. The database
 * carries them (ALTER DATABASE … SET), as a DBA's server or role would.
 */
describe('a server with datestyle SQL, DMY, timezone Asia/Kolkata and serializable transactions by default', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  const ok = async (args: string[]) => {
    const r = await cli([...args, '--json']);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout);
  };
  beforeAll(async () => {
    db = await createTestDatabase('settings');
    dir = await mkdtemp(join(tmpdir(), 'tenantctl-settings-'));
    await db.sql.unsafe(`alter database ${db.name} set datestyle = 'SQL, DMY'`);
    await db.sql.unsafe(`alter database ${db.name} set timezone = 'Asia/Kolkata'`);
    await db.sql.unsafe(`alter database ${db.name} set default_transaction_isolation = 'serializable'`);
    const up = await cli(['migrate', 'up']);
    expect(up.code, up.stderr).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates tenants side by side (no serialization failure), and lists and shows their creation time as stored', async () => {
    const made = await Promise.all(['alpha', 'bravo', 'charlie', 'delta'].map((slug) => cli(['tenant', 'create', slug, '--name', slug, '--plan', 'starter', '--owner-email', `o@${slug}.test`, '--json'])));
    for (const r of made) expect(r.code, r.stderr).toBe(0);
    const stored = await db.sql`select slug, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at from public.tenants order by slug`;
    const listed = await ok(['tenant', 'list']);
    const tenants = (Array.isArray(listed) ? listed : listed.tenants) as { slug: string; createdAt: string }[];
    expect(tenants.map((t) => [t.slug, t.createdAt])).toEqual(stored.map((s) => [s.slug, s.at]));
    const shown = await ok(['tenant', 'show', 'alpha']);
    expect(JSON.stringify(shown)).toContain(stored[0]!.at as string);
  });

  it('maintain retention deletes exactly the rows older than the rule, whatever day the cutoff falls on', async () => {
    // One row a day over the last 400 days; the rule keeps the last 200.
    await db.sql`insert into tenant_alpha.notification_logs (type, recipient, body, status, created_at)
      select 'email', 'r' || d, 'hello', 'sent', now() - d * interval '1 day' - interval '1 hour' from generate_series(0, 399) d`;
    const config = join(dir, 'retention.json');
    await writeFile(config, JSON.stringify({ retention: { rules: [{ scope: 'tenant', table: 'notification_logs', column: 'created_at', olderThan: '200 days' }] } }));
    const r = await cli(['maintain', '--only', 'retention', '--config', config, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [{ kept, oldest }] = await db.sql`select count(*)::int as kept, min(created_at) > now() - interval '200 days' as oldest from tenant_alpha.notification_logs`;
    expect(kept).toBe(200);
    expect(oldest).toBe(true);
  });

  it('a create from the warm pool stamps the seeded rows with its own time', async () => {
    await ok(['tenant', 'pool', 'fill', '--size', '1']);
    // As if the spare had waited an hour: its build time and its stamps moved back.
    const [{ schema_name: spare }] = await db.sql`select schema_name from tenantctl.tenant_pool`;
    await db.sql`update tenantctl.tenant_pool set created_at = created_at - interval '1 hour'`;
    await db.sql`update ${db.sql(spare as string)}.roles set created_at = created_at - interval '1 hour'`;
    const created = await ok(['tenant', 'create', 'echo', '--name', 'Echo', '--plan', 'starter', '--owner-email', 'o@echo.test']);
    expect(created.fromPool).toBe(true);
    const times = await db.sql`select distinct to_char(r.created_at at time zone 'UTC', 'HH24:MI:SS.US') as role, to_char(t.created_at at time zone 'UTC', 'HH24:MI:SS.US') as tenant from tenant_echo.roles r, public.tenants t where t.slug = 'echo'`;
    expect(times).toHaveLength(1);
    expect(times[0]!.role).toBe(times[0]!.tenant);
  });

  it('tenant export writes times as ISO 8601 with a numeric offset, never the server\'s day-first text or a zone abbreviation', async () => {
    const out = join(dir, 'export');
    await ok(['tenant', 'export', 'alpha', '--out', out]);
    const files = (await readdir(out, { recursive: true })).filter((f) => f.endsWith('.csv'));
    const text = (await Promise.all(files.map((f) => readFile(join(out, f), 'utf8')))).join('\n');
    expect(text).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+05:30/);
    expect(text).not.toMatch(/\d\d\/\d\d\/\d{4}/);
    expect(text).not.toMatch(/\bIST\b/);
  });
});
