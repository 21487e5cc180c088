import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import type { ImportMode } from '../csv/apply.js';
import { importCsv, type ImportSummary } from '../csv/import.js';
import { defaultActor, type Io } from '../context.js';
import { emit } from '../output/emit.js';
import { formatCount, formatDuration } from '../output/format.js';
import { progress } from '../output/progress.js';
import { tenantOrPrompt } from './csv-shared.js';
import { confirmOrRequireYes, NO_WAIT_HELP, nonNegativeInt, optionsOf, waitNotice, withProfile } from './shared.js';

interface ImportFlags {
  tenant?: string;
  mode: ImportMode;
  rejects?: string;
  maxErrors: number;
  dryRun?: boolean;
  delimiter?: string;
  actor?: string;
  yes?: boolean;
  wait: boolean;
}

function render(s: ImportSummary, rejects: string | undefined): string {
  const lines = s.childRows === undefined ? '' : `, ${formatCount(s.childRows)} lines written`;
  const head = `${s.dryRun ? 'dry run (nothing written): would import' : 'imported'} ${s.entity} into ${s.tenant} from ${s.source} in ${formatDuration(s.seconds * 1000)}`;
  const body = `${head}\n  rows ${formatCount(s.rows)} · inserted ${formatCount(s.inserted)} · updated ${formatCount(s.updated)} · unchanged ${formatCount(s.unchanged)} · deleted ${formatCount(s.deleted)}${s.retired ? ` · retired ${formatCount(s.retired)}` : ''} · rejected ${formatCount(s.rejected)}${lines}`;
  if (s.rejected === 0) return body;
  const where = rejects ? `listed in ${rejects}` : 'pass --rejects FILE to list them';
  const kept = s.removalSkipped ? `\n  replace: the rows missing from the file were ${s.dryRun ? 'not to be' : 'NOT'} removed, since the file was not taken whole: fix the rejected rows and import again to remove them.` : '';
  return `${body}\n  INCOMPLETE: ${formatCount(s.rejected)} row${s.rejected === 1 ? ' was' : 's were'} rejected (${where}); ${s.dryRun ? 'the other rows would be loaded' : 'the other rows were loaded and committed'} (--max-errors ${s.maxErrors}). Exit code 1.${kept}`;
}

/** `tenantctl import products|orders <file|->`: one transaction; all or nothing unless --max-errors lets bad rows be left out (then exit 1). */
export function registerImport(program: Command, io: Io): void {
  program
    .command('import')
    .description('load a CSV of products or orders into one tenant (one transaction: all rows or none; --max-errors loads the rest and exits 1)')
    .argument('<entity>', "what the file holds: products or orders (the profile's entities; abparts also: inventory, supplier_orders)")
    .argument('<file>', 'CSV file, or - for standard input')
    .option('--tenant <slug>', 'tenant to import into (asked on a terminal when missing)')
    .addOption(new Option('--mode <mode>', 'upsert: insert or update by natural key; insert: existing keys are errors; replace: also delete rows not in the file').choices(['upsert', 'insert', 'replace']).default('upsert'))
    .option('--rejects <file>', 'write every rejected row (line, column, value, reason) to this CSV file')
    .option('--max-errors <n>', 'skip up to n bad rows and load the rest (exit 1 when any was skipped; 0: any bad row aborts the whole import)', nonNegativeInt('--max-errors'), 0)
    .option('--dry-run', 'validate and count, then roll back: nothing is written')
    .option('--delimiter <char>', 'field delimiter: , ; | or tab', ',')
    .option('--actor <name>', 'who to record in the audit log (default: your OS user)')
    .option('--yes', 'confirm --mode replace without a prompt')
    .option('--no-wait', NO_WAIT_HELP)
    .addHelpText('after', '\nExamples:\n  tenantctl import products fixtures/products.csv --tenant acme\n  tenantctl import orders orders.csv --tenant acme --max-errors 10 --rejects rejects.csv\n  cat products.csv | tenantctl import products - --tenant acme --dry-run --json\n')
    .action(async (entity: string, file: string, _opts, command: Command) => {
      const options = optionsOf<ImportFlags>(command);
      await withProfile(io, options, async (sql, profile) => {
        const tenant = await tenantOrPrompt(io, sql, profile, options.tenant, entity, `import ${entity}`);
        if (options.mode === 'replace' && !options.dryRun) {
          await confirmOrRequireYes(io, options, `Replace ALL ${entity} of tenant ${tenant} with the rows of ${file}? Rows not in the file are removed (deleted, or retired where the profile keeps them for what refers to them).`, 'import --mode replace');
        }
        const bar = progress(io, `import ${entity}: rows`);
        let directTried = false;
        let summary: ImportSummary;
        try {
          summary = await importCsv(sql, {
            profile,
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
            noWait: !options.wait,
            onWait: waitNotice(io),
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
        emit(io, options, summary, (s) => render(s, options.rejects));
        // --max-errors let the rest in, but the file was not loaded whole: say so in the exit code too.
        if (summary.rejected > 0) process.exitCode = 1;
      }, 2);
    });
}
