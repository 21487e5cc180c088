import type { Command } from 'commander';
import { resolve } from 'node:path';
import { defaultActor, type Io } from '../context.js';
import { exportCsv, type ExportSummary } from '../csv/export.js';
import { MAX_JOBS } from '../csv/export-parts.js';
import { emit, writeErr, writeJson } from '../output/emit.js';
import { formatBytes, formatCount, formatDuration } from '../output/format.js';
import { progress } from '../output/progress.js';
import { tenantOrPrompt } from './csv-shared.js';
import { collect, optionsOf, positiveInt, withProfile, NO_WAIT_HELP, waitNotice } from './shared.js';
import { isOpenAs, printablePath } from '../files/private.js';

interface ExportFlags {
  tenant?: string;
  out?: string;
  since?: string;
  until?: string;
  status?: string[];
  mask?: boolean;
  excelSafe?: boolean;
  delimiter?: string;
  jobs?: number;
  actor?: string;
  wait: boolean;
}

function render(s: ExportSummary): string {
  const masked = Object.keys(s.masked).length ? `\n  masked: ${Object.entries(s.masked).map(([c, r]) => `${c} (rule ${r})`).join(', ')}` : '';
  const warnings = (s.warnings ?? []).map((w) => `\nwarning: ${w}`).join('');
  return `exported ${s.entity} of ${s.tenant} to ${printablePath(s.output)}: ${formatCount(s.rows)} rows, ${formatBytes(s.bytes)}, in ${formatDuration(s.seconds * 1000)}${masked}${warnings}`;
}

/** `tenantctl export products|orders`: COPY to a file or stdout, logged in export_logs. */
export function registerExport(program: Command, io: Io): void {
  program
    .command('export')
    .description('write one tenant\'s products or orders as CSV (re-importable; ordered by natural key)')
    .argument('<entity>', "what to export: products or orders (the profile's entities; abparts also: inventory, supplier_orders)")
    .option('--tenant <slug>', 'tenant to export (asked on a terminal when missing)')
    .option('--out <file>', 'write to this file, or - for standard output (the default; the summary then goes to stderr)')
    .option('--since <date>', 'only rows dated at or after this (products: created_at, orders: order_date), ISO 8601')
    .option('--until <date>', 'only rows dated before this, ISO 8601')
    .option('--status <status>', 'only orders with this status (repeatable, or comma-separated)', collect)
    .option('--mask', "mask personal columns (phones, emails, addresses) with the tenant's data_masking_rules")
    .option('--excel-safe', "prefix text cells starting with = + - @ tab or CR with ' so spreadsheets do not run them as formulas (the file is then not for re-import)")
    .option('--delimiter <char>', 'field delimiter: , ; | or tab', ',')
    .option('--jobs <n>', `export in n parts at once, one connection each (1-${MAX_JOBS}; default: one per core for tables over 64 MiB)`, positiveInt('--jobs'))
    .option('--actor <name>', 'who to record in the audit log (default: your OS user)')
    .option('--no-wait', NO_WAIT_HELP)
    .addHelpText('after', '\nExamples:\n  tenantctl export products --tenant acme --out products.csv\n  tenantctl export orders --tenant acme --since 2024-01-01 --status delivered,returned --mask > orders.csv\n  tenantctl export orders --tenant acme --excel-safe --out orders-for-support.csv\n  tenantctl export products --tenant acme --out - | gzip > products.csv.gz\n')
    .action(async (entity: string, _opts, command: Command) => {
      const options = optionsOf<ExportFlags>(command);
      // `-` is standard output, as import's `-` is standard input; so is any other name for it
      // (`/dev/stdout`), which may be a file or socket that cannot be opened by name.
      const stdout = options.out === '-' || (options.out !== undefined && (await isOpenAs(resolve(io.cwd, options.out), (io.stdout as { fd?: number }).fd)));
      const out = stdout ? undefined : options.out;
      await withProfile(io, options, async (sql, profile) => {
        const tenant = await tenantOrPrompt(io, sql, profile, options.tenant, entity, `export ${entity}`);
        const bar = progress(io, `export ${entity}: rows`);
        let summary: ExportSummary;
        try {
          summary = await exportCsv(sql, {
            profile,
            entity,
            tenant,
            output: out ? resolve(io.cwd, out) : io.stdout,
            noWait: !options.wait,
            onWait: waitNotice(io),
            failpoints: io.env.TENANTCTL_FAILPOINT,
            since: options.since,
            until: options.until,
            status: options.status,
            mask: options.mask,
            excelSafe: options.excelSafe,
            delimiter: options.delimiter,
            jobs: options.jobs,
            actor: options.actor ?? defaultActor(io.env),
            // Only a terminal shows progress, so only there is the total worth estimating.
            onProgress: bar.live ? (p) => bar.measure({ done: p.rows, bytes: p.bytes, total: p.estimatedRows === undefined ? undefined : Math.max(p.estimatedRows, p.rows) }) : undefined,
          });
        } finally {
          bar.done();
        }
        if (out) return emit(io, options, summary, render);
        // stdout carried the CSV: the summary goes to stderr (as JSON with --json).
        if (options.json) return writeJson({ ...io, stdout: io.stderr }, summary);
        writeErr(io, render(summary));
      }, MAX_JOBS);
    });
}
