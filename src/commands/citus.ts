import { Option, type Command } from 'commander';
import { citusCheck } from '../citus/check.js';
import { distribute } from '../citus/distribute.js';
import { moveTenant } from '../citus/move.js';
import { nodeReports } from '../citus/nodes.js';
import { currentRebalancePlan, rebalance } from '../citus/rebalance.js';
import type { Io } from '../context.js';
import { emit, writeErr, type OutputOptions } from '../output/emit.js';
import { formatBytes, formatTable } from '../output/format.js';
import { validateSlug } from '../tenancy/slug.js';
import { migrationsDir } from './migrate.js';
import { nodeColumns, nodeCsvColumns, nodeMetrics, renderCheck, renderDistribute, renderMove, renderPlan, renderRebalance } from './citus-render.js';
import { confirmOrRequireYes, optionsOf, positiveInt, withDatabase, withProfile, NO_WAIT_HELP, waitNotice } from './shared.js';
import { resolveTenant } from '../tenancy/registry.js';

/** `tenantctl citus check|distribute`: preparing a database for a Citus cluster. */
export function registerCitus(program: Command, io: Io): void {
  const citus = program.command('citus').description('Citus clusters: what blocks distributing tenants (check), converting tenant schemas into distributed schemas (distribute)');

  citus
    .command('check')
    .description('read-only: per tenant schema, what blocks it from becoming a distributed schema; for a pooled schema, what distributing its tables by the tenant column would need')
    .option('--schema <name>', 'check this pooled schema (tables with a tenant column) instead of the tenant schemas')
    .option('--registry <table>', 'the tenant table of the pooled schema (default: the table most foreign keys point at)')
    .option('--migrations-dir <dir>', 'also scan these tenant migrations for statements a distributed schema handles differently')
    .action(async (_o, command: Command) => {
      const o = optionsOf<{ schema?: string; registry?: string; migrationsDir?: string }>(command);
      const report = await withProfile(io, o, (sql, profile) => citusCheck(sql, profile.lifecycle.targets, { pooledSchema: o.schema, registry: o.registry, migrationsDir: migrationsDir(io, o.migrationsDir) }));
      emit(io, o, report, renderCheck);
      if (report.problems) process.exitCode = 1;
    });

  citus
    .command('distribute')
    .description('convert the tenant schemas of this (now Citus) database into distributed schemas and shared tables into reference tables; resumable, reports what blocks each schema')
    .option('--dry-run', 'say what would be converted and what blocks, change nothing')
    .option('--yes', 'do not ask for confirmation')
    .action(async (_o, command: Command) => {
      const o = optionsOf<{ dryRun?: boolean; yes?: boolean }>(command);
      if (!o.dryRun) await confirmOrRequireYes(io, o, 'Convert shared tables to reference tables and tenant schemas to distributed schemas?', 'citus distribute');
      const report = await withProfile(io, o, (sql, profile) => distribute(sql, profile.lifecycle.targets, { dryRun: o.dryRun, onSchema: (i, n, schema) => io.stderrIsTTY && writeErr(io, `[${i + 1}/${n}] ${schema}`) }));
      emit(io, o, report, renderDistribute);
      if (report.schemas.some((s) => s.outcome === 'blocked' || s.outcome === 'failed')) process.exitCode = 1;
    });
}

/** `tenant move` and `tenant rebalance`, registered into the tenant group. */
export function registerTenantPlacement(tenant: Command, io: Io): void {
  tenant
    .command('move <slug>')
    .description('Citus: move a tenant (its whole distributed schema) to another worker; online when every table has a primary key and wal_level=logical, else blocking writes (the reason is printed)')
    .requiredOption('--to <host:port>', 'the worker to move it to (see `tenantctl monitor nodes`)')
    .addOption(new Option('--mode <mode>', 'auto: online when the tables allow; block-writes: pause writes to this tenant during the copy').choices(['auto', 'block-writes']).default('auto'))
    .option('--no-wait', NO_WAIT_HELP)
    .action(async (slug: string, _o, command: Command) => {
      const o = optionsOf<{ to: string; mode: 'auto' | 'block-writes'; wait: boolean }>(command);
      validateSlug(slug);
      const lock = { noWait: !o.wait, onWait: waitNotice(io) };
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
