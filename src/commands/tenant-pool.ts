import type { Command } from 'commander';
import type { Io } from '../context.js';
import { loadMigrations } from '../migrate/files.js';
import { emit } from '../output/emit.js';
import { fillPool, poolStatus } from '../tenants/pool.js';
import { migrationsDir } from './migrate.js';
import { nonNegativeInt, optionsOf, withDatabase } from './shared.js';

/** `tenantctl tenant pool fill|status`: the warm pool of spare tenant schemas. */
export function registerPool(tenant: Command, io: Io): void {
  const pool = tenant.command('pool').description('spare tenant schemas built ahead, so `tenant create` only renames one (never listed as tenants)');

  pool
    .command('fill')
    .description('build spare schemas at the latest tenant migrations until --size are ready; `maintain` refills to this size')
    .requiredOption('--size <n>', 'spare schemas to keep ready', nonNegativeInt('--size'))
    .option('--migrations-dir <dir>', 'folder with shared/ and tenant/ migration files (default: the platform schema shipped with tenantctl)')
    .action(async (_o, command: Command) => {
      const options = optionsOf<{ size: number; migrationsDir?: string }>(command);
      const migrations = await loadMigrations(migrationsDir(io, options.migrationsDir), 'tenant');
      await withDatabase(io, options, async (sql) => {
        const created = await fillPool(sql, options.size, migrations);
        emit(io, options, { size: options.size, created }, (d) => `pool: ${d.size} spare schema(s) ready (${d.created.length} built now)`);
      });
    });

  pool
    .command('status')
    .description('the spare schemas, whether each is at the latest tenant migrations, and the size maintain keeps')
    .option('--migrations-dir <dir>', 'folder with shared/ and tenant/ migration files (default: the platform schema shipped with tenantctl)')
    .action(async (_o, command: Command) => {
      const options = optionsOf<{ migrationsDir?: string }>(command);
      const migrations = await loadMigrations(migrationsDir(io, options.migrationsDir), 'tenant');
      await withDatabase(io, options, async (sql) => {
        const status = await poolStatus(sql, migrations);
        emit(io, options, status, (s) => `pool: ${s.ready} of ${s.schemas.length} spare schema(s) ready, target ${s.target}`);
      });
    });
}
