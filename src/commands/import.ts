import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import type { ImportMode } from '../csv/apply.js';
import { ENTITIES } from '../csv/entities.js';
import { importCsv, type ImportSummary } from '../csv/import.js';
import { defaultActor, type Io } from '../context.js';
import { emit } from '../output/emit.js';
import { formatCount, formatDuration } from '../output/format.js';
import { progress } from '../output/progress.js';
import { tenantOrPrompt } from './csv-shared.js';
import { confirmOrRequireYes, nonNegativeInt, optionsOf, withDatabase } from './shared.js';

interface ImportFlags {
  tenant?: string;
  mode: ImportMode;
  rejects?: string;
  maxErrors: number;
  dryRun?: boolean;
  delimiter?: string;
  actor?: string;
  yes?: boolean;
}

function render(s: ImportSummary): string {
  const lines = s.childRows === undefined ? '' : `, ${formatCount(s.childRows)} lines written`;
  const head = `${s.dryRun ? 'dry run (nothing written): would import' : 'imported'} ${s.entity} into ${s.tenant} from ${s.source} in ${formatDuration(s.seconds * 1000)}`;
  return `${head}\n  rows ${formatCount(s.rows)} · inserted ${formatCount(s.inserted)} · updated ${formatCount(s.updated)} · unchanged ${formatCount(s.unchanged)} · deleted ${formatCount(s.deleted)} · rejected ${formatCount(s.rejected)}${lines}`;
}

/** `tenantctl import products|orders <file|->`: one transaction, all or nothing. */
export function registerImport(program: Command, io: Io): void {
  program
    .command('import')
    .description('load a CSV of products or orders into one tenant (one transaction: all rows or none)')
    .addArgument(program.createArgument('<entity>', 'what the file holds').choices(Object.keys(ENTITIES)))
    .argument('<file>', 'CSV file, or - for standard input')
    .option('--tenant <slug>', 'tenant to import into (asked on a terminal when missing)')
    .addOption(new Option('--mode <mode>', 'upsert: insert or update by natural key; insert: existing keys are errors; replace: also delete rows not in the file').choices(['upsert', 'insert', 'replace']).default('upsert'))
    .option('--rejects <file>', 'write every rejected row (line, column, value, reason) to this CSV file')
    .option('--max-errors <n>', 'skip up to n bad rows instead of aborting (0: any error aborts)', nonNegativeInt('--max-errors'), 0)
    .option('--dry-run', 'validate and count, then roll back: nothing is written')
    .option('--delimiter <char>', 'field delimiter: , ; | or tab', ',')
    .option('--actor <name>', 'who to record in the audit log (default: your OS user)')
    .option('--yes', 'confirm --mode replace without a prompt')
    .addHelpText('after', '\nExamples:\n  tenantctl import products fixtures/products.csv --tenant acme\n  tenantctl import orders orders.csv --tenant acme --max-errors 10 --rejects rejects.csv\n  cat products.csv | tenantctl import products - --tenant acme --dry-run --json\n')
    .action(async (entity: string, file: string, _opts, command: Command) => {
      const options = optionsOf<ImportFlags>(command);
      await withDatabase(io, options, async (sql) => {
        const tenant = await tenantOrPrompt(io, sql, options.tenant, `import ${entity}`);
        if (options.mode === 'replace' && !options.dryRun) {
          await confirmOrRequireYes(io, options, `Replace ALL ${entity} of tenant ${tenant} with the rows of ${file}? Rows not in the file are deleted.`, 'import --mode replace');
        }
        const bar = progress(io, `import ${entity}: rows`);
        let directTried = false;
        let summary: ImportSummary;
        try {
          summary = await importCsv(sql, {
            entity,
            tenant,
            input: file === '-' ? io.stdin : resolve(io.cwd, file),
            sourceName: file === '-' ? 'stdin' : undefined,
            mode: options.mode,
            rejects: options.rejects ? resolve(io.cwd, options.rejects) : undefined,
            maxErrors: options.maxErrors,
            dryRun: options.dryRun,
            delimiter: options.delimiter,
            actor: options.actor ?? defaultActor(io.env),
            onProgress: (p) => {
              // A direct load that gave up is followed by a second read of the file: say why the count restarted.
              if (p.loader === 'direct') directTried = true;
              const note = p.loader === 'staged' && directTried ? 'second pass, checking every value' : undefined;
              bar.measure({ done: p.rows, bytes: p.bytes, totalBytes: p.totalBytes, note });
            },
          });
        } finally {
          bar.done();
        }
        emit(io, options, summary, render);
      }, 2);
    });
}
