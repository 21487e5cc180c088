import { defaultActor, type Io, noPromptsBecause } from '../context.js';
import { promptCancelled, usageError } from '../errors.js';
import type { Sql } from '../db/connect.js';
import type { ProvisionValues } from '../tenancy/lifecycle.js';
import type { ProvisionField, TenancyProfile } from '../tenancy/profile.js';

/** Who runs a command, for audit entries and receipts: --actor, else the OS user. */
export function actorOf(io: Io, flag?: string): string {
  return flag ?? defaultActor(io.env);
}

async function clack() {
  return import('@clack/prompts');
}

function cancelled(): never {
  throw promptCancelled();
}

/** Ask for one line of text (TTY only). */
export async function ask(io: Io, message: string, options: { initial?: string; validate?: (v: string) => string | undefined } = {}): Promise<string> {
  const { text, isCancel } = await clack();
  const answer = await text({ message, initialValue: options.initial, input: io.stdin, output: io.stderr, validate: options.validate ? (v) => options.validate!(v ?? '') : undefined });
  if (isCancel(answer)) cancelled();
  return String(answer).trim();
}

/** Is a field asked for on a terminal? Required ones, and optional ones with a default, a suggestion or choices. */
const asked = (f: ProvisionField): boolean => f.required || f.default !== undefined || f.suggest !== undefined || f.choices !== undefined;

/**
 * Fill in what `tenant create` was not given, from the profile's provisioning fields:
 * prompts on a TTY (suggestions, choices from the database); in scripts a missing
 * required flag is a usage error naming every missing one. Flags of other profiles are
 * usage errors too, so nothing typed is silently ignored.
 */
export async function completeFields(io: Io, sql: Sql, profile: TenancyProfile, handle: string | undefined, flags: Record<string, unknown>, known: readonly string[]): Promise<ProvisionValues> {
  const fields = profile.provisioning.fields;
  const foreign = known.filter((flag) => flags[camel(flag)] !== undefined && !fields.some((f) => f.flag === flag));
  if (foreign.length) throw usageError(`${foreign.map((f) => `--${f}`).join(', ')} ${foreign.length > 1 ? 'do' : 'does'} not apply to profile ${profile.name}.`, `Example: ${profile.provisioning.example}`);
  const values: Record<string, string | number | undefined> = {};
  for (const f of fields) {
    const given = f.key === 'handle' ? handle ?? flags[camel(f.flag)] : flags[camel(f.flag)];
    if (given !== undefined) values[f.key] = given as string | number;
  }
  if (!io.interactive) {
    const missing = fields.filter((f) => f.required && values[f.key] === undefined).sort((a, b) => Number(b.key === 'handle') - Number(a.key === 'handle'));
    if (missing.length) throw usageError(`tenant create needs ${missing.map((f) => (f.key === 'handle' ? `${f.flag} (the first argument)` : `--${f.flag}`)).join(', ')} (${noPromptsBecause(io)}, so there are no prompts).`, `Example: ${profile.provisioning.example}`);
    return values;
  }
  const { intro, select, isCancel } = await clack();
  intro('New tenant');
  for (const f of fields.filter((field) => values[field.key] === undefined && asked(field))) {
    const options = f.lookup ? await f.lookup(sql) : f.choices?.map((c) => ({ value: c, label: c }));
    if (options) {
      const picked = await select({ message: f.label, options, initialValue: f.default, input: io.stdin, output: io.stderr });
      if (isCancel(picked)) cancelled();
      values[f.key] = String(picked);
    } else {
      values[f.key] = await ask(io, f.label, { initial: f.suggest?.(values) ?? f.default, validate: (v) => (f.required && !v.trim() ? `${f.label} is required` : v.trim() ? f.check?.(v) : undefined) });
    }
  }
  return values;
}

/** `owner-email` → `ownerEmail`, as commander names option values. */
const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Ask for a reason on a TTY; in scripts use the fallback, or fail naming --reason when there is none. */
export async function reasonOf(io: Io, flag: string | undefined, what: string, fallback?: string): Promise<string> {
  if (flag?.trim()) return flag.trim();
  if (io.interactive) return ask(io, `Reason for ${what}`, { initial: fallback, validate: (v) => (v.trim() ? undefined : 'A reason is required') });
  if (fallback) return fallback;
  throw usageError(`${what} needs a reason: pass --reason "…".`, 'The reason is kept with who and when in the audit trail (commerce: public.audit_logs; pooled profiles: tenantctl.tenant_events, listed by `tenant show`).');
}

/**
 * Erasure confirmation: on a TTY the user types the tenant's handle (or id); in scripts
 * both --yes and --confirm <handle or id> are required and must name the tenant being
 * erased, otherwise it is a usage error.
 */
export async function confirmErasure(io: Io, tenant: { id: string; handle: string }, flags: { yes?: boolean; confirm?: string }): Promise<void> {
  const names = (v: string | undefined): boolean => v !== undefined && (v === tenant.handle || v.toLowerCase() === tenant.id);
  const slug = tenant.handle;
  if (flags.confirm !== undefined && !names(flags.confirm)) throw usageError(`--confirm ${JSON.stringify(flags.confirm)} does not match the tenant being erased (${slug}, id ${tenant.id}).`, 'Nothing was changed.');
  if (flags.yes && names(flags.confirm)) return;
  if (!io.interactive) throw usageError(`tenant erase needs --yes --confirm ${/\s/.test(slug) ? JSON.stringify(slug) : slug} (${noPromptsBecause(io)}).`, `--confirm also takes the id (${tenant.id}). Review the plan first with --dry-run. Nothing was changed.`);
  const typed = await ask(io, `This permanently erases tenant ${slug} and all its data. Type its name (or id) to confirm`);
  if (!names(typed)) throw usageError('What was typed does not name the tenant; erasure cancelled.', 'Nothing was changed.');
}
