import type { Command } from 'commander';
import type { Io } from '../context.js';
import { emit, emitRows } from '../output/emit.js';
import { formatRecord } from '../output/format.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { BUILTIN_PROFILES } from '../tenancy/profiles/index.js';
import { profileNamed } from '../tenancy/resolve-profile.js';
import { optionsOf } from './shared.js';

/** A profile as data, for `profile show --json` (its functions left out). */
function describe(p: TenancyProfile) {
  return {
    name: p.name,
    description: p.description,
    mode: p.mode,
    registry: p.registry,
    migrations: p.migrations,
    provisioning: { example: p.provisioning.example, fields: p.provisioning.fields.map((f) => ({ flag: f.flag, label: f.label, required: f.required, choices: f.choices, default: f.default })) },
    pooled: p.pooled ?? null,
  };
}

/** `tenantctl profile list|show`. */
export function registerProfile(program: Command, io: Io): void {
  const profile = program.command('profile').description('tenancy profiles: how each system keeps its tenants (list, show)');

  profile
    .command('list')
    .description('the built-in profiles')
    .action(async (_o, command: Command) => {
      const options = optionsOf(command);
      emitRows(io, options, BUILTIN_PROFILES.map((p) => ({ name: p.name, mode: p.mode, registry: `${p.registry.schema}.${p.registry.table} (by ${p.registry.handleLabel} or ${p.registry.key})`, description: p.description })), [{ key: 'name' }, { key: 'mode' }, { key: 'registry' }, { key: 'description' }]);
    });

  profile
    .command('show <name>')
    .description('one profile as data: registry, migrations, provisioning fields, pooled declarations')
    .action(async (name: string, _o, command: Command) => {
      const options = optionsOf(command);
      const p = describe(profileNamed(BUILTIN_PROFILES, name, 'profile show'));
      emit(io, options, p, (d) => formatRecord({ name: d.name, mode: d.mode, registry: `${d.registry.schema}.${d.registry.table} key ${d.registry.key}, handle ${d.registry.handle}, status ${d.registry.status.column}`, migrations: `${d.migrations.shared}/${d.migrations.tenant ? ` + ${d.migrations.tenant}/ per tenant` : ' (one target)'}`, create: d.provisioning.example, description: d.description }));
    });
}
