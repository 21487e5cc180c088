import { Option, type Command } from 'commander';
import type { Io } from '../context.js';
import { registerMigrateAdoption } from './migrate-adopt.js';
import { addFolderFlags } from './migrate-files.js';
import { collect, lockDuration, optionsOf, positiveInt } from './shared.js';

// The flags of `migrate …` and their help; what each subcommand runs loads when it runs
// (migrate-run.ts: the plan, the runner, the fleet state, the renderers).
const run = () => import('./migrate-run.js');

export { migrationsDir } from './migrate-files.js';

function addScopeFlags(command: Command): Command {
  return command
    .option('--tenant <slug>', 'only this tenant (repeatable, or comma-separated)', collect)
    .option('--shared-only', 'only the shared public schema')
    .option('--tenants-only', 'only tenant schemas');
}

function addScopeAndFolderFlags(command: Command): Command {
  return addFolderFlags(addScopeFlags(command));
}

function addRunFlags(command: Command): Command {
  return addScopeAndFolderFlags(command)
    .option('--to <version>', 'stop at this version')
    .option('--concurrency <n>', 'parallel tenant workers (default: the cores of this machine, at least 2, when the server runs on it; else 8)', positiveInt('--concurrency'))
    .option('--batch-size <n>', 'up: tenants per transaction, a savepoint each (locks are held until the batch commits; 1 = each alone; default: up to 32, fewer when a tenant takes long)', positiveInt('--batch-size'))
    .option('--dry-run', 'print the SQL that would run, per scope, and change nothing')
    .option('--continue-on-error', 'keep migrating other tenants after one fails')
    .option('--only-failed', 'only the schemas whose last run failed')
    .option('--no-wait', 'fail at once (exit 75) if another migrate run holds the lock')
    .option('--lock-timeout <duration>', 'how long any statement may wait for a lock (e.g. 5s, 500ms; PostgreSQL\'s lock_timeout, also for the queue behind another migrate run): a schema whose tables the application holds longer fails and is rolled back, the others go on with --continue-on-error; default: wait', lockDuration('--lock-timeout'))
    .option('--actor <who>', 'who runs it, for tenantctl.migration_runs (default: your OS user)');
}

/** `tenantctl migrate status|up|down|new|verify`. */
export function registerMigrate(program: Command, io: Io): void {
  const migrate = program.command('migrate').description('migrate the shared schema and every tenant schema (status, up, down, new, verify, adopt, baseline)');

  addScopeAndFolderFlags(migrate.command('status').description('where the shared schema and every tenant stand: versions, behind, failed, drift')).action(async (_o, command: Command) => (await run()).runStatus(io, optionsOf(command)));

  addRunFlags(migrate.command('up').description('apply pending migrations: shared first, then every tenant schema in parallel'))
    .addHelpText('after', '\nExamples:\n  tenantctl migrate up\n  tenantctl migrate up --tenant acme --tenant globex --dry-run\n  tenantctl migrate up --concurrency 8 --continue-on-error --json')
    .action(async (_o, command: Command) => (await run()).execute(io, optionsOf(command), 'up'));

  addRunFlags(migrate.command('down').description('revert the last migration per schema (tenants first, then shared)'))
    .option('--steps <n>', 'how many migrations to revert per schema', positiveInt('--steps'))
    .option('--yes', 'do not ask for confirmation')
    .option('--drop-data', 'acknowledge that the down sections destroy the rows listed (needed with --yes when they hold data)')
    .addHelpText('after', '\nReverting the first (baseline) migration of a scope needs --to 0.\n\nExamples:\n  tenantctl migrate down --tenants-only --dry-run     what the last tenant migration\'s down section drops, with row counts\n  tenantctl migrate down --tenants-only --yes         revert it (add --drop-data if the dry run lists rows)\n  tenantctl migrate down --to 0001 --dry-run')
    .action(async (_o, command: Command) => (await run()).execute(io, optionsOf(command), 'down'));

  migrate
    .command('new <name>')
    .description('create the next migration file with -- migrate:up / -- migrate:down sections')
    .addOption(new Option('--scope <scope>', 'shared (public, or a pooled profile\'s one schema) or tenant (every tenant schema) (default: tenant where the profile has tenant schemas, else shared)').choices(['shared', 'tenant']))
    .option('--migrations-dir <dir>', 'folder with the profile\'s migration folders (shared/ and tenant/, or e.g. imsop/)')
    .action(async (name: string, _o, command: Command) => (await run()).runNew(io, name, optionsOf(command)));

  registerMigrateAdoption(migrate, io);

  addScopeAndFolderFlags(migrate.command('verify').description('fail (exit 1) if an applied migration file changed or disappeared since it ran')).action(async (_o, command: Command) => (await run()).runVerify(io, optionsOf(command)));
}
