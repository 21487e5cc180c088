import { Option, type Command } from 'commander';
import type { Io } from '../context.js';
import { BUILTIN_PROFILES, DEFAULT_PROFILE } from '../tenancy/profiles/index.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { registerTenantPlacement } from './citus-tenant.js';
import { registerPool } from './tenant-pool.js';
import { registerWorkspace } from './tenant-workspace.js';
import { DEFAULT_LOCK_TIMEOUT } from '../monitor/session.js';
import { collect, lockDuration, NO_WAIT_HELP, nonNegativeInt, optionsOf, positiveInt } from './shared.js';

// What every `tenant` subcommand runs is loaded when it runs (tenant-*-run.ts): this file holds
// only what commander needs to parse and to print help, so `tenant create` does not load the
// code of erase, export, list and the prompts and tables they use.

/** Every flag of every built-in profile's `tenant create`, registered once (the profile is known only after connecting). */
const CREATE_FLAGS = [...new Map(BUILTIN_PROFILES.flatMap((p) => p.provisioning.fields.filter((f) => f.key !== 'handle' || f.flag !== 'slug').map((f) => [f.flag, f] as const))).values()];

/** A profile's create example as it runs on any database: other profiles than the default name theirs (a database that recorded one at its first `migrate up` needs no flag). */
const exampleFor = (p: TenancyProfile): string =>
  p === DEFAULT_PROFILE ? p.provisioning.example : p.provisioning.example.replace(/^tenantctl /, `tenantctl --profile ${p.name} `);
const FLAG_HELP: Record<string, string> = {
  name: 'company or organization name (IMSOP: the organization name, also accepted as the first argument)',
  plan: 'plan code from public.plans (starter, professional, business, enterprise) — commerce',
  'owner-email': 'e-mail of the owner (commerce) or first admin user (IMSOP)',
  'owner-name': 'name of that user (default: the part of the e-mail before @)',
  timezone: 'IANA time zone (default UTC; asked on a terminal)',
  currency: 'ISO 4217 currency (default INR; asked on a terminal) — commerce',
  'trial-days': 'start with a trial of n days instead of an active subscription — commerce',
  domain: 'custom domain of the tenant — commerce',
  tier: 'subscription tier: starter, professional, enterprise (default starter) — IMSOP',
};

function registerCreate(tenant: Command, io: Io): void {
  const create = tenant
    .command('create [handle]')
    .description('provision a tenant in one transaction: commerce: registry row, subscription, schema at the latest version, roles, owner, security settings; IMSOP: organization, admin role with every permission, first user')
    .option('--actor <who>', 'who is creating it, for the audit trail (default: your OS user)')
    .option('--migrations-dir <dir>', 'folder with the profile\'s migrations (default: the schemas shipped with tenantctl)')
    .option('--node <host:port>', 'Citus: the worker to place the tenant on (default: the least loaded by bytes)')
    .option('--no-wait', NO_WAIT_HELP)
    .addHelpText('after', `\nExamples:\n  tenantctl tenant create                      (guided, on a terminal)\n${BUILTIN_PROFILES.map((p) => `  ${exampleFor(p)}`).join('\n')}`);
  for (const f of CREATE_FLAGS) {
    const value = f.parse === 'whole-number' ? '<n>' : `<${f.flag === 'owner-email' ? 'email' : f.flag === 'plan' ? 'code' : f.flag}>`;
    if (f.parse === 'whole-number') create.option(`--${f.flag} ${value}`, FLAG_HELP[f.flag] ?? f.label, nonNegativeInt(`--${f.flag}`));
    else create.option(`--${f.flag} ${value}`, FLAG_HELP[f.flag] ?? f.label);
  }
  create.action(async (handle: string | undefined, _o, command: Command) => {
    const { runCreate } = await import('./tenant-create-run.js');
    await runCreate(io, handle, optionsOf(command), CREATE_FLAGS.map((f) => f.flag));
  });
}

function registerRead(tenant: Command, io: Io): void {
  tenant
    .command('list')
    .description('every tenant (or one page, in slug order): slug, name, status, plan, schema version, size (from statistics), created')
    .option('--status <status>', 'only tenants with this status (commerce: active, suspended, cancelled; imsop, prometric: active, inactive, suspended, deleted (soft-deleted); abparts: active, suspended)')
    .option('--plan <code>', 'only tenants on this plan')
    .option('--search <text>', 'only tenants whose slug or name contains this text')
    .option('--limit <n>', 'at most n tenants (default: all)', positiveInt('--limit'))
    .option('--offset <n>', 'skip the first n tenants (with --limit: the next page)', nonNegativeInt('--offset'), 0)
    .option('--exact-sizes', 'exact bytes on disk (opens every table of the listed tenants: slow on a large fleet)')
    .option('--lock-timeout <duration>', 'give up on a statement that waits this long for a lock (e.g. 500ms, 5s); tables already locked are left out of --exact-sizes and named', lockDuration('--lock-timeout'), DEFAULT_LOCK_TIMEOUT)
    .action(async (_o, command: Command) => (await import('./tenant-read-run.js')).runList(io, optionsOf(command)));

  tenant
    .command('show <tenant>')
    .description('everything about one tenant: registry row, subscription, schema version and size, owners, row counts per table, recent audit entries')
    .option('--lock-timeout <duration>', 'give up on a statement that waits this long for a lock (e.g. 500ms, 5s); tables already locked are left out and named', lockDuration('--lock-timeout'), DEFAULT_LOCK_TIMEOUT)
    .action(async (ref: string, _o, command: Command) => (await import('./tenant-read-run.js')).runShow(io, ref, optionsOf(command)));
}

function registerStatus(tenant: Command, io: Io): void {
  for (const name of ['suspend', 'resume'] as const) {
    tenant
      .command(`${name} <tenant>`)
      .description(name === 'suspend' ? 'suspend a tenant (status suspended); who, when and why are kept in tenantctl.tenant_events (shown by tenant show)' : 'resume a suspended tenant (status active); who, when and why are kept in tenantctl.tenant_events (shown by tenant show)')
      .option('--reason <text>', 'why (required in scripts; asked on a terminal)')
      .option('--actor <who>', 'who is doing it (default: your OS user)')
      .action(async (ref: string, _o, command: Command) => (await import('./tenant-change-run.js')).runSetStatus(io, name, ref, optionsOf(command)));
  }

  tenant
    .command('plan <tenant> <plan>')
    .description('move a tenant to another plan: the old subscription is closed, a new one starts, the change is audited')
    .option('--reason <text>', 'why (recorded in public.audit_logs)')
    .option('--actor <who>', 'who is doing it (default: your OS user)')
    .action(async (ref: string, plan: string, _o, command: Command) => (await import('./tenant-change-run.js')).runPlan(io, ref, plan, optionsOf(command)));

  tenant
    .command('features <tenant>')
    .description('the effective feature set (plan default vs tenant override, with the source); --enable/--disable/--reset change overrides')
    .option('--enable <feature>', 'override: switch a feature on (repeatable, or comma-separated)', collect)
    .option('--disable <feature>', 'override: switch a feature off (repeatable, or comma-separated)', collect)
    .option('--reset <feature>', 'remove the override, so the plan decides (repeatable)', collect)
    .option('--reason <text>', 'why (required with --enable/--disable/--reset in scripts)')
    .option('--actor <who>', 'who is doing it (default: your OS user)')
    .action(async (ref: string, _o, command: Command) => (await import('./tenant-change-run.js')).runFeatures(io, ref, optionsOf(command)));
}

function registerData(tenant: Command, io: Io): void {
  tenant
    .command('export <tenant>')
    .description('every row the tenant owns (its schema\'s tables and its rows in shared tables; pooled: its rows, directly or through foreign keys), as CSV with manifest.json (sha256 per file)')
    .requiredOption('--out <dir>', 'a new or empty folder')
    .option('--no-wait', NO_WAIT_HELP)
    .action(async (ref: string, _o, command: Command) => (await import('./tenant-data-run.js')).runExport(io, ref, optionsOf(command)));

  tenant
    .command('erase <tenant>')
    .description('GDPR erasure in one transaction, with a receipt that contains no personal data, then a scan of every table for the tenant id')
    .option('--dry-run', 'print every table holding the tenant\'s data, with row counts, and what is kept; change nothing')
    .option('--yes', 'do not ask (scripts); needs --confirm <tenant> too')
    .option('--confirm <tenant>', 'the tenant\'s handle (slug, name) or id again, as a second key (scripts)')
    .option('--reason <text>', 'why, for the receipt (e.g. "GDPR art. 17 request")')
    .option('--ticket <ref>', 'ticket or request reference, for the receipt')
    .option('--actor <who>', 'who is erasing (default: your OS user)')
    .option('--no-wait', NO_WAIT_HELP)
    .addOption(new Option('--shared-rows <how>', 'rows other tenants must keep that reference this one: refuse the erasure, or re-point them at the profile\'s "erased organization" placeholder').choices(['refuse', 'tombstone']).default('refuse'))
    .addHelpText('after', '\nExamples:\n  tenantctl tenant erase acme --dry-run\n  tenantctl tenant erase acme --yes --confirm acme --reason "GDPR art. 17" --ticket SUP-1234\n  tenantctl --profile abparts tenant erase "Acme Farms" --shared-rows tombstone --dry-run')
    .action(async (ref: string, _o, command: Command) => (await import('./tenant-data-run.js')).runErase(io, ref, optionsOf(command)));

  tenant
    .command('receipts')
    .description('erasure receipts in chain order; --verify recomputes every digest and checks the chain')
    .option('--slug <slug>', 'only the receipts of this slug (matched by its sha256)')
    .option('--verify', 'recompute every digest and the chain; exit 1 if anything does not match')
    .action(async (_o, command: Command) => (await import('./tenant-data-run.js')).runReceipts(io, optionsOf(command)));
}

/**
 * `tenantctl tenant create|list|show|suspend|resume|plan|features|export|erase|receipts`.
 * `tenant create` registers only itself: it is the provisioning path an application's sign-up
 * runs, and building every other subcommand's flags costs it start-up time (issue 19 item 5).
 * Any other subcommand, `tenant --help` and a misspelt subcommand register the whole group.
 */
export function registerTenant(program: Command, io: Io, subcommand?: string): void {
  const tenant = program.command('tenant').description('tenant lifecycle: create, list, show, suspend, resume, plan, features, export, erase (GDPR), receipts, pool');
  registerCreate(tenant, io);
  if (subcommand === 'create') return;
  registerPool(tenant, io);
  registerRead(tenant, io);
  registerStatus(tenant, io);
  registerData(tenant, io);
  registerWorkspace(tenant, io);
  // Citus clusters: move, rebalance.
  registerTenantPlacement(tenant, io);
}
