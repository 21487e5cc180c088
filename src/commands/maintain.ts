import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { Io } from '../context.js';
import { EXIT, TenantctlError, usageError } from '../errors.js';
import { TASKS, type TaskName, type TaskResult } from '../maintain/task.js';
import { writeErr, writeJson, writeOut } from '../output/emit.js';
import { formatDuration } from '../output/format.js';
import { style } from '../output/style.js';
import { migrationsDir } from './migrate-files.js';
import { collect, optionsOf, withProfile } from './shared.js';

interface MaintainFlags {
  json?: boolean;
  jsonl?: boolean;
  dryRun?: boolean;
  only?: string[];
  archiveDir?: string;
  config?: string;
  migrationsDir?: string;
}

const summaryText = (summary: TaskResult['summary']): string =>
  Object.entries(summary)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`)
    .join(', ');

/** One human line per task, then one line per problem. */
function renderTask(io: Io, r: TaskResult): string {
  const status = r.ok ? style(io, 'green', 'ok') : style(io, 'red', 'FAILED');
  const lines = [`${r.task}${r.dryRun ? ' (dry run)' : ''}: ${status} · ${summaryText(r.summary)} · ${formatDuration(r.durationMs)}`];
  for (const p of r.problems) lines.push(`  ${style(io, 'red', '!')} ${p.where}: ${p.message}`);
  if (r.dryRun) for (const item of r.items) lines.push(`  · ${describeItem(item)}`);
  return lines.join('\n');
}

/** A planned item as a person reads it: `table public.orders · rows 120 · reason never analyzed`, within 100 columns. */
function describeItem(item: unknown): string {
  const text = item && typeof item === 'object'
    ? Object.entries(item as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : typeof v === 'number' ? v.toLocaleString('en-US') : String(v)}`).join(' · ')
    : String(item);
  return text.length > 96 ? `${text.slice(0, 95)}…` : text;
}

function parseOnly(values: string[] | undefined): TaskName[] | undefined {
  if (!values?.length) return undefined;
  const unknown = values.filter((v) => !(TASKS as readonly string[]).includes(v));
  if (unknown.length) throw usageError(`--only ${unknown[0]}: no such task.`, `Tasks: ${TASKS.join(', ')}.`);
  return values as TaskName[];
}

/** `tenantctl maintain`: retention, partitions, materialized views and statistics, for cron. */
export function registerMaintain(program: Command, io: Io): void {
  program
    .command('maintain')
    .description(`nightly upkeep for cron: ${TASKS.join(', ')}; one run at a time (exit 75 if another holds the lock)`)
    .option('--dry-run', 'report what each task would do and change nothing')
    .option('--only <task>', `run only these tasks (repeatable or comma-separated): ${TASKS.join(', ')}`, collect)
    .option('--archive-dir <dir>', 'retention writes the rows it deletes to CSV files here first (<dir>/<schema>/<table>-<time>.csv)')
    .option('--config <file>', 'JSON file with retention rules, batch size, months ahead, analyze thresholds, lock timeout')
    .option('--migrations-dir <dir>', 'folder with shared/ and tenant/ migration files, for the pool task\'s spares (default: TENANTCTL_MIGRATIONS_DIR, else the platform schema shipped with tenantctl)')
    .option('--jsonl', 'stream one JSON line per task as it finishes (JSON Lines, for log shippers); --json prints one document at the end')
    .addHelpText(
      'after',
      `\nWith --json: one JSON document {ok, tasks: [...]} at the end. With --jsonl: one JSON line per task as it finishes.\nExit codes: 0 every task ok, 1 a task failed, 2 usage error, ${EXIT.locked} another run holds the lock.\n\nExamples:\n  tenantctl maintain --dry-run\n  tenantctl maintain --only retention --archive-dir /var/backups/tenantctl/archive\n  tenantctl maintain --jsonl --config /etc/tenantctl/maintain.json >> /var/log/tenantctl/maintain.jsonl`,
    )
    .action(async (_o, command: Command) => {
      const options = optionsOf<MaintainFlags>(command);
      const only = parseOnly(options.only);
      const configPath = options.config ? resolve(io.cwd, options.config) : undefined;
      const archiveDir = options.archiveDir ? resolve(io.cwd, options.archiveDir) : undefined;
      // A reserved connection for the lock, one for the tasks, one spare for COPY streams.
      await withProfile(
        io,
        options,
        async (sql, profile) => {
          // The profile's retention rules are the defaults; --config may replace them.
          // The tasks' code loads when maintain runs, not when its flags are registered.
          const [{ loadConfig }, { runMaintenance }] = await Promise.all([import('../maintain/config.js'), import('../maintain/run.js')]);
          const config = await loadConfig(configPath, profile.retention ?? []);
          let results: TaskResult[];
          try {
            results = await runMaintenance(sql, profile.lifecycle.targets, {
              config,
              sharedSchema: profile.registry.schema,
              spareMigrations: profile.mode === 'schema-per-tenant' && profile.migrations.tenant !== null ? { dir: migrationsDir(io, options.migrationsDir), folder: profile.migrations.tenant, registry: profile.registry } : undefined,
              only,
              dryRun: options.dryRun,
              archiveDir,
              now: io.now,
              failpoints: io.env.TENANTCTL_FAILPOINT,
              onTask: (r) => {
                if (options.jsonl) writeOut(io, JSON.stringify(r));
                else if (!options.json) writeOut(io, renderTask(io, r));
              },
            });
          } catch (error) {
            // JSON Lines consumers get the refusal as one line too; the exit code says "busy".
            if (options.jsonl && error instanceof TenantctlError && error.exitCode === EXIT.locked) {
              writeOut(io, JSON.stringify({ task: 'lock', ok: false, error: error.toJSON() }));
              writeErr(io, `error: ${error.message}`);
              process.exitCode = EXIT.locked;
              return;
            }
            throw error;
          }
          const ok = results.every((r) => r.ok);
          if (options.json && !options.jsonl) writeJson(io, { ok, dryRun: Boolean(options.dryRun), tasks: results });
          if (!ok) process.exitCode = EXIT.failed;
        },
        3,
      );
    });
}
