import type { Sql } from '../../db/connect.js';
import { query, renderedQuery } from '../../db/queries.js';
import { foldNames, readFold } from '../../pooled/fold.js';
import { characterCount } from '../characters.js';
import { TenantctlError, usageError } from '../../errors.js';
import { ABPARTS_TOMBSTONE } from '../../pooled/profiles/abparts.js';
import { isEmail } from '../../tenants/input.js';
import type { Provisioner } from '../../tenants/pooled/lifecycle.js';
import type { ProvisionValues } from '../lifecycle.js';

/** The seed's platform-wide limits (002 "Business Rules"), enforced by the application and here. */
export const ABPARTS_LIMITS = { customers: 100, users: 200, warehouses: 150 } as const;

/** The organization types a tenant can have; oraseas_ee and bossaqua are platform singletons. */
export const TENANT_TYPES = ['customer', 'supplier'] as const;

interface OrganizationInput {
  name: string;
  type: (typeof TENANT_TYPES)[number];
  parent: string | null;
  email: string;
  /** null: the e-mail's local part, or the whole e-mail when another user has that username (usernames are global). */
  username: string | null;
  adminName: string | null;
  invitedBy: string | null;
  warehouse: string | null;
  address: string | null;
  contact: string | null;
}

const text = (value: unknown): string | null => (value === undefined || value === null || String(value).trim() === '' ? null : String(value).trim());

function validate(values: ProvisionValues): OrganizationInput {
  const name = text(values.handle);
  if (!name) throw usageError('The organization needs a name: pass it as the first argument.', 'Example: tenantctl tenant create "Acme Farms" --type customer --admin-email admin@acme.test');
  if (characterCount(name) > 255) throw usageError(`The organization name is ${characterCount(name)} characters; at most 255 are allowed.`);
  const type = text(values.type) ?? 'customer';
  if (!(TENANT_TYPES as readonly string[]).includes(type)) {
    throw usageError(`--type ${JSON.stringify(type)} cannot be provisioned.`, `A tenant is a customer or a supplier; oraseas_ee and bossaqua are platform singletons that exist once.`);
  }
  const parent = text(values.parent);
  if (type === 'supplier' && !parent) throw usageError('A supplier needs a parent organization: pass --parent <name or id>.', 'The seed\'s CHECK supplier_must_have_parent refuses a supplier without one.');
  const email = text(values.adminEmail)?.toLowerCase() ?? '';
  if (!isEmail(email)) throw usageError(`--admin-email ${JSON.stringify(values.adminEmail ?? '')} is not an e-mail address.`, 'Every organization needs at least one admin user: --admin-email admin@acme.test');
  const username = text(values.adminUsername);
  if (username && characterCount(username) > 255) throw usageError('--admin-username is longer than 255 characters.');
  return { name, type: type as OrganizationInput['type'], parent, email, username, adminName: text(values.adminName), invitedBy: text(values.invitedBy), warehouse: text(values.warehouse), address: text(values.address), contact: text(values.contact) };
}

function limitError(what: string, count: number, limit: number): TenantctlError {
  return new TenantctlError('TENANT_LIMIT', `ABParts allows at most ${limit} ${what}; there are ${count} already.`, {
    hint: 'Nothing was created. Erase or deactivate one first, or raise the limit with the application owners (seed 002 "Business Rules").',
    details: { what, count, limit },
  });
}

/**
 * The first admin's username, after checking that no user has the e-mail (an ABParts user
 * belongs to one organization) or the username asked for. Without --admin-username the
 * e-mail's local part is used, or the whole e-mail when that is taken ("admin" is common).
 */
async function adminUsername(tx: Sql, input: OrganizationInput): Promise<string> {
  const local = input.email.split('@')[0]!;
  const [clash] = await renderedQuery<{ email_taken: boolean; username_taken: boolean; organization: string }>(tx, 'profiles/abparts/find-user', foldNames(await readFold(tx)), [input.email, input.username ?? local]);
  if (clash?.email_taken) {
    throw new TenantctlError('USER_EXISTS', `--admin-email ${input.email} already has an account, in organization ${JSON.stringify(clash.organization)}; an ABParts user belongs to one organization.`, {
      hint: 'Nothing was created. Give the new organization\'s first admin another e-mail address.',
      details: { field: 'admin-email' },
      exitCode: 2,
    });
  }
  if (clash?.username_taken && input.username) {
    throw new TenantctlError('USER_EXISTS', `--admin-username ${JSON.stringify(input.username)} is taken (usernames are unique across all organizations).`, {
      hint: 'Nothing was created. Pick another --admin-username, or leave it out to use the e-mail address.',
      details: { field: 'admin-username' },
      exitCode: 2,
    });
  }
  return clash?.username_taken ? input.email : input.username ?? local;
}

/** The parent and the inviting super admin, checked before any row is written. */
async function lookups(tx: Sql, input: OrganizationInput): Promise<{ parentId: string | null; inviter: { id: string; username: string } }> {
  let parentId: string | null = null;
  if (input.parent) {
    const [parent] = await query<{ id: string; type: string; is_active: boolean }>(tx, 'profiles/abparts/find-organization', [input.parent]);
    if (!parent) throw usageError(`--parent ${JSON.stringify(input.parent)}: no organization has that name or id.`, 'List organizations with `tenantctl tenant list`.');
    if (parent.id === ABPARTS_TOMBSTONE.organization) throw usageError('--parent cannot be the erased-organization placeholder.');
    parentId = parent.id;
  }
  const [inviter] = await renderedQuery<{ id: string; username: string }>(tx, 'profiles/abparts/find-inviter', foldNames(await readFold(tx)), [input.invitedBy]);
  if (!inviter) {
    throw new TenantctlError('NO_SUPER_ADMIN', input.invitedBy ? `--invited-by ${JSON.stringify(input.invitedBy)} is not an active super_admin of the oraseas_ee organization.` : 'No active super_admin of the oraseas_ee organization exists to invite the first admin.', {
      hint: 'Only a super admin provisions organizations (seed 002). Create the Oraseas EE organization and its super admin with the application first, or name one with --invited-by.',
      exitCode: 2,
    });
  }
  return { parentId, inviter };
}

/**
 * ABParts provisioning (POOLED.md §2 "Provisioning"), in the caller's transaction, which
 * holds the pooled target's lock (the limits are counted under it): the organization, its
 * first admin invited by a super admin (pending invitation, 7-day token, an 'invited' audit
 * row) and, on request, a default warehouse. No machines.
 */
export const abpartsProvisioner: Provisioner<OrganizationInput> = {
  validate,
  async create(tx, input, step) {
    const [counts] = await query<{ customers: number; users: number; warehouses: number }>(tx, 'profiles/abparts/limits', [ABPARTS_TOMBSTONE.organization]);
    if (input.type === 'customer' && counts!.customers >= ABPARTS_LIMITS.customers) throw limitError('customer organizations', counts!.customers, ABPARTS_LIMITS.customers);
    if (counts!.users >= ABPARTS_LIMITS.users) throw limitError('users across all organizations', counts!.users, ABPARTS_LIMITS.users);
    if (input.warehouse && counts!.warehouses >= ABPARTS_LIMITS.warehouses) throw limitError('warehouses across all organizations', counts!.warehouses, ABPARTS_LIMITS.warehouses);
    const { parentId, inviter } = await lookups(tx, input);
    const username = await adminUsername(tx, input);
    const [org] = await query<{ id: string; type: string; is_active: boolean; created_at: Date }>(tx, 'profiles/abparts/insert-organization', [input.name, input.type, parentId, input.address, input.contact]);
    await step('tenant-create:after-registry');
    const [admin] = await query<{ id: string; expires_at: Date }>(tx, 'profiles/abparts/insert-admin', [org!.id, username, input.email, input.adminName, inviter.id, input.name]);
    const warehouse = input.warehouse ? (await query<{ id: string }>(tx, 'profiles/abparts/insert-warehouse', [org!.id, input.warehouse]))[0]!.id : null;
    return {
      id: org!.id,
      slug: input.name,
      name: input.name,
      status: org!.is_active ? 'active' : 'inactive',
      plan: org!.type,
      createdAt: org!.created_at,
      roles: [],
      owner: { id: admin!.id, email: input.email, role: 'admin', passwordSet: false },
      details: {
        type: input.type,
        parent: parentId,
        invitation: { username, invitedBy: inviter.username, expiresAt: admin!.expires_at },
        ...(warehouse ? { warehouse: { id: warehouse, name: input.warehouse } } : {}),
      },
    };
  },
};
