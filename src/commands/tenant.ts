import type { Command } from 'commander';
import type { Io } from '../context.js';
import { TenantctlError } from '../errors.js';
import { emit, emitRows, writeErr } from '../output/emit.js';
import { formatBytes } from '../output/format.js';
import { validateSlug } from '../tenancy/slug.js';
import { schemaPerTenant } from '../tenancy/strategy.js';
import { createTenant } from '../tenants/create.js';
import { planErasure } from '../tenants/erase-plan.js';
import { eraseTenant } from '../tenants/erase.js';
import { exportTenant } from '../tenants/export.js';
import { changeFeatures, effectiveFeatures } from '../tenants/features.js';
import { findTenant } from '../tenants/find.js';
import { changePlan, setTenantStatus, type Change } from '../tenants/lifecycle.js';
import { listPlans, listTenants, showTenant, type TenantSummary } from '../tenants/read.js';
import { ensureReceipts, listReceipts, verifyReceipts } from '../tenants/receipts.js';
import { migrationsDir } from './migrate.js';
import { actorOf, completeCreateInput, confirmErasure, reasonOf, type CreateFlags } from './tenant-prompts.js';
import { renderCreated, renderDetails, renderErasure, renderErasurePlan, renderErasureRefusal, renderExport, renderFeatures, renderReceipt, renderReceipts } from './tenant-render.js';
import { collect, NO_WAIT_HELP, nonNegativeInt, optionsOf, positiveInt, waitNotice, withDatabase } from './shared.js';

const strategy = schemaPerTenant;

const renderChange = (already: string) => (c: Change): string => (c.changed ? `${c.slug}: ${c.from ?? '(none)'} → ${c.to}` : `${c.slug} is already ${already}${c.to}: nothing changed`);

function registerCreate(tenant: Command, io: Io): void {
  tenant
    .command('create [slug]')
    .description('provision a tenant in one transaction: registry row, subscription, schema at the latest version, roles, owner, security settings')
    .option('--name <name>', 'company name')
    .option('--plan <code>', 'plan code from public.plans (starter, professional, business, enterprise)')
    .option('--owner-email <email>', 'e-mail of the owner user')
    .option('--owner-name <name>', 'name of the owner user (default: the part of the e-mail before @)')
    .option('--timezone <zone>', 'IANA time zone (default UTC; asked on a terminal)')
    .option('--currency <code>', 'ISO 4217 currency (default INR; asked on a terminal)')
    .option('--trial-days <n>', 'start with a trial of n days instead of an active subscription', nonNegativeInt('--trial-days'))
    .option('--domain <host>', 'custom domain of the tenant')
    .option('--actor <who>', 'who is creating it, for the audit trail (default: your OS user)')
    .option('--migrations-dir <dir>', 'folder with shared/ and tenant/ migrations (default: the platform schema shipped with tenantctl)')
    .addHelpText('after', '\nExamples:\n  tenantctl tenant create                      (guided, on a terminal)\n  tenantctl tenant create acme --name "Acme" --plan starter --owner-email a@acme.test --json')
    .action(async (slug: string | undefined, _o, command: Command) => {
      const options = optionsOf<CreateFlags & { actor?: string; migrationsDir?: string }>(command);
      if (slug !== undefined) validateSlug(slug);
      await withDatabase(io, options, async (sql) => {
        const input = await completeCreateInput(io, slug, options, () => listPlans(sql));
        const created = await createTenant(sql, input, { migrationsDir: migrationsDir(io, options.migrationsDir), actor: actorOf(io, options.actor), failpoints: io.env.TENANTCTL_FAILPOINT });
        emit(io, options, created, renderCreated);
      });
    });
}

function registerRead(tenant: Command, io: Io): void {
  tenant
    .command('list')
    .description('every tenant: slug, name, status, plan, schema version, size, created')
    .option('--status <status>', 'only tenants with this status (active, suspended, cancelled)')
    .option('--plan <code>', 'only tenants on this plan')
    .option('--search <text>', 'only tenants whose slug or name contains this text')
    .option('--limit <n>', 'at most n tenants', positiveInt('--limit'), 1000)
    .action(async (_o, command: Command) => {
      const options = optionsOf<{ status?: string; plan?: string; search?: string; limit: number }>(command);
      await withDatabase(io, options, async (sql) => {
        const rows = await listTenants(sql, options);
        emitRows<TenantSummary>(io, options, rows, [
          { key: 'slug' },
          { key: 'name' },
          { key: 'status' },
          { key: 'plan' },
          { key: 'schemaVersion', header: 'version', format: (v, r) => (r.schemaExists ? String(v ?? 'none') : 'NO SCHEMA') },
          { key: 'sizeBytes', header: 'size', align: 'right', format: (v) => formatBytes(v as number) },
          { key: 'createdAt', header: 'created', format: (v) => (v as Date).toISOString().slice(0, 16).replace('T', ' ') },
        ], '(no tenants: create one with `tenantctl tenant create`)');
      });
    });

  tenant
    .command('show <slug>')
    .description('everything about one tenant: registry row, subscription, schema version and size, owners, row counts per table, recent audit entries')
    .action(async (slug: string, _o, command: Command) => {
      const options = optionsOf(command);
      validateSlug(slug);
      await withDatabase(io, options, async (sql) => emit(io, options, await showTenant(sql, strategy, slug), (d) => renderDetails(io, d)));
    });
}

function registerStatus(tenant: Command, io: Io): void {
  for (const [name, status] of [['suspend', 'suspended'], ['resume', 'active']] as const) {
    tenant
      .command(`${name} <slug>`)
      .description(name === 'suspend' ? 'suspend a tenant (status suspended), with the reason in public.audit_logs' : 'resume a suspended tenant (status active), with the reason in public.audit_logs')
      .option('--reason <text>', 'why (required in scripts; asked on a terminal)')
      .option('--actor <who>', 'who is doing it (default: your OS user)')
      .action(async (slug: string, _o, command: Command) => {
        const options = optionsOf<{ reason?: string; actor?: string }>(command);
        validateSlug(slug);
        const reason = await reasonOf(io, options.reason, `tenant ${name}`);
        await withDatabase(io, options, async (sql) => emit(io, options, await setTenantStatus(sql, slug, status, { actor: actorOf(io, options.actor), reason }), renderChange('')));
      });
  }

  tenant
    .command('plan <slug> <plan>')
    .description('move a tenant to another plan: the old subscription is closed, a new one starts, the change is audited')
    .option('--reason <text>', 'why (recorded in public.audit_logs)')
    .option('--actor <who>', 'who is doing it (default: your OS user)')
    .action(async (slug: string, plan: string, _o, command: Command) => {
      const options = optionsOf<{ reason?: string; actor?: string }>(command);
      validateSlug(slug);
      await withDatabase(io, options, async (sql) => emit(io, options, await changePlan(sql, slug, plan, { actor: actorOf(io, options.actor), reason: options.reason }), renderChange('on plan ')));
    });

  tenant
    .command('features <slug>')
    .description('the effective feature set (plan default vs tenant override, with the source); --enable/--disable/--reset change overrides')
    .option('--enable <feature>', 'override: switch a feature on (repeatable, or comma-separated)', collect)
    .option('--disable <feature>', 'override: switch a feature off (repeatable, or comma-separated)', collect)
    .option('--reset <feature>', 'remove the override, so the plan decides (repeatable)', collect)
    .option('--reason <text>', 'why (required with --enable/--disable/--reset in scripts)')
    .option('--actor <who>', 'who is doing it (default: your OS user)')
    .action(async (slug: string, _o, command: Command) => {
      const options = optionsOf<{ enable?: string[]; disable?: string[]; reset?: string[]; reason?: string; actor?: string }>(command);
      validateSlug(slug);
      const changing = Boolean(options.enable?.length || options.disable?.length || options.reset?.length);
      const reason = changing ? await reasonOf(io, options.reason, 'a feature override') : undefined;
      await withDatabase(io, options, async (sql) => {
        if (changing) await changeFeatures(sql, slug, options, { actor: actorOf(io, options.actor), reason: reason! });
        emit(io, options, await effectiveFeatures(sql, slug), (d) => renderFeatures(io, d));
      });
    });
}

function registerData(tenant: Command, io: Io): void {
  tenant
    .command('export <slug>')
    .description('every table of the tenant schema and its rows in shared tables, as CSV with manifest.json (sha256 per file)')
    .requiredOption('--out <dir>', 'a new or empty folder')
    .option('--no-wait', NO_WAIT_HELP)
    .action(async (slug: string, _o, command: Command) => {
      const options = optionsOf<{ out: string; wait: boolean }>(command);
      validateSlug(slug);
      const lock = { noWait: !options.wait, onWait: waitNotice(io) };
      await withDatabase(io, options, async (sql) => emit(io, options, await exportTenant(sql, strategy, slug, `${options.out.startsWith('/') ? '' : io.cwd + '/'}${options.out}`, io.now, lock), renderExport));
    });

  tenant
    .command('erase <slug>')
    .description('GDPR erasure in one transaction, with a receipt that contains no personal data, then a scan of every table for the tenant id')
    .option('--dry-run', 'print every table holding the tenant\'s data, with row counts, and what is kept; change nothing')
    .option('--yes', 'do not ask (scripts); needs --confirm <slug> too')
    .option('--confirm <slug>', 'the slug again, as a second key (scripts)')
    .option('--reason <text>', 'why, for the receipt (e.g. "GDPR art. 17 request")')
    .option('--ticket <ref>', 'ticket or request reference, for the receipt')
    .option('--actor <who>', 'who is erasing (default: your OS user)')
    .option('--no-wait', NO_WAIT_HELP)
    .addHelpText('after', '\nExamples:\n  tenantctl tenant erase acme --dry-run\n  tenantctl tenant erase acme --yes --confirm acme --reason "GDPR art. 17" --ticket SUP-1234')
    .action(async (slug: string, _o, command: Command) => {
      const options = optionsOf<{ dryRun?: boolean; yes?: boolean; confirm?: string; reason?: string; ticket?: string; actor?: string; wait: boolean }>(command);
      validateSlug(slug);
      await withDatabase(io, options, async (sql) => {
        const tenant = await findTenant(sql, slug);
        if (!tenant) {
          await ensureReceipts(sql);
          const [receipt] = (await listReceipts(sql, slug)).slice(-1);
          if (!receipt) throw new TenantctlError('TENANT_NOT_FOUND', `There is no tenant "${slug}", and no erasure receipt for that slug.`, { hint: 'List tenants with `tenantctl tenant list`.' });
          return emit(io, options, { alreadyErased: true, receipt }, (d) => `tenant ${slug} was already erased:\n${renderReceipt(d.receipt)}`);
        }
        const plan = await planErasure(sql, strategy, tenant).catch((error: unknown) => {
          // The dry run shows a refusal as its plan (exit 1); a real run just fails with it.
          if (options.dryRun && error instanceof TenantctlError && error.code === 'TENANT_SCHEMA_MISMATCH') return error;
          throw error;
        });
        if (plan instanceof TenantctlError) {
          process.exitCode = 1;
          return emit(io, options, { dryRun: true, refused: plan.toJSON() }, () => `${renderErasureRefusal(io, slug, plan)}\n(dry run: nothing was changed)`);
        }
        const { data: _data, ...printable } = plan;
        if (options.dryRun) return emit(io, options, { dryRun: true, plan: printable }, (d) => renderErasurePlan(io, plan) + (d.dryRun ? '\n(dry run: nothing was changed)' : ''));
        if (io.interactive) writeErr(io, renderErasurePlan(io, plan));
        await confirmErasure(io, slug, options);
        const reason = await reasonOf(io, options.reason, 'the erasure', 'erasure requested (no reason given)');
        const erasure = await eraseTenant(sql, plan, { strategy, actor: actorOf(io, options.actor), reason, ticket: options.ticket, now: io.now, failpoints: io.env.TENANTCTL_FAILPOINT, noWait: !options.wait, onWait: waitNotice(io) });
        emit(io, options, { erased: true, receipt: erasure.receipt, scan: erasure.scan }, () => renderErasure(erasure));
      });
    });

  tenant
    .command('receipts')
    .description('erasure receipts in chain order; --verify recomputes every digest and checks the chain')
    .option('--slug <slug>', 'only the receipts of this slug (matched by its sha256)')
    .option('--verify', 'recompute every digest and the chain; exit 1 if anything does not match')
    .action(async (_o, command: Command) => {
      const options = optionsOf<{ slug?: string; verify?: boolean }>(command);
      if (options.slug !== undefined) validateSlug(options.slug, '--slug');
      await withDatabase(io, options, async (sql) => {
        const receipts = await listReceipts(sql, options.slug);
        // The chain can only be checked whole: verify always reads every receipt.
        const problems = options.verify ? verifyReceipts(options.slug ? await listReceipts(sql) : receipts) : undefined;
        emit(io, options, { receipts, ...(problems ? { ok: problems.length === 0, problems } : {}) }, () => renderReceipts(io, receipts, problems));
        if (problems?.length) process.exitCode = 1;
      });
    });
}

/** `tenantctl tenant create|list|show|suspend|resume|plan|features|export|erase|receipts`. */
export function registerTenant(program: Command, io: Io): void {
  const tenant = program.command('tenant').description('tenant lifecycle: create, list, show, suspend, resume, plan, features, export, erase (GDPR), receipts');
  registerCreate(tenant, io);
  registerRead(tenant, io);
  registerStatus(tenant, io);
  registerData(tenant, io);
}
