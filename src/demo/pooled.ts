import type { Pool } from '../db/connect.js';
import { generatePooledFixtures, type PooledGenerateReport } from '../fixtures/pooled/generate.js';
import type { PooledFixtureRecipe } from '../fixtures/pooled/recipe.js';
import { loadAllMigrations } from '../migrate/files.js';
import { planUp } from '../migrate/plan.js';
import { runPlan, type RunReport } from '../migrate/run.js';
import { readFleetState } from '../migrate/state.js';
import { pooledTenantSizes } from '../monitor/pooled-sizes.js';
import type { TenantSizeReport } from '../monitor/sizes.js';
import type { DetailsView, ErasePlanView } from '../tenancy/lifecycle.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { recordProfile } from '../tenancy/resolve-profile.js';
import { registryRows, resolveTenants } from '../tenancy/registry.js';
import type { TenantSummary } from '../tenants/read.js';

/** The demo's fixtures: small enough to load in a second or two, big enough to show skew and crossings. */
export const POOLED_DEMO_SPEC = { tenants: 4, products: 25, orders: 40, seed: '1', prefix: 'demo' } as const;

/** Everything the pooled tour shows. */
export interface PooledDemoReport {
  profile: string;
  migrate: RunReport;
  fixtures: PooledGenerateReport;
  created: { handle: string; created: boolean };
  list: TenantSummary[];
  show: DetailsView;
  /** The dry run of erasing the second fixture organization: what other organizations' rows make it do (or refuse). */
  erasePlan: { tenant: string; plan: ErasePlanView };
  sizes: TenantSizeReport;
}

/**
 * The tour of a pooled profile, each step through the same core as its command: migrate the
 * pooled schema (recording the profile), load the deterministic fixtures (organizations with
 * rows that cross between them), provision one more organization the way `tenant create`
 * does, list and show, plan an erasure (dry run: nothing changes), refresh the statistics and
 * estimate per-tenant sizes. Runs again cleanly: fixtures and the organization are kept.
 */
export async function runPooledDemo(sql: Pool, options: { profile: TenancyProfile; recipe: PooledFixtureRecipe; migrationsDir: string; actor: string; onStep?: (step: string) => void }): Promise<PooledDemoReport> {
  const { profile, recipe } = options;
  const step = options.onStep ?? (() => undefined);
  step(`migrating the ${profile.name} schema`);
  const files = await loadAllMigrations(options.migrationsDir, profile.migrations);
  await recordProfile(sql, profile);
  const migrate = await runPlan(sql, planUp(await readFleetState(sql, profile.lifecycle.targets, files, profile.registry.schema), files));
  if (!migrate.ok) throw new Error(`migrate up failed; run \`tenantctl --profile ${profile.name} migrate status\` for details`);
  step('loading fixtures: organizations, their rows, and rows that cross between them');
  const fixtures = await generatePooledFixtures(sql, profile, recipe, { ...POOLED_DEMO_SPEC });
  const handle = profile.validateHandle(String(recipe.demoOrganization.handle));
  const [exists] = await registryRows(sql, profile.registry, [handle]);
  if (!exists) {
    step(`provisioning ${handle} (as tenant create does)`);
    await profile.lifecycle.create(sql, profile, recipe.demoOrganization, { migrationsDir: options.migrationsDir, actor: options.actor });
  }
  // Sizes (the list's and the monitor's) are estimates from the planner's statistics: fresh rows have none until (auto)ANALYZE.
  step('refreshing statistics');
  await sql`analyze`;
  const [shown] = await resolveTenants(sql, profile, [handle]);
  const organizations = new Set([handle, ...fixtures.handles]);
  const list = (await profile.lifecycle.list(sql, profile, {})).filter((t) => organizations.has(t.slug));
  const show = await profile.lifecycle.show(sql, profile, shown!);
  const second = fixtures.handles[1]!;
  step(`planning an erasure of ${second} (dry run)`);
  const [target] = await resolveTenants(sql, profile, [second]);
  const plan = await profile.lifecycle.planErase(sql, profile, target!);
  step('estimating sizes per tenant');
  const sizes = await pooledTenantSizes(sql, profile, { limit: 10 });
  return { profile: profile.name, migrate, fixtures, created: { handle, created: !exists }, list, show, erasePlan: { tenant: second, plan }, sizes };
}
