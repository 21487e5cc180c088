import type { Sql } from '../db/connect.js';
import { TenantctlError } from '../errors.js';
import { equalsId, qualified, sharedRows, type SharedLocation } from './locate.js';
import { qualifiedIdent } from '../db/ident.js';

/**
 * A shared table with several tenant columns (a link between two tenants: `tenant_id` and
 * `partner_tenant_id`, both referencing the registry) holds rows that name the tenant AND
 * another one. They are not the tenant's to delete (the other tenant's row would go) nor to
 * export (the other's data would leave): the erasure refuses while any exists, naming them.
 */
export async function refuseSharedRows(sql: Sql, tenant: { id: string; slug: string }, shared: readonly SharedLocation[]): Promise<void> {
  const found: { table: string; columns: string[]; rows: number }[] = [];
  for (const location of shared) {
    const rows = sharedRows(sql, location, equalsId(sql, tenant.id));
    if (!rows) continue;
    const [{ n }] = (await sql`select count(*)::bigint as n from ${qualifiedIdent(sql, location.schema, location.table)} where ${rows}`) as unknown as [{ n: string }];
    if (Number(n) > 0) found.push({ table: qualified(location), columns: location.columns, rows: Number(n) });
  }
  if (!found.length) return;
  const list = found.map((f) => `${f.rows} row${f.rows === 1 ? '' : 's'} of ${f.table} (${f.columns.join(', ')})`).join('; ');
  throw new TenantctlError('ERASE_REFUSED', `Erasing ${tenant.slug} would delete or break rows that also name another tenant: ${list}. Nothing was erased.`, {
    hint: 'Each row names this tenant in one column and another tenant in another: the other tenant keeps it. Delete those rows, or set this tenant\'s column to NULL in them, then run the erasure again.',
    details: { sharedRows: found },
  });
}
