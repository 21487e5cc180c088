import { defaultActor, type Io } from '../context.js';
import { usageError } from '../errors.js';
import { isCurrency, isTimeZone, suggestSlug, type TenantInput } from '../tenants/input.js';
import { validateSlug } from '../tenancy/slug.js';

/** Flags of `tenant create`. */
export interface CreateFlags {
  name?: string;
  plan?: string;
  ownerEmail?: string;
  ownerName?: string;
  timezone?: string;
  currency?: string;
  trialDays?: number;
  domain?: string;
}

/** Who runs a command, for audit entries and receipts: --actor, else the OS user. */
export function actorOf(io: Io, flag?: string): string {
  return flag ?? defaultActor(io.env);
}

async function clack() {
  return import('@clack/prompts');
}

function cancelled(): never {
  throw usageError('Cancelled.', 'Nothing was changed.');
}

/** Ask for one line of text (TTY only). */
export async function ask(io: Io, message: string, options: { initial?: string; validate?: (v: string) => string | undefined } = {}): Promise<string> {
  const { text, isCancel } = await clack();
  const answer = await text({ message, initialValue: options.initial, input: io.stdin, output: io.stderr, validate: options.validate ? (v) => options.validate!(v ?? '') : undefined });
  if (isCancel(answer)) cancelled();
  return String(answer).trim();
}

const slugProblem = (v: string): string | undefined => {
  try {
    validateSlug(v);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

/**
 * Fill in what `tenant create` was not given: prompts on a TTY (slug suggested from the
 * name, plan picked from public.plans, defaults for time zone and currency); in scripts the
 * missing flag is a usage error that names it.
 */
export async function completeCreateInput(io: Io, slug: string | undefined, flags: CreateFlags, plans: () => Promise<{ code: string; name: string; price: string }[]>): Promise<TenantInput> {
  if (!io.interactive) {
    const missing = [!slug && 'slug (the first argument)', !flags.name && '--name', !flags.plan && '--plan', !flags.ownerEmail && '--owner-email'].filter(Boolean);
    if (missing.length) throw usageError(`tenant create needs ${missing.join(', ')} (standard input is not a terminal, so there are no prompts).`, 'Example: tenantctl tenant create acme --name "Acme" --plan starter --owner-email owner@acme.test');
    return { slug: slug!, name: flags.name!, plan: flags.plan!, ownerEmail: flags.ownerEmail!, ownerName: flags.ownerName, timezone: flags.timezone, currency: flags.currency, trialDays: flags.trialDays, domain: flags.domain };
  }
  const { intro, select, isCancel } = await clack();
  intro('New tenant');
  const name = flags.name ?? (await ask(io, 'Company name', { validate: (v) => (v.trim() ? undefined : 'A name is required') }));
  const chosenSlug = slug ?? (await ask(io, 'Slug (schema tenant_<slug>)', { initial: suggestSlug(name), validate: slugProblem }));
  let plan = flags.plan;
  if (!plan) {
    const options = (await plans()).map((p) => ({ value: p.code, label: p.name, hint: p.price }));
    const picked = await select({ message: 'Plan', options, input: io.stdin, output: io.stderr });
    if (isCancel(picked)) cancelled();
    plan = String(picked);
  }
  const ownerEmail = flags.ownerEmail ?? (await ask(io, 'Owner e-mail', { validate: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? undefined : 'Enter an e-mail address') }));
  const timezone = flags.timezone ?? (await ask(io, 'Time zone', { initial: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', validate: (v) => (isTimeZone(v.trim()) ? undefined : 'Not an IANA time zone (e.g. Asia/Kolkata)') }));
  const currency = flags.currency ?? (await ask(io, 'Currency', { initial: 'INR', validate: (v) => (isCurrency(v.trim().toUpperCase()) ? undefined : 'Not an ISO 4217 code (e.g. INR, EUR)') }));
  return { slug: chosenSlug, name, plan, ownerEmail, ownerName: flags.ownerName, timezone, currency: currency.toUpperCase(), trialDays: flags.trialDays, domain: flags.domain };
}

/** Ask for a reason on a TTY; in scripts use the fallback, or fail naming --reason when there is none. */
export async function reasonOf(io: Io, flag: string | undefined, what: string, fallback?: string): Promise<string> {
  if (flag?.trim()) return flag.trim();
  if (io.interactive) return ask(io, `Reason for ${what}`, { initial: fallback, validate: (v) => (v.trim() ? undefined : 'A reason is required') });
  if (fallback) return fallback;
  throw usageError(`${what} needs a reason: pass --reason "…".`, 'The reason is recorded in public.audit_logs.');
}

/**
 * Erasure confirmation: on a TTY the user types the slug; in scripts both --yes and
 * --confirm <slug> are required and must agree, otherwise it is a usage error.
 */
export async function confirmErasure(io: Io, slug: string, flags: { yes?: boolean; confirm?: string }): Promise<void> {
  if (flags.confirm !== undefined && flags.confirm !== slug) throw usageError(`--confirm ${JSON.stringify(flags.confirm)} does not match the tenant being erased (${slug}).`, 'Nothing was changed.');
  if (flags.yes && flags.confirm === slug) return;
  if (!io.interactive) throw usageError(`tenant erase needs --yes --confirm ${slug} (standard input is not a terminal).`, 'Review the plan first with --dry-run. Nothing was changed.');
  const typed = await ask(io, `This permanently erases tenant ${slug} and all its data. Type the slug to confirm`);
  if (typed !== slug) throw usageError('The slug typed does not match; erasure cancelled.', 'Nothing was changed.');
}
