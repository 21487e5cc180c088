import { Option, type Command } from 'commander';
import type { Io } from '../context.js';
import { usageError } from '../errors.js';
import type { AdoptReport } from '../migrate/adopt.js';
import type { BaselineReport } from '../migrate/baseline.js';
import { emit } from '../output/emit.js';
import { recordProfile } from '../tenancy/resolve-profile.js';
import { addFolderFlags, loadMigrationsFor, type FolderOptions } from './migrate-files.js';
import { optionsOf, withProfile, type GlobalOptions } from './shared.js';

const renderAdopt = (r: AdoptReport): string =>
  [
    `adopted ${r.adopted.length} version(s) from the dbmate ledger ${r.ledger}${r.adopted.length ? `: ${r.adopted.join(', ')}` : ''}`,
    r.alreadyRecorded.length ? `already recorded: ${r.alreadyRecorded.length}` : '',
    r.pending.length ? `pending (migrate up will run them): ${r.pending.join(', ')}` : 'nothing pending',
  ].filter(Boolean).join('\n');

function renderBaseline(r: BaselineReport): string {
  if (r.alreadyRecorded) return `baseline ${r.version} (${r.file}) is already recorded as applied; nothing to do`;
  const checked = `${r.checked.tables} tables, ${r.checked.columns} columns, ${r.checked.indexes} indexes`;
  if (r.ok) return `baseline ${r.version} recorded as applied: the live schema has all ${checked} that ${r.file} creates`;
  const lines = r.differences.map((d) =>
    d.kind === 'table' ? `  missing table ${d.table}`
    : d.live === null ? `  missing ${d.kind} ${d.table}.${d.name}: ${d.expected}`
    : `  ${d.kind} ${d.table}.${d.name}: baseline has ${d.expected}, live has ${d.live}`,
  );
  return [`baseline ${r.version} NOT recorded: the live schema differs from what ${r.file} creates (${r.differences.length} difference(s) in ${checked}):`, ...lines].join('\n');
}

/**
 * `migrate adopt --from dbmate` and `migrate baseline`: take over a database another tool built.
 * Both work on the profile's migrations and its shared target, and record the profile as the
 * first `migrate up` would, so that later commands need no --profile.
 */
export function registerMigrateAdoption(migrate: Command, io: Io): void {
  addFolderFlags(migrate.command('adopt').description("import another tool's ledger (dbmate's schema_migrations) so status and up see what it applied"))
    .addOption(new Option('--from <tool>', 'the tool whose ledger to import').choices(['dbmate']).makeOptionMandatory())
    .option('--table <name>', "dbmate's --migrations-table", 'schema_migrations')
    .addHelpText('after', '\nExample:\n  tenantctl migrate adopt --from dbmate --migrations-dir db/migrations')
    .action(async (_o, command: Command) => {
      const options = optionsOf<GlobalOptions & FolderOptions & { table: string }>(command);
      await withProfile(io, options, async (sql, profile) => {
        const files = await loadMigrationsFor(io, options, profile.migrations);
        const { adoptDbmateLedger } = await import('../migrate/adopt.js');
        const report = await adoptDbmateLedger(sql, files.shared, options.table, profile.registry.schema);
        await recordProfile(sql, profile);
        emit(io, options, report, renderAdopt);
      });
    });

  addFolderFlags(migrate.command('baseline').description("record the profile's baseline migration as applied on a database built by another tool, after checking the live schema matches it"))
    .option('--baseline <version>', 'the version of the baseline migration (default: the first shared migration)')
    .addHelpText('after', '\nExample:\n  tenantctl migrate baseline --migrations-dir db/migrations')
    .action(async (_o, command: Command) => {
      const options = optionsOf<GlobalOptions & FolderOptions & { baseline?: string }>(command);
      await withProfile(io, options, async (sql, profile, config) => {
        const { shared } = await loadMigrationsFor(io, options, profile.migrations);
        const [{ compareVersions }, { baselineDatabase }] = await Promise.all([import('../migrate/files.js'), import('../migrate/baseline.js')]);
        const baseline = options.baseline === undefined ? shared[0] : shared.find((m) => /^\d+$/.test(options.baseline!) && compareVersions(m.version, options.baseline!) === 0);
        if (!baseline) throw usageError(options.baseline === undefined ? `There is no shared migration of profile ${profile.name} to use as the baseline.` : `--baseline ${options.baseline} matches no shared migration file of profile ${profile.name}.`, `Shared versions: ${shared.map((m) => m.version).join(', ') || '(none)'}.`);
        const report = await baselineDatabase(sql, config, baseline, profile.registry.schema);
        if (report.ok) await recordProfile(sql, profile);
        emit(io, options, report, renderBaseline);
        if (!report.ok) process.exitCode = 1;
      });
    });
}
