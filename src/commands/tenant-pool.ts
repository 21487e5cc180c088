import type { Command } from 'commander';
import type { Io } from '../context.js';
import { usageError } from '../errors.js';
import type { Migration } from '../migrate/files.js';
import { emit } from '../output/emit.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { requireServerFor } from '../tenancy/server-minimum.js';
import { migrationsDir } from './migrate-files.js';
import { nonNegativeInt, optionsOf, waitNotice, withProfile } from './shared.js';

// The pool's code and the migration files' reader load when a pool command runs.
const poolCode = () => import('../tenants/pool.js');

/** Spares are tenant schemas: only a schema-per-tenant profile has them, at its tenant migrations. */
function spareMigrations(io: Io, profile: TenancyProfile, flag?: string): Promise<Migration[]> {
  const folder = profile.migrations.tenant;
  if (profile.mode !== 'schema-per-tenant' || folder === null) throw usageError(`Profile ${profile.name} is ${profile.mode}: it has no tenant schemas, so no warm pool of spares.`, 'The warm pool is for schema-per-tenant profiles (see `tenantctl profile list`).');
  return import('../migrate/files.js').then(({ loadMigrations }) => loadMigrations(migrationsDir(io, flag), 'tenant', folder));
}

/** Spares of other roles, which this role's creates pass over (a tenant's schema is its creator's): a line saying so, or nothing. */
function otherRolesLine(roles: Record<string, number>, what: string): string {
  const owners = Object.entries(roles);
  if (!owners.length) return '';
  const count = owners.reduce((sum, [, n]) => sum + n, 0);
  return `\n  ${count} spare schema(s) owned by ${owners.map(([role, n]) => `${role} (${n})`).join(', ')}, ${what}: a tenant create run as this role passes them over. Fill the pool (and run maintain) as the role that creates tenants.`;
}

/** `tenantctl tenant pool fill|status`: the warm pool of spare tenant schemas. */
export function registerPool(tenant: Command, io: Io): void {
  const pool = tenant.command('pool').description('spare tenant schemas built ahead, so `tenant create` only renames one (never listed as tenants)');

  pool
    .command('fill')
    .description('build spare schemas at the latest tenant migrations until --size are ready, or drop the surplus; `maintain` keeps this size')
    .requiredOption('--size <n>', 'spare schemas to keep ready', nonNegativeInt('--size'))
    .option('--migrations-dir <dir>', 'folder with shared/ and tenant/ migration files (default: the platform schema shipped with tenantctl)')
    .action(async (_o, command: Command) => {
      const options = optionsOf<{ size: number; migrationsDir?: string }>(command);
      await withProfile(io, options, async (sql, profile) => {
        // Spares are built from the profile's tenant migrations: a server too old for them is refused first.
        await requireServerFor(sql, profile);
        const migrations = await spareMigrations(io, profile, options.migrationsDir);
        const filled = await (await poolCode()).fillPool(sql, options.size, migrations, profile.registry, { onWait: waitNotice(io) });
        emit(io, options, { size: options.size, ...filled }, (d) => `pool: ${d.ready} spare schema(s) ready (${d.created.length} built now, ${d.dropped.length} dropped)${d.ready > d.size ? `; ${d.ready - d.size} more than --size were busy (a create or migrate up): run fill again` : ''}${otherRolesLine(d.otherRoles, 'left alone')}`);
      });
    });

  pool
    .command('status')
    .description('the spare schemas, whether a tenant create run by this role would take each (and if not, why), and the size maintain keeps')
    .option('--migrations-dir <dir>', 'folder with shared/ and tenant/ migration files (default: the platform schema shipped with tenantctl)')
    .action(async (_o, command: Command) => {
      const options = optionsOf<{ migrationsDir?: string }>(command);
      await withProfile(io, options, async (sql, profile) => {
        const migrations = await spareMigrations(io, profile, options.migrationsDir);
        const { poolStatus, orphanSpares, otherRolesSpares, staleSpares } = await poolCode();
        const status = { ...(await poolStatus(sql, migrations)), orphans: await orphanSpares(sql, profile.registry) };
        const stale = staleSpares(status).length;
        emit(io, options, status, (s) => `pool: ${s.ready} of ${s.schemas.length} spare schema(s) ready for this role, target ${s.target}${s.orphans.length ? `\n  ${s.orphans.length} spare schema(s) without a pool row (deleted by hand): ${s.orphans.join(', ')}; \`tenant pool fill\` or \`maintain\` drops them` : ''}${stale ? `\n  ${stale} spare schema(s) built under other default privileges than those in force now: never handed out; \`tenant pool fill\` or \`maintain\` drops them` : ''}${otherRolesLine(otherRolesSpares(s), 'not counted')}`);
      });
    });
}
