import type { Classification } from './classify.js';
import type { PersonalDataColumn, PooledDeclarations } from './declarations.js';
import { isTextArray } from './personal.js';
import { textScanned } from './post-scan.js';

/**
 * JSON and array columns nobody declared. The post-scan reads every one of them for the erased
 * people's e-mails and keys and the tenant's id (post-scan.ts textScanned), and a user's data
 * may put an e-mail in any of them (another tenant's `customers.tags` holding
 * `referred-by:alice@…`). Scrubbing only the declared ones left the person's e-mail in other
 * tenants' rows, and the post-scan failed after the commit, when the erasure can no longer be
 * run again. So each such column is scrubbed as a declared one is, for each of these it can
 * hold and the profile does not already declare for it:
 * - text (JSON, or an array of text): the people's e-mails and identifiers (`emails`), their
 *   keys (`ids` of each people table) and the tenant's id, replaced inside the value;
 * - an array of keys (`uuid[]`): the people's keys and the tenant's id, taken out whole.
 * Keys are looked for only where they are uuids: an integer key would match any number.
 * Names are not: a name is searched only where the profile says a column holds names.
 */
export function withCatalogScrubs(decl: PooledDeclarations, cls: Classification): PooledDeclarations {
  const keyType = (table: string): string | undefined => {
    const t = cls.catalog.tables.find((x) => x.name === table);
    return t?.columns.find((c) => c.name === (t.primaryKey[0] ?? 'id'))?.type;
  };
  const declared = decl.personalData ?? [];
  const has = (table: string, column: string, holds: PersonalDataColumn['holds'], of?: string) =>
    declared.some((p) => p.table === table && p.column === column && p.holds === holds && (holds !== 'ids' || (p.of ?? decl.registry.table) === (of ?? decl.registry.table)));
  const people = [...new Set((decl.people ?? []).map((p) => p.table))].filter((t) => keyType(t) === 'uuid');
  const tenantIsUuid = keyType(decl.registry.table) === 'uuid';
  const added: PersonalDataColumn[] = [];
  const add = (table: string, column: string, holds: PersonalDataColumn['holds'], of?: string) => {
    if (!has(table, column, holds, of)) added.push({ table, column, holds, ...(of ? { of } : {}), action: 'scrub', found: 'catalog' });
  };
  for (const { table, column, type } of textScanned(cls, decl)) {
    const text = type === 'json' || type === 'jsonb' || isTextArray(type);
    if (!text && type !== '_uuid') continue;
    if (text) add(table, column, 'emails');
    for (const p of people) add(table, column, 'ids', p);
    // In an array of keys the tenant's id is one of its keys; in text, a token.
    if (tenantIsUuid) (text ? add(table, column, 'tenant-id') : add(table, column, 'ids', decl.registry.table));
  }
  return added.length ? { ...decl, personalData: [...declared, ...added] } : decl;
}

/** The JSON and array columns the post-scan searches that withCatalogScrubs cannot rewrite (an array of numbers or of JSON). */
export function unscrubbedColumns(decl: PooledDeclarations, cls: Classification): string[] {
  return textScanned(cls, decl)
    .filter((c) => !(c.type === 'json' || c.type === 'jsonb' || isTextArray(c.type) || c.type === '_uuid'))
    .filter((c) => !(decl.personalData ?? []).some((p) => p.table === c.table && p.column === c.column))
    .map((c) => `${c.table}.${c.column}`);
}
