import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import type { CreatedTenant } from '../../src/tenants/create.js';
import { seedTenant } from './helpers.js';

describe('tenant suspend, resume, plan, features, export', () => {
  let db: TestDatabase;
  let t: CreatedTenant;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    t = await seedTenant(db.sql, 'delta');
    await seedTenant(db.sql, 'echo');
  });
  afterAll(async () => db.drop());

  const audit = async (action: string) => db.sql`select old_values, new_values, metadata from public.audit_logs where tenant_id = ${t.id} and action = ${action} order by created_at`;

  it('suspends and resumes with the reason in the audit log; a script must give --reason', async () => {
    expect((await runCli(['tenant', 'suspend', 'delta'], { url: db.url })).code).toBe(2);
    const s = await runCli(['tenant', 'suspend', 'delta', '--reason', 'unpaid invoice', '--actor', 'support-1'], { url: db.url });
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toContain('active → suspended');
    const list = JSON.parse((await runCli(['tenant', 'list', '--status', 'suspended', '--json'], { url: db.url })).stdout);
    expect(list.map((x: { slug: string }) => x.slug)).toEqual(['delta']);
    const again = await runCli(['tenant', 'suspend', 'delta', '--reason', 'x'], { url: db.url });
    expect(again.stdout).toContain('already suspended');
    expect((await runCli(['tenant', 'resume', 'delta', '--reason', 'paid'], { url: db.url })).code).toBe(0);
    const [suspended] = await audit('tenant.suspended');
    expect(suspended).toMatchObject({ old_values: { status: 'active' }, new_values: { status: 'suspended' }, metadata: { reason: 'unpaid invoice', actor: 'support-1' } });
    expect(await audit('tenant.resumed')).toHaveLength(1);
  });

  it('changes plan, keeping the history in subscriptions and the audit log', async () => {
    const r = await runCli(['tenant', 'plan', 'delta', 'business', '--reason', 'upgrade', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ changed: true, from: 'starter', to: 'business' });
    const subs = await db.sql`select p.code, s.status from public.subscriptions s join public.plans p on p.id = s.plan_id where s.tenant_id = ${t.id} order by s.created_at, s.status`;
    expect(subs.map((s) => `${s.code}:${s.status}`).sort()).toEqual(['business:active', 'starter:cancelled']);
    expect(await audit('tenant.plan_changed')).toHaveLength(1);
    const gold = await runCli(['tenant', 'plan', 'delta', 'gold', '--json'], { url: db.url });
    expect(gold.code).toBe(2);
    // The same refusal as tenant create's: the code asked for and the known ones.
    expect(JSON.parse(gold.stdout).error).toMatchObject({ code: 'UNKNOWN_PLAN', message: 'Unknown plan "gold".', details: { plan: 'gold', known: ['starter', 'professional', 'business', 'enterprise'] } });
  });

  it('shows the effective features with their source and records overrides', async () => {
    const r = await runCli(['tenant', 'features', 'delta', '--enable', 'white_label', '--disable', 'api_access', '--reason', 'pilot', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    const byCode = Object.fromEntries(JSON.parse(r.stdout).features.map((f: { code: string }) => [f.code, f]));
    expect(byCode.white_label).toMatchObject({ enabled: true, source: 'tenant override', planEnabled: null, overrideReason: 'pilot' });
    expect(byCode.api_access).toMatchObject({ enabled: false, source: 'tenant override', planEnabled: true });
    expect(byCode.orders_management).toMatchObject({ enabled: true, source: 'plan' });
    expect((await runCli(['tenant', 'features', 'delta', '--enable', 'teleport', '--reason', 'x'], { url: db.url })).code).toBe(2);
    expect((await runCli(['tenant', 'features', 'delta', '--enable', 'white_label'], { url: db.url })).code).toBe(2);
    const reset = JSON.parse((await runCli(['tenant', 'features', 'delta', '--reset', 'api_access', '--reason', 'end of pilot', '--json'], { url: db.url })).stdout);
    expect(reset.features.find((f: { code: string }) => f.code === 'api_access')).toMatchObject({ enabled: true, source: 'plan' });
  });

  it('exports every tenant table and its shared rows as CSV with a manifest of row counts and sha256', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'tenantctl-export-')), 'delta');
    const r = await runCli(['tenant', 'export', 'delta', '--out', out, '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    const files = Object.fromEntries(manifest.files.map((f: { file: string }) => [f.file, f]));
    expect(files['tenant/products.csv'].rows).toBe(3);
    expect(files['tenant/users.csv'].rows).toBe(2);
    expect(files['shared/public.tenants.csv'].rows).toBe(1);
    expect(files['shared/public.subscriptions.csv'].rows).toBe(2);
    for (const f of manifest.files) {
      const content = await readFile(join(out, f.file));
      expect(createHash('sha256').update(content).digest('hex'), f.file).toBe(f.sha256);
    }
    const products = await readFile(join(out, 'tenant/products.csv'), 'utf8');
    expect(products.split('\n')[0]).toMatch(/^id,sku,name,/);
    expect(products).toContain('delta-sku-2');
    const tenants = await readFile(join(out, 'shared/public.tenants.csv'), 'utf8');
    expect(tenants).not.toContain('echo');
    // A second export into the same folder is refused rather than mixing files.
    expect((await runCli(['tenant', 'export', 'delta', '--out', out], { url: db.url })).code).toBe(1);
  });

  it('writes the export (password hashes, tokens, API secrets) as 0600 files in 0700 folders', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'tenantctl-export-')), 'private');
    const r = await runCli(['tenant', 'export', 'delta', '--out', out, '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    const mode = async (path: string): Promise<number> => (await lstat(path)).mode & 0o777;
    for (const folder of [out, join(out, 'tenant'), join(out, 'shared')]) expect(await mode(folder), folder).toBe(0o700);
    const files = ['manifest.json', ...(await readdir(join(out, 'tenant'))).map((f) => `tenant/${f}`), ...(await readdir(join(out, 'shared'))).map((f) => `shared/${f}`)];
    expect(files).toEqual(expect.arrayContaining(['tenant/users.csv', 'tenant/refresh_tokens.csv', 'tenant/user_sessions.csv', 'tenant/sales_channels.csv']));
    for (const file of files) expect(await mode(join(out, file)), file).toBe(0o600);
    // Only the files the manifest names: no temporary names left behind.
    expect(files.filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('refuses --out naming a file or a link, with a clear error and no stack, and leaves it as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tenantctl-export-'));
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'keep me');
    const r = await runCli(['tenant', 'export', 'delta', '--out', file], { url: db.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${file} is a file, not a folder.`);
    expect(r.stderr).toMatch(/hint: Give --out a new folder/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(await readFile(file, 'utf8')).toBe('keep me');
    const victim = await mkdtemp(join(tmpdir(), 'tenantctl-victim-'));
    await symlink(victim, join(dir, 'link'));
    const linked = await runCli(['tenant', 'export', 'delta', '--out', join(dir, 'link')], { url: db.url });
    expect(linked.code).toBe(2);
    expect(linked.stderr).toContain('is a symbolic link');
    expect(await readdir(victim)).toEqual([]);
  });
});
