import type { PooledDeclarations } from './declarations.js';
import { col, selectList, tableRef, type Scope } from './scope.js';

/**
 * People of a shared identity that the erasure keeps because another tenant also has them as
 * members (a Prometric person employed by A and B), with the person-wide columns that hold one
 * value for every tenant (Prometric `users.organization_role`: POOLED.md §3, "one role across
 * orgs"). The erasure leaves those values as they are — which tenant's role is right is not
 * the tool's to decide — and reports them so the tenants who keep the person can review them.
 */
export interface KeptPeople {
  table: string;
  /** The person-wide columns reported (`organization_role`). */
  columns: string[];
  /** How many people are kept. */
  rows: number;
  /** Up to `limit` of them: the person's key, the other tenants' keys, the columns' values. */
  sample: { person: string; otherTenants: string[]; values: Record<string, string | null> }[];
}

/** The shared people the erasure keeps, or null when the profile has no shared identity. */
export async function keptPeople(s: Scope, decl: PooledDeclarations, limit: number): Promise<KeptPeople | null> {
  const identity = decl.sharedIdentity;
  if (!identity) return null;
  const m = identity.membership;
  const columns = identity.personWide ?? [];
  const member = (op: 'this' | 'other') => s.sql`exists (select 1 from ${tableRef(s, m.table)} m where ${col(s, 'm', m.personColumn)} = ${col(s, 'p', identity.key)} and ${op === 'this' ? s.sql`${col(s, 'm', m.tenantColumn)} = ${s.tenantId}` : s.sql`${col(s, 'm', m.tenantColumn)} <> ${s.tenantId}`})`;
  const where = s.sql`${member('this')} and ${member('other')}`;
  const [{ n }] = (await s.sql`select count(*)::int as n from ${tableRef(s, identity.table)} p where ${where}`) as unknown as [{ n: number }];
  if (!n) return { table: identity.table, columns, rows: 0, sample: [] };
  const values = columns.length ? s.sql`, ${selectList(s, 'p', columns)}` : s.sql``;
  const rows = (await s.sql`select ${col(s, 'p', identity.key)}::text as person,
      array(select distinct ${col(s, 'm', m.tenantColumn)}::text from ${tableRef(s, m.table)} m where ${col(s, 'm', m.personColumn)} = ${col(s, 'p', identity.key)} and ${col(s, 'm', m.tenantColumn)} <> ${s.tenantId} order by 1) as other_tenants
      ${values}
    from ${tableRef(s, identity.table)} p where ${where} order by 1 limit ${limit}`) as unknown as Record<string, unknown>[];
  return {
    table: identity.table, columns, rows: n,
    sample: rows.map((r) => ({ person: r.person as string, otherTenants: r.other_tenants as string[], values: Object.fromEntries(columns.map((c) => [c, r[c] === null ? null : String(r[c])])) })),
  };
}

/** For the receipt (no personal data, no ids): what was kept and what needs a person's review. */
export function keptPeopleNote(kept: KeptPeople | null): string | null {
  if (!kept?.rows) return null;
  const review = kept.columns.length ? `; ${kept.columns.map((c) => `${kept.table}.${c}`).join(', ')} hold one value for every tenant and were left as they are: the tenants that keep them should review it` : '';
  return `${kept.rows} ${kept.table} row${kept.rows === 1 ? '' : 's'} kept: another tenant also has them as members (only this tenant's membership was erased)${review}`;
}
