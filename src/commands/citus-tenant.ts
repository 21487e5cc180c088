import { Option, type Command } from 'commander';
import type { Io } from '../context.js';
import { emit, writeErr } from '../output/emit.js';
import { formatBytes } from '../output/format.js';
import { confirmOrRequireYes, optionsOf, positiveInt, withProfile, NO_WAIT_HELP, waitNotice } from './shared.js';

/**
 * `tenant move` and `tenant rebalance`, registered into the tenant group. Their Citus code and
 * renderers load when they run: every other tenant subcommand registers these too.
 */
export function registerTenantPlacement(tenant: Command, io: Io): void {
  tenant
    .command('move <slug>')
    .description('Citus: move a tenant (its whole distributed schema) to another worker; online when every table has a primary key and wal_level=logical, else blocking writes (the reason is printed)')
    .requiredOption('--to <host:port>', 'the worker to move it to (see `tenantctl monitor nodes`)')
    .addOption(new Option('--mode <mode>', 'auto: online when the tables allow; block-writes: pause writes to this tenant during the copy').choices(['auto', 'block-writes']).default('auto'))
    .option('--no-wait', NO_WAIT_HELP)
    .action(async (slug: string, _o, command: Command) => {
      const o = optionsOf<{ to: string; mode: 'auto' | 'block-writes'; wait: boolean }>(command);
      const lock = { noWait: !o.wait, onWait: waitNotice(io) };
      const [{ moveTenant }, { resolveTenant }, { renderMove }] = await Promise.all([import('../citus/move.js'), import('../tenancy/registry.js'), import('./citus-render.js')]);
      const report = await withProfile(io, o, async (sql, profile) => moveTenant(sql, profile.registry, profile.lifecycle.targets, await resolveTenant(sql, profile, slug), o.to, o.mode, lock));
      emit(io, o, report, renderMove);
    });

  tenant
    .command('rebalance')
    .description('Citus: plan moves by bytes per tenant until every worker is within the tolerance of an even share, then run them one by one (a rerun resumes)')
    .option('--dry-run', 'print the plan, move nothing')
    .option('--tolerance <percent>', 'allowed distance from an even share, in percent', positiveInt('--tolerance'), 20)
    .option('--yes', 'do not ask for confirmation')
    .action(async (_o, command: Command) => {
      const o = optionsOf<{ dryRun?: boolean; tolerance: number; yes?: boolean }>(command);
      const tolerance = o.tolerance / 100;
      const [{ currentRebalancePlan, rebalance }, { renderPlan, renderRebalance }] = await Promise.all([import('../citus/rebalance.js'), import('./citus-render.js')]);
      if (o.dryRun) {
        const plan = await withProfile(io, o, (sql, profile) => currentRebalancePlan(sql, profile.lifecycle.targets, tolerance));
        return emit(io, o, plan, renderPlan);
      }
      await confirmOrRequireYes(io, o, 'Move tenants between workers now?', 'tenant rebalance');
      const report = await withProfile(io, o, (sql, profile) => rebalance(sql, profile.lifecycle.targets, {
        tolerance,
        // Progress on stderr: one line per move (moves take seconds each, so no redraw needed).
        onMove: (i, n, m) => writeErr(io, `[${i + 1}/${n}] ${m.slug} ${m.from} → ${m.to} (${formatBytes(m.bytes)})`),
        onWait: waitNotice(io),
      }));
      emit(io, o, report, renderRebalance);
    });
}
