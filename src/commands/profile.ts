import type { Command } from 'commander';
import type { Io } from '../context.js';
import { emit, emitRows } from '../output/emit.js';
import { formatRecord, formatTable } from '../output/format.js';
import { style } from '../output/style.js';
import type { ProfileCheckView } from '../tenancy/lifecycle.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { BUILTIN_PROFILES } from '../tenancy/profiles/index.js';
import { profileNamed } from '../tenancy/resolve-profile.js';
import { optionsOf, withProfile } from './shared.js';

/** A profile as data, for `profile show --json` (its functions left out). */
function describe(p: TenancyProfile) {
  return {
    name: p.name,
    description: p.description,
    mode: p.mode,
    serverMinimum: p.serverMinimum,
    registry: p.registry,
    migrations: p.migrations,
    provisioning: { example: p.provisioning.example, fields: p.provisioning.fields.map((f) => ({ flag: f.flag, label: f.label, required: f.required, choices: f.choices, default: f.default })) },
    pooled: p.pooled ?? null,
  };
}

/** `profile check` for people: the class of every table, then the findings, worst first. */
function renderCheck(io: Io, profileName: string, c: ProfileCheckView): string {
  const order = { error: 0, warning: 1, info: 2 } as const;
  const findings = [...c.findings].sort((a, b) => order[a.severity] - order[b.severity]);
  return [
    `profile ${profileName}: ${c.summary.tables} tables (${Object.entries(c.summary.byClass).map(([k, n]) => `${n} ${k}`).join(', ')}); ${c.summary.errors} error(s), ${c.summary.warnings} warning(s)`,
    formatTable(c.classification.tables.map((t) => ({ table: t.table, class: t.class, owner: t.ownerPath || t.tenantColumn || '', why: t.reason })), [{ key: 'table' }, { key: 'class' }, { key: 'owner', header: 'owner path' }, { key: 'why' }], io.color),
    findings.length ? formatTable(findings.map((f) => ({ severity: f.severity === 'error' ? style(io, 'red', 'error') : f.severity, kind: f.kind, table: f.table, message: f.message, advice: f.advice })), [{ key: 'severity' }, { key: 'kind' }, { key: 'table' }, { key: 'message' }, { key: 'advice' }], io.color) : 'no findings: an erasure would see every tenant row.',
  ].join('\n');
}

/** `tenantctl profile list|show|check`. */
export function registerProfile(program: Command, io: Io): void {
  const profile = program.command('profile').description('tenancy profiles: how each system keeps its tenants (list, show, check against a live database)');

  profile
    .command('check')
    .description('classify every table of the live database (registry, direct, indirect with its owner path, global, unclassified) and report what would make an erasure incomplete or unsafe; exit 1 on errors')
    .addHelpText('after', '\nExamples:\n  tenantctl --profile imsop profile check\n  tenantctl profile check --json')
    .action(async (_o, command: Command) => {
      const options = optionsOf(command);
      await withProfile(io, options, async (sql, p) => {
        const check = await p.lifecycle.check(sql, p);
        emit(io, options, { profile: p.name, ...check }, () => renderCheck(io, p.name, check));
        // Errors mean an erasure would miss or wrongly keep rows: a finding, reported above, and the exit code says it.
        if (check.summary.errors) process.exitCode = 1;
      });
    });

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
      emit(io, options, p, (d) => formatRecord({ name: d.name, mode: d.mode, server: `PostgreSQL ${d.serverMinimum.major}+ (${d.serverMinimum.why})`, registry: `${d.registry.schema}.${d.registry.table} key ${d.registry.key}, handle ${d.registry.handle}, status ${d.registry.status.column}`, migrations: `${d.migrations.shared}/${d.migrations.tenant ? ` + ${d.migrations.tenant}/ per tenant` : ' (one target)'}`, create: d.provisioning.example, description: d.description }));
    });
}
