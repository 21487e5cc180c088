import type { Sql } from '../../db/connect.js';
import { query } from '../../db/queries.js';
import { characterCount } from '../characters.js';
import { usageError } from '../../errors.js';
import { isEmail, isTimeZone } from '../../tenants/input.js';
import type { Provisioner } from '../../tenants/pooled/lifecycle.js';
import type { ProvisionValues } from '../lifecycle.js';

/** A system role a new organization gets; `permissions` null = every permission of the catalogue. */
export interface SystemRole {
  name: string;
  description: string;
  permissions: readonly string[] | null;
}

interface OrganizationInput {
  name: string;
  email: string;
  firstName: string;
  lastName: string | null;
  tier: string;
  timezone: string;
}

const TIERS = ['starter', 'professional', 'enterprise'];

function validate(values: ProvisionValues): OrganizationInput {
  const name = String(values.handle ?? '').trim();
  if (!name) throw usageError('The organization needs a name: pass it as the first argument (or --name).', 'Example: tenantctl tenant create "Org A" --owner-email admin@org-a.test');
  if (characterCount(name) > 255) throw usageError(`The organization name is ${characterCount(name)} characters; at most 255 are allowed.`);
  // The seed's unique keys compare e-mails as written; the application lower-cases them.
  const email = String(values.ownerEmail ?? '').trim().toLowerCase();
  if (!email) throw usageError('The organization needs a first user: pass --owner-email.', 'Example: --owner-email admin@org-a.test');
  if (!isEmail(email)) throw usageError(`--owner-email ${JSON.stringify(values.ownerEmail)} is not an e-mail address.`, 'Example: --owner-email admin@org-a.test');
  const fullName = String(values.ownerName ?? email.split('@')[0]).trim();
  const [firstName, ...rest] = fullName.split(/\s+/);
  if (!firstName || characterCount(firstName) > 100 || characterCount(rest.join(' ')) > 100) throw usageError('--owner-name must be 1–100 characters of first name and at most 100 of last name.');
  const tier = String(values.tier ?? 'starter');
  if (!TIERS.includes(tier)) throw usageError(`--tier ${JSON.stringify(tier)} is not a subscription tier.`, `Tiers: ${TIERS.join(', ')}.`);
  const timezone = String(values.timezone ?? 'UTC');
  if (!isTimeZone(timezone) || timezone.length > 50) throw usageError(`--timezone ${JSON.stringify(timezone)} is not an IANA time zone.`, 'Example: --timezone Europe/Berlin or --timezone UTC');
  return { name, email, firstName, lastName: rest.length ? rest.join(' ') : null, tier, timezone };
}

/**
 * IMSOP provisioning (POOLED.md §1 "Provisioning"), in the caller's transaction: the
 * organization (name globally unique, active, a tier), its system roles with their
 * permissions, and the first user holding the first role (the admin).
 */
export function organizationProvisioner(roles: readonly SystemRole[]): Provisioner<OrganizationInput> {
  return {
    validate,
    async create(tx: Sql, input, step) {
      const [org] = await query<{ id: string; status: string; tier: string; created_at: Date }>(tx, 'profiles/imsop/insert-organization', [input.name, input.tier, input.timezone]);
      await step('tenant-create:after-registry');
      const created: { name: string; id: string; permissions: number }[] = [];
      for (const role of roles) {
        const [row] = await query<{ id: string; permissions: number }>(tx, 'profiles/imsop/insert-system-role', [org!.id, role.name, role.description, role.permissions ? [...role.permissions] : null]);
        created.push({ name: role.name, id: row!.id, permissions: row!.permissions });
      }
      const [user] = await query<{ id: string }>(tx, 'profiles/imsop/insert-first-user', [org!.id, input.email, input.firstName, input.lastName, created[0]!.id]);
      return {
        id: org!.id,
        slug: input.name,
        name: input.name,
        status: org!.status,
        plan: org!.tier,
        createdAt: org!.created_at,
        roles: created,
        owner: { id: user!.id, email: input.email, role: created[0]!.name, passwordSet: false },
      };
    },
  };
}
