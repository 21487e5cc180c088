import { type Io, noPromptsBecause } from '../context.js';
import { entityOf } from '../csv/tenant.js';
import type { Sql } from '../db/connect.js';
import { promptCancelled, usageError } from '../errors.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { registryTenants, resolveTenant } from '../tenancy/registry.js';

/**
 * The tenant of an import or export of `entity`: --tenant, else (on a terminal) a choice from
 * the tenant list, else a usage error naming the flag. Support staff should never hit the
 * wrong tenant by accident, so there is no default.
 * @param what the command, for messages (`import products`)
 */
export async function tenantOrPrompt(io: Io, sql: Sql, profile: TenancyProfile, flag: string | undefined, entity: string, what: string): Promise<string> {
  // A shared catalogue is written by a platform organization, which no tenant command takes
  // (ABParts' distributor): its --tenant is resolved by the import or export itself (importableBy).
  if (flag && entityOf(profile, entity).importableBy) return flag;
  // Resolved like every other tenant argument (id or handle; one unknown-tenant error), then named by its handle.
  if (flag) return (await resolveTenant(sql, profile, flag, '--tenant')).handle;
  if (!io.interactive) throw usageError(`${what} needs --tenant <${profile.registry.handleLabel}> (${noPromptsBecause(io)}).`, 'Example: --tenant acme');
  const tenants = (await registryTenants(sql, profile.registry)).map((t) => ({ slug: t.handle, status: t.status }));
  if (tenants.length === 0) throw usageError('There are no tenants yet.', 'Create one first, then pass --tenant <slug>.');
  const { select, isCancel } = await import('@clack/prompts');
  const answer = await select({ message: `${what}: which tenant?`, options: tenants.map((t) => ({ value: t.slug, label: t.slug, hint: t.status })), input: io.stdin, output: io.stderr });
  if (isCancel(answer)) throw promptCancelled();
  return answer as string;
}

