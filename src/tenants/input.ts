import { usageError } from '../errors.js';
import { characterCount } from '../tenancy/characters.js';
import { MAX_SLUG, validateSlug } from '../tenancy/slug.js';

/** The fields of a new tenant, as a caller gives them. */
export interface TenantInput {
  slug: string;
  name: string;
  /** Plan code from public.plans (starter, professional, …). */
  plan: string;
  ownerEmail: string;
  /** @default the part of the e-mail before the @ */
  ownerName?: string;
  /** IANA time zone. @default 'UTC' */
  timezone?: string;
  /** ISO 4217 code. @default 'INR' (the plans are priced in rupees) */
  currency?: string;
  /** Days of trial; 0 makes the subscription active at once. @default 0 */
  trialDays?: number;
  domain?: string;
}

/** TenantInput with every default filled in and every field checked. */
export type ValidTenantInput = Required<Omit<TenantInput, 'domain'>> & { domain?: string };

/**
 * A practical e-mail shape check (the mailbox is verified elsewhere, by sending to it). An
 * apostrophe may be inside the local part (o'brien@…); neither it nor a dot may start or end it,
 * which is also how an erasure finds the address quoted inside a note (personal.ts EMAIL_TOKEN).
 */
const EMAIL = /^[^\s@"<>(),;:\\.'](?:[^\s@"<>(),;:\\]*[^\s@"<>(),;:\\.'])?@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Is this shaped like an e-mail address? (The mailbox is verified elsewhere.) Pure. */
export const isEmail = (value: string): boolean => characterCount(value) <= 255 && EMAIL.test(value);

/** Suggest a slug from a company name: "Acme Corp." → "acme_corp". Pure. */
export function suggestSlug(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const slug = (/^[a-z]/.test(base) ? base : `t_${base}`).slice(0, MAX_SLUG);
  return slug.replace(/_+$/, '') || 'tenant';
}

/** Is this an IANA time zone Node (and therefore PostgreSQL's tz database) knows? */
export function isTimeZone(zone: string): boolean {
  // The default needs no ICU: its first use loads the time zone data (~15 ms of a CLI create).
  if (zone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** Is this an ISO 4217 currency code? */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

/** Check a tenant's fields before any SQL runs; usage errors name the flag. Pure. */
export function validateTenantInput(input: TenantInput): ValidTenantInput {
  const slug = validateSlug(input.slug ?? '', 'slug');
  const name = (input.name ?? '').trim();
  if (!name) throw usageError('The tenant needs a name: pass --name.', 'Example: --name "Acme Corp"');
  if (characterCount(name) > 255) throw usageError(`--name is ${characterCount(name)} characters; at most 255 are allowed.`);
  const ownerEmail = (input.ownerEmail ?? '').trim();
  if (!ownerEmail) throw usageError('The tenant needs an owner: pass --owner-email.', 'Example: --owner-email owner@acme.test');
  if (!isEmail(ownerEmail)) throw usageError(`--owner-email ${JSON.stringify(ownerEmail)} is not an e-mail address.`, 'Example: --owner-email owner@acme.test');
  const ownerName = (input.ownerName ?? ownerEmail.split('@')[0]!).trim();
  if (!ownerName || characterCount(ownerName) > 255) throw usageError('--owner-name must be 1–255 characters.');
  const plan = (input.plan ?? '').trim();
  if (!plan) throw usageError('The tenant needs a plan: pass --plan.', 'Example: --plan starter (see public.plans).');
  const timezone = input.timezone ?? 'UTC';
  if (!isTimeZone(timezone)) throw usageError(`--timezone ${JSON.stringify(timezone)} is not an IANA time zone.`, 'Example: --timezone Asia/Kolkata or --timezone UTC');
  const currency = (input.currency ?? 'INR').toUpperCase();
  if (!isCurrency(currency)) throw usageError(`--currency ${JSON.stringify(input.currency)} is not an ISO 4217 currency code.`, 'Example: --currency INR or --currency EUR');
  const trialDays = input.trialDays ?? 0;
  if (!Number.isInteger(trialDays) || trialDays < 0 || trialDays > 366) throw usageError(`--trial-days must be a whole number from 0 to 366 (got ${trialDays}).`);
  if (input.domain !== undefined && (input.domain.length > 255 || !/^[A-Za-z0-9.-]+$/.test(input.domain))) throw usageError(`--domain ${JSON.stringify(input.domain)} is not a host name.`);
  return { slug, name, plan, ownerEmail, ownerName, timezone, currency, trialDays, domain: input.domain };
}
