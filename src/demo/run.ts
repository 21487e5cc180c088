import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Pool } from '../db/connect.js';
import { exportCsv } from '../csv/export.js';
import { loadFixtureDir, type FixtureFileResult } from '../fixtures/load-dir.js';
import { loadAllMigrations } from '../migrate/files.js';
import { planUp } from '../migrate/plan.js';
import { runPlan, type RunReport } from '../migrate/run.js';
import { readFleetState } from '../migrate/state.js';
import type { TenantSummary } from '../tenants/read.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { registryRows } from '../tenancy/registry.js';

/** The demo's three tenants: one per paid plan tier, so plans and features differ. */
export const DEMO_TENANTS = [
  { slug: 'acme', name: 'Acme Retail', plan: 'starter', ownerEmail: 'owner@acme.test', timezone: 'Asia/Kolkata' },
  { slug: 'globex', name: 'Globex Traders', plan: 'professional', ownerEmail: 'owner@globex.test', timezone: 'Asia/Kolkata' },
  { slug: 'initech', name: 'Initech Supplies', plan: 'business', ownerEmail: 'owner@initech.test', timezone: 'Asia/Kolkata' },
] as const;

/** Everything the tour shows. */
export interface DemoReport {
  migrate: RunReport;
  tenants: { slug: string; created: boolean }[];
  fixtures: { slug: string; files: FixtureFileResult[] }[];
  list: TenantSummary[];
  sampleExport: { tenant: string; entity: string; lines: string[] };
}

async function firstLines(sql: Pool, profile: TenancyProfile, tenant: string, count: number): Promise<string[]> {
  const sink = new PassThrough();
  let text = '';
  sink.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  await exportCsv(sql, { profile, entity: 'products', tenant, output: sink, actor: 'tenantctl demo' });
  // Records, not lines: a quoted field may hold a newline.
  const records = parse(text, { relax_column_count: true, to: count }) as string[][];
  return records.map((record) => stringify([record]).trimEnd());
}

/**
 * Migrate, provision the demo tenants that do not exist yet, load the fixture CSVs into
 * each (upsert: a second run changes nothing), and gather what the tour shows.
 */
export async function runDemo(sql: Pool, options: { profile: TenancyProfile; migrationsDir: string; fixturesDir: string; onStep?: (step: string) => void }): Promise<DemoReport> {
  const step = options.onStep ?? (() => undefined);
  step('migrating the shared schema and every tenant');
  const files = await loadAllMigrations(options.migrationsDir);
  const migrate = await runPlan(sql, planUp(await readFleetState(sql, options.profile.lifecycle.targets, files), files));
  if (!migrate.ok) throw new Error('migrate up failed; run `tenantctl migrate status` for details');
  const tenants: DemoReport['tenants'] = [];
  for (const tenant of DEMO_TENANTS) {
    const [exists] = await registryRows(sql, options.profile.registry, [tenant.slug]);
    if (!exists) {
      step(`provisioning ${tenant.slug}`);
      await options.profile.lifecycle.create(sql, options.profile, { ...tenant, handle: tenant.slug }, { migrationsDir: options.migrationsDir, actor: 'tenantctl demo' });
    }
    tenants.push({ slug: tenant.slug, created: !exists });
  }
  const fixtures: DemoReport['fixtures'] = [];
  for (const tenant of DEMO_TENANTS) {
    step(`loading fixtures into ${tenant.slug}`);
    fixtures.push({ slug: tenant.slug, files: await loadFixtureDir(sql, { profile: options.profile, dir: options.fixturesDir, tenant: tenant.slug, actor: 'tenantctl demo' }) });
  }
  const demoSlugs = new Set<string>(DEMO_TENANTS.map((t) => t.slug));
  const list = (await options.profile.lifecycle.list(sql, options.profile, {})).filter((t) => demoSlugs.has(t.slug));
  return { migrate, tenants, fixtures, list, sampleExport: { tenant: 'acme', entity: 'products', lines: await firstLines(sql, options.profile, 'acme', 4) } };
}
