import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';

/** Whom a restore would bring back: the registry key, how messages call it, and the error's details. */
export interface RestoredIdentity {
  id: string;
  /** "Tenant acme", "Organization Cobalt Medical Supply". */
  description: string;
  details: Record<string, string>;
}

/**
 * Refuse to restore a tenant erased on request (GDPR), unless forced: by its id, since its
 * handle may since belong to someone new. Shared by the schema-per-tenant and pooled restores.
 */
export async function refuseErased(sql: Sql, who: RestoredIdentity, force: boolean | undefined): Promise<void> {
  if (force || !(await receiptsKept(sql))) return;
  const [row] = await query<{ erased: boolean }>(sql, 'backup/erasure-receipt', [who.id]);
  if (row?.erased) {
    throw new TenantctlError('BACKUP_TENANT_ERASED', `${who.description} (id ${who.id}) of this backup was erased (GDPR): an erasure receipt for that id exists in tenantctl.erasure_receipts. Restoring it would bring back data that was deleted on request.`, {
      hint: 'Only with a documented legal reason: re-run with --force.',
      details: who.details,
    });
  }
}

/** Whether this database keeps erasure receipts at all (tenantctl.erasure_receipts exists): none erased yet otherwise. */
export async function receiptsKept(sql: Sql): Promise<boolean> {
  const [{ present }] = (await sql`select to_regclass('tenantctl.erasure_receipts') is not null as present`) as unknown as [{ present: boolean }];
  return present;
}
