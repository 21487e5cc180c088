import type { Io } from '../context.js';
import { usageError } from '../errors.js';
import { emit } from '../output/emit.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { changeFeatures, effectiveFeatures } from '../tenants/features.js';
import { changePlan, type Change } from '../tenants/lifecycle.js';
import { actorOf, reasonOf } from './tenant-prompts.js';
import { renderFeatures } from './tenant-render.js';
import { withTenant } from './tenant-ref.js';
import type { GlobalOptions } from './shared.js';

export type ChangeOptions = GlobalOptions & { reason?: string; actor?: string };
export type FeatureOptions = ChangeOptions & { enable?: string[]; disable?: string[]; reset?: string[] };

/** `tenant plan` / `tenant features` need subscriptions and feature flags, which not every system has. */
function requirePlans(profile: TenancyProfile, command: string): void {
  if (!profile.plansAndFeatures) throw usageError(`tenant ${command} needs plans and feature flags; profile ${profile.name} has none (its tier, if any, is a column of ${profile.registry.table}).`, 'See `tenantctl profile show <name>`.');
}

const renderChange = (already: string) => (c: Change): string => (c.changed ? `${c.slug}: ${c.from ?? '(none)'} → ${c.to}` : `${c.slug} is already ${already}${c.to}: nothing changed`);

/** `tenant suspend` / `tenant resume`, loaded when they run. */
export async function runSetStatus(io: Io, command: 'suspend' | 'resume', ref: string, options: ChangeOptions): Promise<void> {
  const reason = await reasonOf(io, options.reason, `tenant ${command}`);
  const status = command === 'suspend' ? 'suspended' : 'active';
  await withTenant(io, options, ref, async (sql, profile, t) => emit(io, options, await profile.lifecycle.setStatus(sql, profile, t, status, { actor: actorOf(io, options.actor), reason }), renderChange('')));
}

/** `tenant plan`, loaded when it runs. */
export async function runPlan(io: Io, ref: string, plan: string, options: ChangeOptions): Promise<void> {
  await withTenant(io, options, ref, async (sql, profile, t) => {
    requirePlans(profile, 'plan');
    emit(io, options, await changePlan(sql, profile.registry, t, plan, { actor: actorOf(io, options.actor), reason: options.reason }), renderChange('on plan '));
  });
}

/** `tenant features`, loaded when it runs. */
export async function runFeatures(io: Io, ref: string, options: FeatureOptions): Promise<void> {
  const changing = Boolean(options.enable?.length || options.disable?.length || options.reset?.length);
  const reason = changing ? await reasonOf(io, options.reason, 'a feature override') : undefined;
  await withTenant(io, options, ref, async (sql, profile, t) => {
    requirePlans(profile, 'features');
    if (changing) await changeFeatures(sql, profile.registry, t, options, { actor: actorOf(io, options.actor), reason: reason! });
    emit(io, options, await effectiveFeatures(sql, profile.registry, t), (d) => renderFeatures(io, d));
  });
}
