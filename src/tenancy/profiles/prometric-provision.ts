import type { Sql } from '../../db/connect.js';
import { query, renderedQuery } from '../../db/queries.js';
import { foldNames, readFold } from '../../pooled/fold.js';
import { isPgError, TenantctlError, usageError } from '../../errors.js';
import { isEmail } from '../../tenants/input.js';
import type { Provisioner } from '../../tenants/pooled/lifecycle.js';
import type { ProvisionValues } from '../lifecycle.js';
import { characterCount } from '../characters.js';

/** Workspace types of seed 003 (workspaces.type CHECK); `main` is made at provisioning. */
export const WORKSPACE_TYPES = ['main', 'division', 'project', 'branch'] as const;

interface OrganizationInput {
  bin: string;
  name: string;
  email: string;
  firstName: string;
  lastName: string;
  orgEmail: string | null;
}

const text = (value: unknown): string | null => (value === undefined || value === null || String(value).trim() === '' ? null : String(value).trim());

/** A BIN: 12 digits (organizations.bin VARCHAR(12) UNIQUE). */
export function validateBin(handle: string, flag = 'BIN'): string {
  const bin = handle.trim();
  if (!/^\d{12}$/.test(bin)) throw usageError(`${flag} ${JSON.stringify(handle)} is not a BIN: a Kazakhstan business identification number is 12 digits.`, 'Example: tenantctl tenant create 123456789012 --name "Alpha LLP" --owner-email owner@alpha.kz');
  return bin;
}

function validate(values: ProvisionValues): OrganizationInput {
  const bin = validateBin(String(values.handle ?? ''));
  const name = text(values.name);
  if (!name || characterCount(name) > 255) throw usageError('The organization needs a name of 1–255 characters: pass --name.', 'Names are not unique in Prometric; the BIN is.');
  const email = text(values.ownerEmail)?.toLowerCase() ?? '';
  if (!isEmail(email)) throw usageError(`--owner-email ${JSON.stringify(values.ownerEmail ?? '')} is not an e-mail address.`, 'The owner is a new account, or an existing person (same e-mail) who becomes an employee here too.');
  const [firstName = '', ...rest] = (text(values.ownerName) ?? '').split(/\s+/);
  if (characterCount(firstName) > 100 || characterCount(rest.join(' ')) > 100) throw usageError('--owner-name: at most 100 characters of first and of last name.');
  return { bin, name, email, firstName, lastName: rest.join(' '), orgEmail: text(values.orgEmail) };
}

/** The owner: an existing person (kept as they are) or a new account. */
async function owner(tx: Sql, input: OrganizationInput): Promise<{ id: string; existing: boolean; note: string | null }> {
  const [person] = await renderedQuery<{ id: string; organization_role: string; deleted: boolean }>(tx, 'profiles/prometric/find-person', foldNames(await readFold(tx)), [input.email]);
  if (person?.deleted) throw usageError(`${input.email} belongs to a deleted account.`, 'Restore the account in the application first, or use another e-mail. Nothing was created.');
  if (person) {
    // users.organization_role is one value for every organization the person works for (POOLED.md §3): reported, never changed.
    const note = person.organization_role === 'owner' ? null : `${input.email} keeps organization_role "${person.organization_role}": the seed has one role per person, not per organization`;
    return { id: person.id, existing: true, note };
  }
  const [created] = await query<{ id: string }>(tx, 'profiles/prometric/insert-person', [input.email, input.firstName, input.lastName]);
  return { id: created!.id, existing: false, note: null };
}

/** The audit CREATE row: the month's partition must exist (maintain keeps them ahead). */
async function auditCreate(tx: Sql, orgId: string, workspaceId: string, userId: string): Promise<void> {
  try {
    await query(tx, 'profiles/prometric/insert-audit', [orgId, workspaceId, userId]);
  } catch (error) {
    if (isPgError(error) && error.code === '23514' && /no partition/.test(error.message)) {
      throw new TenantctlError('AUDIT_PARTITION_MISSING', `audit_logs has no partition for this month, so the organization's CREATE audit row cannot be written: ${error.message}.`, {
        hint: 'Run `tenantctl maintain --only partitions` (it creates the months ahead), then create the tenant again. Nothing was created.',
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Prometric provisioning (POOLED.md §3 "Provisioning"), in the caller's transaction: the
 * organization (unique BIN), its owner (a new account, or the existing person with that
 * e-mail), the `Main` workspace, the owner's employee row, and the audit CREATE row. There
 * are no roles tables in this seed.
 */
export const prometricProvisioner: Provisioner<OrganizationInput> = {
  validate,
  async create(tx, input, step) {
    const [org] = await query<{ id: string; status: string; created_at: Date }>(tx, 'profiles/prometric/insert-organization', [input.name, input.bin, input.orgEmail]);
    await step('tenant-create:after-registry');
    const person = await owner(tx, input);
    const [workspace] = await query<{ id: string; name: string }>(tx, 'profiles/prometric/insert-workspace', [org!.id, 'Main', 'main', person.id]);
    const [employee] = await query<{ id: string }>(tx, 'profiles/prometric/insert-employee', [person.id, org!.id, workspace!.id]);
    await auditCreate(tx, org!.id, workspace!.id, person.id);
    return {
      id: org!.id,
      slug: input.bin,
      name: input.name,
      status: org!.status,
      plan: null,
      createdAt: org!.created_at,
      roles: [],
      owner: { id: person.id, email: input.email, role: 'owner', passwordSet: false },
      details: { workspace: { id: workspace!.id, name: workspace!.name }, employeeId: employee!.id, existingPerson: person.existing, ...(person.note ? { note: person.note } : {}) },
    };
  },
};
