import type { Command } from 'commander';
import type { Io } from '../context.js';
import { emit, writeErr } from '../output/emit.js';
import { usageError } from '../errors.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { migrationsDir } from './migrate-files.js';
import { confirmOrRequireYes, optionsOf, withProfile } from './shared.js';

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
      // The Citus code and its renderers load when a citus command runs.
      const [{ citusCheck }, { renderCheck }] = await Promise.all([import('../citus/check.js'), import('./citus-render.js')]);
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
      const [{ distribute }, { renderDistribute }] = await Promise.all([import('../citus/distribute.js'), import('./citus-render.js')]);
      const report = await withProfile(io, o, async (sql, profile) => {
        // Refused before the question: a pooled profile has nothing this command converts.
        refusePooled(profile);
        if (!o.dryRun) await confirmOrRequireYes(io, o, 'Convert shared tables to reference tables and tenant schemas to distributed schemas?', 'citus distribute');
        return distribute(sql, profile.lifecycle.targets, { dryRun: o.dryRun, onSchema: (i, n, schema) => io.stderrIsTTY && writeErr(io, `[${i + 1}/${n}] ${schema}`) });
      });
      emit(io, o, report, renderDistribute);
      if (report.schemas.some((s) => s.outcome === 'blocked' || s.outcome === 'failed')) process.exitCode = 1;
    });
}

/**
 * `citus distribute` converts tenant schemas and makes shared tables reference tables: for a
 * pooled profile the shared tables are the tenants' own, which must not be copied to every
 * worker (citus/reference.ts, sharedTablesBecomeReference). Its tables stay local on the coordinator.
 */
function refusePooled(profile: TenancyProfile): void {
  if (profile.mode === 'schema-per-tenant') return;
  throw usageError(
    `citus distribute converts tenant schemas; profile ${profile.name} is ${profile.mode}: its tables hold every tenant's rows and stay local on the coordinator (every command works there as on one node). Nothing was changed.`,
    'Run citus check for what distributing its tables by the tenant column would need.',
  );
}
