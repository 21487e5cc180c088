import type { Command } from 'commander';
import type { Io } from '../context.js';
import type { Sql } from '../db/connect.js';
import { usageError } from '../errors.js';
import { emit, emitRows } from '../output/emit.js';
import type { SubLevelSpec, TenancyProfile } from '../tenancy/profile.js';
import { optionsOf, withProfile, type GlobalOptions } from './shared.js';

/** The tenant a workspace command names; the registry code loads when one runs. */
async function tenantId(sql: Sql, profile: TenancyProfile, ref: string): Promise<string> {
  const { resolveTenant } = await import('../tenancy/registry.js');
  return (await resolveTenant(sql, profile, ref)).id;
}

/** The profile's level below the tenant, or a usage error naming the profile. */
function subLevelOf(profile: TenancyProfile): SubLevelSpec {
  if (!profile.subLevel) throw usageError(`The ${profile.name} profile has no workspaces: its tenants are not split further.`, 'tenant workspace applies to profiles with a second isolation level (prometric).');
  return profile.subLevel;
}

/** `tenantctl tenant workspace list|add`: the second isolation level of profiles that have one. */
export function registerWorkspace(tenant: Command, io: Io): void {
  const workspace = tenant.command('workspace').description('workspaces of a tenant (profiles with a second isolation level, e.g. prometric): list, add');

  workspace
    .command('list <tenant>')
    .description("the tenant's workspaces, main first, with their employees")
    .action(async (ref: string, _o, command: Command) => {
      const options = optionsOf<GlobalOptions>(command);
      await withProfile(io, options, async (sql, profile) => {
        const level = subLevelOf(profile);
        const rows = await level.list(sql, await tenantId(sql, profile, ref));
        emitRows(io, options, rows, [{ key: 'name' }, { key: 'type' }, { key: 'status' }, { key: 'id' }]);
      });
    });

  workspace
    .command('add <tenant> <name>')
    .description('add a workspace (a division, project or branch) to the tenant')
    .option('--type <type>', 'division, project or branch', 'division')
    .addHelpText('after', '\nExample:\n  tenantctl tenant workspace add 123456789012 "Almaty branch" --type branch')
    .action(async (ref: string, name: string, _o, command: Command) => {
      const options = optionsOf<GlobalOptions & { type: string }>(command);
      await withProfile(io, options, async (sql, profile) => {
        const level = subLevelOf(profile);
        const created = await level.add(sql, await tenantId(sql, profile, ref), name, options.type);
        emit(io, options, created, (w) => `${level.label} "${w.name}" (${w.type}) added: ${w.id}`);
      });
    });
}
