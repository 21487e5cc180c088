import { Option, type Command } from 'commander';
import type { Io } from '../context.js';
import { usageError } from '../errors.js';
import { adoptDbmateLedger, type AdoptReport } from '../migrate/adopt.js';
import { baselineDatabase, type BaselineReport } from '../migrate/baseline.js';
import { compareVersions } from '../migrate/files.js';
import { emit } from '../output/emit.js';
import { addFolderFlags, loadMigrationsFor, type FolderOptions } from './migrate-files.js';
import { optionsOf, withDatabase } from './shared.js';

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

/** `migrate adopt --from dbmate` and `migrate baseline`: take over a database another tool built. */
export function registerMigrateAdoption(migrate: Command, io: Io): void {
  addFolderFlags(migrate.command('adopt').description("import another tool's ledger (dbmate's schema_migrations) so status and up see what it applied"))
    .addOption(new Option('--from <tool>', 'the tool whose ledger to import').choices(['dbmate']).makeOptionMandatory())
    .option('--table <name>', "dbmate's --migrations-table", 'schema_migrations')
    .addHelpText('after', '\nExample:\n  tenantctl migrate adopt --from dbmate --migrations-dir db/migrations')
    .action(async (_o, command: Command) => {
      const options = optionsOf<FolderOptions & { table: string }>(command);
      const files = await loadMigrationsFor(io, options);
      await withDatabase(io, options, async (sql) => {
        emit(io, options, await adoptDbmateLedger(sql, files.shared, options.table), renderAdopt);
      });
    });

  addFolderFlags(migrate.command('baseline').description('record the baseline migration as applied on a database built by another tool, after checking the live schema matches it'))
    .option('--baseline <version>', 'the version of the baseline migration (default: the first shared migration)')
    .addHelpText('after', '\nExample:\n  tenantctl migrate baseline --migrations-dir db/migrations')
    .action(async (_o, command: Command) => {
      const options = optionsOf<FolderOptions & { baseline?: string }>(command);
      const { shared } = await loadMigrationsFor(io, options);
      const baseline = options.baseline === undefined ? shared[0] : shared.find((m) => /^\d+$/.test(options.baseline!) && compareVersions(m.version, options.baseline!) === 0);
      if (!baseline) throw usageError(options.baseline === undefined ? 'There is no shared migration to use as the baseline.' : `--baseline ${options.baseline} matches no shared migration file.`, `Shared versions: ${shared.map((m) => m.version).join(', ') || '(none)'}.`);
      await withDatabase(io, options, async (sql, config) => {
        const report = await baselineDatabase(sql, config, baseline);
        emit(io, options, report, renderBaseline);
        if (!report.ok) process.exitCode = 1;
      });
    });
}
