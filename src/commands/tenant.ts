import { Option, type Command } from 'commander';
import type { Io } from '../context.js';
import { isAbsolute, join } from 'node:path';
import type { Sql } from '../db/connect.js';
import { TenantctlError, usageError } from '../errors.js';
import { emit, emitRows, writeErr } from '../output/emit.js';
import { formatBytes } from '../output/format.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { BUILTIN_PROFILES } from '../tenancy/profiles/index.js';
import { resolveTenant, type Tenant } from '../tenancy/registry.js';
import { changeFeatures, effectiveFeatures } from '../tenants/features.js';
import { changePlan, type Change } from '../tenants/lifecycle.js';
import type { TenantSummary } from '../tenants/read.js';
import { listReceipts, slugHash, verifyReceipts } from '../tenants/receipts.js';
import { migrationsDir } from './migrate.js';
import { registerPool } from './tenant-pool.js';
import { registerWorkspace } from './tenant-workspace.js';
import { actorOf, completeFields, confirmErasure, reasonOf } from './tenant-prompts.js';
import { printablePlan, renderCreatedAny, renderDetailsAny, renderErasureAny, renderErasurePlanAny, renderErasureRefusal, renderExport, renderFeatures, renderReceipt, renderReceipts } from './tenant-render.js';
import { collect, NO_WAIT_HELP, nonNegativeInt, optionsOf, positiveInt, profileRequested, waitNotice, withProfile, type GlobalOptions } from './shared.js';
import { nodesOfTenants, placeNewTenant, validatePlacementNode } from '../citus/placement.js';
import { registerTenantPlacement } from './citus.js';

/**
 * Resolve the tenant a command names (id or handle) with the command's profile, then run
 * `work`. The handle is checked before connecting when --profile / TENANTCTL_PROFILE names
 * the profile; otherwise once the database said which profile it is.
 */
async function withTenant<T>(io: Io, options: GlobalOptions, ref: string, work: (sql: Sql, profile: TenancyProfile, tenant: Tenant) => Promise<T>): Promise<T> {
  checkRefEarly(io, options, ref);
  return withProfile(io, options, async (sql, profile) => work(sql, profile, await resolveTenant(sql, profile, ref)));
}

/** Before connecting: a ref the requested profile could never accept (not an id, not a valid handle) is a usage error. */
function checkRefEarly(io: Io, options: GlobalOptions, ref: string, flag?: string): void {
  const profile = profileRequested(io, options);
  if (profile && !/^[0-9a-f-]{36}$/i.test(ref)) profile.validateHandle(ref, flag);
}

/** `tenant plan` / `tenant features` need subscriptions and feature flags, which not every system has. */
function requirePlans(profile: TenancyProfile, command: string): void {
  if (!profile.plansAndFeatures) throw usageError(`tenant ${command} needs plans and feature flags; profile ${profile.name} has none (its tier, if any, is a column of ${profile.registry.table}).`, 'See `tenantctl profile show <name>`.');
}

/** Every flag of every built-in profile's `tenant create`, registered once (the profile is known only after connecting). */
const CREATE_FLAGS = [...new Map(BUILTIN_PROFILES.flatMap((p) => p.provisioning.fields.filter((f) => f.key !== 'handle' || f.flag !== 'slug').map((f) => [f.flag, f] as const))).values()];
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

const renderChange = (already: string) => (c: Change): string => (c.changed ? `${c.slug}: ${c.from ?? '(none)'} → ${c.to}` : `${c.slug} is already ${already}${c.to}: nothing changed`);

function registerCreate(tenant: Command, io: Io): void {
  const create = tenant
    .command('create [handle]')
    .description('provision a tenant in one transaction: commerce: registry row, subscription, schema at the latest version, roles, owner, security settings; IMSOP: organization, admin role with every permission, first user')
    .option('--actor <who>', 'who is creating it, for the audit trail (default: your OS user)')
    .option('--migrations-dir <dir>', 'folder with the profile\'s migrations (default: the schemas shipped with tenantctl)')
    .option('--node <host:port>', 'Citus: the worker to place the tenant on (default: the least loaded by bytes)')
    .option('--no-wait', NO_WAIT_HELP)
    .addHelpText('after', `\nExamples:\n  tenantctl tenant create                      (guided, on a terminal)\n${BUILTIN_PROFILES.map((p) => `  ${p.provisioning.example}`).join('\n')}`);
  for (const f of CREATE_FLAGS) {
    const value = f.parse === 'whole-number' ? '<n>' : `<${f.flag === 'owner-email' ? 'email' : f.flag === 'plan' ? 'code' : f.flag}>`;
    if (f.parse === 'whole-number') create.option(`--${f.flag} ${value}`, FLAG_HELP[f.flag] ?? f.label, nonNegativeInt(`--${f.flag}`));
    else create.option(`--${f.flag} ${value}`, FLAG_HELP[f.flag] ?? f.label);
  }
  create.action(async (handle: string | undefined, _o, command: Command) => {
    const options = optionsOf<Record<string, unknown> & { actor?: string; migrationsDir?: string; node?: string; wait: boolean }>(command);
    if (handle !== undefined) checkRefEarly(io, options, handle, 'slug');
    await withProfile(io, options, async (sql, profile) => {
      // Citus places tenant schemas; a pooled profile's tenants are rows in one schema.
      const placed = profile.mode === 'schema-per-tenant';
      if (placed) await validatePlacementNode(sql, options.node);
      else if (options.node) throw usageError(`--node places a tenant schema on a Citus worker; the ${profile.name} profile keeps every tenant in one schema.`);
      const values = await completeFields(io, sql, profile, handle, options, CREATE_FLAGS.map((f) => f.flag));
      const created = await profile.lifecycle.create(sql, profile, values, { migrationsDir: migrationsDir(io, options.migrationsDir), actor: actorOf(io, options.actor), failpoints: io.env.TENANTCTL_FAILPOINT, noWait: !options.wait, onWait: waitNotice(io) });
      // Citus: put the new tenant on the chosen worker (null on plain PostgreSQL).
      const placement = placed ? await placeNewTenant(sql, profile.lifecycle.targets, created.slug, options.node) : null;
      emit(io, options, placement ? { ...created, placement } : created, (c) => renderCreatedAny(c) + (placement ? `\nnode      ${placement.node} (${placement.reason})` : ''));
    });
  });
}

function registerRead(tenant: Command, io: Io): void {
  tenant
    .command('list')
    .description('every tenant (or one page, in slug order): slug, name, status, plan, schema version, size (from statistics), created')
    .option('--status <status>', 'only tenants with this status (active, suspended, cancelled)')
    .option('--plan <code>', 'only tenants on this plan')
    .option('--search <text>', 'only tenants whose slug or name contains this text')
    .option('--limit <n>', 'at most n tenants (default: all)', positiveInt('--limit'))
    .option('--offset <n>', 'skip the first n tenants (with --limit: the next page)', nonNegativeInt('--offset'), 0)
    .option('--exact-sizes', 'exact bytes on disk (opens every table of the listed tenants: slow on a large fleet)')
    .action(async (_o, command: Command) => {
      const options = optionsOf<{ status?: string; plan?: string; search?: string; limit?: number; offset: number; exactSizes?: boolean }>(command);
      await withProfile(io, options, async (sql, profile) => {
        const nodes = await nodesOfTenants(sql, profile.lifecycle.targets);
        const rows = (await profile.lifecycle.list(sql, profile, options)).map((t) => (nodes.size ? { ...t, node: nodes.get(t.slug) ?? null } : t));
        emitRows<TenantSummary & { node?: string | null }>(io, options, rows, [
          { key: 'slug' },
          { key: 'name' },
          { key: 'status' },
          { key: 'plan' },
          // A row naming a schema not its own is not sized or versioned (tenant show says why).
          { key: 'schemaVersion', header: 'version', format: (v, r) => (r.schemaRefused ? 'REFUSED' : r.schemaExists ? String(v ?? 'none') : 'NO SCHEMA') },
          { key: 'sizeBytes', header: 'size', align: 'right', format: (v, r) => (r.schemaRefused ? '-' : formatBytes(v as number)) },
          { key: 'createdAt', header: 'created', format: (v) => (v as Date).toISOString().slice(0, 16).replace('T', ' ') },
          ...(nodes.size ? [{ key: 'node' as const, format: (v: unknown) => (v as string | null) ?? 'coordinator (not distributed)' }] : []),
        ], '(no tenants: create one with `tenantctl tenant create`)');
      });
    });

  tenant
    .command('show <tenant>')
    .description('everything about one tenant: registry row, subscription, schema version and size, owners, row counts per table, recent audit entries')
    .action(async (ref: string, _o, command: Command) => {
      const options = optionsOf(command);
      await withTenant(io, options, ref, async (sql, profile, t) => {
        const details = await profile.lifecycle.show(sql, profile, t);
        const nodes = await nodesOfTenants(sql, profile.lifecycle.targets);
        // Citus: which worker holds the tenant (absent on plain PostgreSQL).
        const shown = nodes.size ? { ...details, node: nodes.get(t.handle) ?? null } : details;
        emit(io, options, shown, (d) => renderDetailsAny(io, d) + (nodes.size ? `\nnode: ${nodes.get(t.handle) ?? 'coordinator (not distributed)'}` : ''));
      });
    });
}

function registerStatus(tenant: Command, io: Io): void {
  for (const [name, status] of [['suspend', 'suspended'], ['resume', 'active']] as const) {
    tenant
      .command(`${name} <tenant>`)
      .description(name === 'suspend' ? 'suspend a tenant (status suspended); who, when and why are kept in tenantctl.tenant_events (shown by tenant show)' : 'resume a suspended tenant (status active); who, when and why are kept in tenantctl.tenant_events (shown by tenant show)')
      .option('--reason <text>', 'why (required in scripts; asked on a terminal)')
      .option('--actor <who>', 'who is doing it (default: your OS user)')
      .action(async (ref: string, _o, command: Command) => {
        const options = optionsOf<{ reason?: string; actor?: string }>(command);
        checkRefEarly(io, options, ref);
        const reason = await reasonOf(io, options.reason, `tenant ${name}`);
        await withTenant(io, options, ref, async (sql, profile, t) => emit(io, options, await profile.lifecycle.setStatus(sql, profile, t, status, { actor: actorOf(io, options.actor), reason }), renderChange('')));
      });
  }

  tenant
    .command('plan <tenant> <plan>')
    .description('move a tenant to another plan: the old subscription is closed, a new one starts, the change is audited')
    .option('--reason <text>', 'why (recorded in public.audit_logs)')
    .option('--actor <who>', 'who is doing it (default: your OS user)')
    .action(async (ref: string, plan: string, _o, command: Command) => {
      const options = optionsOf<{ reason?: string; actor?: string }>(command);
      await withTenant(io, options, ref, async (sql, profile, t) => {
        requirePlans(profile, 'plan');
        emit(io, options, await changePlan(sql, profile.registry, t, plan, { actor: actorOf(io, options.actor), reason: options.reason }), renderChange('on plan '));
      });
    });

  tenant
    .command('features <tenant>')
    .description('the effective feature set (plan default vs tenant override, with the source); --enable/--disable/--reset change overrides')
    .option('--enable <feature>', 'override: switch a feature on (repeatable, or comma-separated)', collect)
    .option('--disable <feature>', 'override: switch a feature off (repeatable, or comma-separated)', collect)
    .option('--reset <feature>', 'remove the override, so the plan decides (repeatable)', collect)
    .option('--reason <text>', 'why (required with --enable/--disable/--reset in scripts)')
    .option('--actor <who>', 'who is doing it (default: your OS user)')
    .action(async (ref: string, _o, command: Command) => {
      const options = optionsOf<{ enable?: string[]; disable?: string[]; reset?: string[]; reason?: string; actor?: string }>(command);
      checkRefEarly(io, options, ref);
      const changing = Boolean(options.enable?.length || options.disable?.length || options.reset?.length);
      const reason = changing ? await reasonOf(io, options.reason, 'a feature override') : undefined;
      await withTenant(io, options, ref, async (sql, profile, t) => {
        requirePlans(profile, 'features');
        if (changing) await changeFeatures(sql, profile.registry, t, options, { actor: actorOf(io, options.actor), reason: reason! });
        emit(io, options, await effectiveFeatures(sql, profile.registry, t), (d) => renderFeatures(io, d));
      });
    });
}

function registerData(tenant: Command, io: Io): void {
  tenant
    .command('export <tenant>')
    .description('every row the tenant owns (its schema\'s tables and its rows in shared tables; pooled: its rows, directly or through foreign keys), as CSV with manifest.json (sha256 per file)')
    .requiredOption('--out <dir>', 'a new or empty folder')
    .option('--no-wait', NO_WAIT_HELP)
    .action(async (ref: string, _o, command: Command) => {
      const options = optionsOf<{ out: string; wait: boolean }>(command);
      const out = isAbsolute(options.out) ? options.out : join(io.cwd, options.out);
      const lock = { noWait: !options.wait, onWait: waitNotice(io) };
      await withTenant(io, options, ref, async (sql, profile, t) => emit(io, options, await profile.lifecycle.export(sql, profile, t, out, io.now, lock), renderExport));
    });

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
    .action(async (ref: string, _o, command: Command) => {
      const options = optionsOf<{ dryRun?: boolean; yes?: boolean; confirm?: string; reason?: string; ticket?: string; actor?: string; wait: boolean; sharedRows: 'refuse' | 'tombstone' }>(command);
      checkRefEarly(io, options, ref);
      await withProfile(io, options, async (sql, profile) => {
        const tenant = await resolveTenant(sql, profile, ref).catch((error) => alreadyErased(sql, ref, error));
        if ('receipt' in tenant) return emit(io, options, tenant, (d) => `tenant ${ref} was already erased:\n${renderReceipt(d.receipt)}`);
        if (options.sharedRows === 'tombstone' && !profile.pooled?.tombstone) {
          throw usageError(`--shared-rows tombstone: the ${profile.name} profile declares no placeholder rows to re-point at.`, 'Leave the flag out: rows other tenants keep make the erasure refuse, with a report naming them.');
        }
        const plan = await profile.lifecycle.planErase(sql, profile, tenant, { sharedRows: options.sharedRows }).catch((error: unknown) => {
          // The dry run shows a refusal as its plan (exit 1); a real run just fails with it.
          if (options.dryRun && error instanceof TenantctlError && error.code === 'TENANT_SCHEMA_MISMATCH') return error;
          throw error;
        });
        if (plan instanceof TenantctlError) {
          process.exitCode = 1;
          return emit(io, options, { dryRun: true, refused: plan.toJSON() }, () => `${renderErasureRefusal(io, tenant.handle, plan)}\n(dry run: nothing was changed)`);
        }
        const printable = printablePlan(plan);
        if (options.dryRun) return emit(io, options, { dryRun: true, plan: printable }, (d) => renderErasurePlanAny(io, plan) + (d.dryRun ? '\n(dry run: nothing was changed)' : ''));
        if (io.interactive) writeErr(io, renderErasurePlanAny(io, plan));
        await confirmErasure(io, tenant, options);
        const reason = await reasonOf(io, options.reason, 'the erasure', 'erasure requested (no reason given)');
        const erasure = await profile.lifecycle.erase(sql, profile, plan, { actor: actorOf(io, options.actor), reason, ticket: options.ticket, now: io.now, failpoints: io.env.TENANTCTL_FAILPOINT, noWait: !options.wait, onWait: waitNotice(io) });
        emit(io, options, { erased: true, receipt: erasure.receipt, scan: erasure.scan }, () => renderErasureAny(erasure));
      });
    });

  tenant
    .command('receipts')
    .description('erasure receipts in chain order; --verify recomputes every digest and checks the chain')
    .option('--slug <slug>', 'only the receipts of this slug (matched by its sha256)')
    .option('--verify', 'recompute every digest and the chain; exit 1 if anything does not match')
    .action(async (_o, command: Command) => {
      const options = optionsOf<{ slug?: string; verify?: boolean }>(command);
      if (options.slug !== undefined) checkRefEarly(io, options, options.slug, '--slug');
      await withProfile(io, options, async (sql) => {
        const receipts = await listReceipts(sql, options.slug);
        // The chain can only be checked whole: verify always reads every receipt.
        const problems = options.verify ? verifyReceipts(options.slug ? await listReceipts(sql) : receipts) : undefined;
        emit(io, options, { receipts, ...(problems ? { ok: problems.length === 0, problems } : {}) }, () => renderReceipts(io, receipts, problems));
        if (problems?.length) process.exitCode = 1;
      });
    });
}

/**
 * An unknown tenant that was erased before: its receipt (matched by the id, or the sha256
 * of the handle) instead of the error. Otherwise the unknown-tenant error, saying there is
 * no receipt either.
 */
async function alreadyErased(sql: Sql, ref: string, error: unknown): Promise<{ alreadyErased: true; receipt: Awaited<ReturnType<typeof listReceipts>>[number] }> {
  if (!(error instanceof TenantctlError) || error.code !== 'TENANT_NOT_FOUND') throw error;
  const receipt = (await listReceipts(sql)).filter((r) => r.tenantId === ref.toLowerCase() || r.slugSha256 === slugHash(ref)).at(-1);
  if (!receipt) throw new TenantctlError(error.code, `${error.message} There is no erasure receipt for it either.`, { hint: error.hint, details: error.details, exitCode: error.exitCode });
  return { alreadyErased: true, receipt };
}

/** `tenantctl tenant create|list|show|suspend|resume|plan|features|export|erase|receipts`. */
export function registerTenant(program: Command, io: Io): void {
  const tenant = program.command('tenant').description('tenant lifecycle: create, list, show, suspend, resume, plan, features, export, erase (GDPR), receipts, pool');
  registerCreate(tenant, io);
  registerPool(tenant, io);
  registerRead(tenant, io);
  registerStatus(tenant, io);
  registerData(tenant, io);
  registerWorkspace(tenant, io);
  // Citus clusters: move, rebalance.
  registerTenantPlacement(tenant, io);
}
