import type { Sql } from '../db/connect.js';
import { TenantctlError } from '../errors.js';
import { readCatalog, tableOf, type Catalog, type ForeignKey } from './catalog.js';
import { schemaOf, type PooledDeclarations, type RegistryDeclaration } from './declarations.js';
import { withDetachedPartitions } from './detached.js';
import { chooseOwners, linkChain, type OwnerLink } from './owners.js';

export type { OwnerLink } from './owners.js';

export type TableClass = 'registry' | 'direct' | 'indirect' | 'global' | 'shared-identity' | 'unclassified';

/** One table of the pooled schema and how its rows belong to a tenant. */
export interface ClassifiedTable {
  table: string;
  class: TableClass;
  /** registry: its key; direct: the column holding the tenant id (nullable: NULL is a platform row). */
  tenantColumn: string | null;
  /** indirect: the foreign key to the parent on its owner path. */
  owner: OwnerLink | null;
  /** The owner path for people: `inventory.warehouse_id → warehouses.organization_id`. */
  ownerPath: string;
  /** direct: further columns referencing the registry (another tenant's stake in the row). */
  otherTenantColumns: string[];
  /** Where the class comes from: the catalog or a declaration, and why. */
  reason: string;
  declared: boolean;
  /** unclassified because of several possible owner paths: the candidates. */
  candidates: OwnerLink[];
}

/** A table the engine cannot classify safely. */
export interface ClassificationProblem {
  table: string;
  kind: 'no-path' | 'ambiguous-owner' | 'bad-declaration';
  message: string;
}

/** Every table of the pooled schema, classified; JSON-safe, and what the plan is built from. */
export interface Classification {
  schema: string;
  registry: RegistryDeclaration;
  tables: ClassifiedTable[];
  catalog: Catalog;
  problems: ClassificationProblem[];
}

const blank = (table: string, cls: TableClass, reason: string, declared: boolean): ClassifiedTable =>
  ({ table, class: cls, tenantColumn: null, owner: null, ownerPath: '', otherTenantColumns: [], reason, declared, candidates: [] });

/** Foreign keys (single column, to the registry key) grouped by child table. */
function registryColumns(catalog: Catalog, registry: RegistryDeclaration): Map<string, ForeignKey[]> {
  const byTable = new Map<string, ForeignKey[]>();
  for (const fk of catalog.foreignKeys) {
    if (fk.parent !== registry.table || fk.table === registry.table || fk.parentColumns.join() !== registry.key || fk.columns.length !== 1) continue;
    byTable.set(fk.table, [...(byTable.get(fk.table) ?? []), fk]);
  }
  return byTable;
}

/** A direct table: its owner column among its registry columns (declared, else the only one, else the only NOT NULL one). */
function classifyDirect(table: string, fks: ForeignKey[], declaredColumn: string | undefined, catalog: Catalog): ClassifiedTable {
  const columns = [...new Set([...fks.map((f) => f.columns[0]!), ...(declaredColumn ? [declaredColumn] : [])])];
  const notNull = columns.filter((c) => !tableOf(catalog, table)!.columns.find((x) => x.name === c)?.nullable);
  const owner = declaredColumn ?? (columns.length === 1 ? columns[0] : notNull.length === 1 ? notNull[0] : undefined);
  if (owner === undefined) {
    return { ...blank(table, 'unclassified', `several columns reference the registry (${columns.join(', ')}) and none is declared the owner`, false), otherTenantColumns: columns };
  }
  const viaFk = fks.some((f) => f.columns[0] === owner);
  return {
    ...blank(table, 'direct', viaFk ? `foreign key ${fks.find((f) => f.columns[0] === owner)!.name} to the registry` : `declared tenant column (no foreign key)`, declaredColumn !== undefined),
    tenantColumn: owner,
    ownerPath: `${table}.${owner}`,
    otherTenantColumns: columns.filter((c) => c !== owner),
  };
}

/** Check that every declared table and column exists, so a typo in a profile is an error, not a silent gap. */
function checkDeclarations(decl: PooledDeclarations, catalog: Catalog): void {
  const missing: string[] = [];
  const need = (table: string, columns: string[] = []) => {
    const t = tableOf(catalog, table);
    if (!t) missing.push(table);
    else for (const c of columns) if (!t.columns.some((x) => x.name === c)) missing.push(`${table}.${c}`);
  };
  need(decl.registry.table, [decl.registry.key, decl.registry.handle, ...(decl.registry.status ? [decl.registry.status] : [])]);
  for (const t of decl.tenantColumns ?? []) need(t.table, [t.column]);
  for (const p of decl.ownerPaths ?? []) need(p.table, [...p.columns, ...(p.orElse ?? []).flat()]);
  for (const g of decl.globalTables ?? []) need(g);
  for (const r of decl.references ?? []) need(r.table, r.columns);
  for (const p of decl.personalData ?? []) need(p.table, [p.column, ...(p.alongside ? [...p.alongside.columns, p.alongside.whereNull] : [])]);
  for (const p of decl.people ?? []) need(p.table, [p.emailColumn]);
  for (const n of decl.names ?? []) need(n.table, n.columns);
  if (decl.sharedIdentity) need(decl.sharedIdentity.table, [decl.sharedIdentity.key, ...(decl.sharedIdentity.personWide ?? [])]);
  if (missing.length) {
    throw new TenantctlError('PROFILE_DECLARATION', `The profile declares ${missing.join(', ')}, which schema "${catalog.schema}" does not have.`, {
      hint: 'Migrate the database to the profile\'s latest version (`tenantctl migrate up`), or fix the profile\'s declarations.',
      details: { schema: catalog.schema, missing },
    });
  }
}

/**
 * Classify every table of the pooled schema from the catalog plus the declarations:
 * registry; direct (ANY foreign key to the registry key, whatever the column is called, plus
 * declared FK-less columns); shared identity (declared); indirect (a chain of foreign keys to a
 * direct table, the declared one where a row has several parents); global (declared); or
 * unclassified (no path, or several owner paths and none declared). Never by column name alone.
 */
export async function classify(sql: Sql, decl: PooledDeclarations): Promise<Classification> {
  const catalog = await readCatalog(sql, schemaOf(decl));
  if (!tableOf(catalog, decl.registry.table)) {
    throw new TenantctlError('PROFILE_DECLARATION', `Schema "${catalog.schema}" has no registry table "${decl.registry.table}".`, {
      hint: 'Migrate the database first (`tenantctl migrate up`), or check --profile and the database URL.',
      details: { schema: catalog.schema, registry: decl.registry.table },
    });
  }
  checkDeclarations(decl, catalog);
  return classifyCatalog(catalog, decl);
}

/** The pure half of classify(): the same result from an already-read catalog. */
export function classifyCatalog(catalog: Catalog, declared: PooledDeclarations): Classification {
  const decl = withDetachedPartitions(declared, catalog);
  const registry = decl.registry;
  const fixed = new Map<string, ClassifiedTable>();
  fixed.set(registry.table, { ...blank(registry.table, 'registry', 'the tenant registry', true), tenantColumn: registry.key, ownerPath: `${registry.table}.${registry.key}` });
  for (const g of decl.globalTables ?? []) fixed.set(g, blank(g, 'global', 'declared global (shared by every tenant)', true));
  const identity = decl.sharedIdentity;
  if (identity) fixed.set(identity.table, { ...blank(identity.table, 'shared-identity', `declared shared identity, a tenant's through ${identity.membership.table}.${identity.membership.personColumn}`, true), tenantColumn: identity.key, ownerPath: `${identity.membership.table}.${identity.membership.tenantColumn}` });
  const regCols = registryColumns(catalog, registry);
  const declaredCols = new Map((decl.tenantColumns ?? []).map((t) => [t.table, t.column]));
  for (const t of catalog.tables) {
    if (fixed.has(t.name) || (!regCols.has(t.name) && !declaredCols.has(t.name))) continue;
    fixed.set(t.name, classifyDirect(t.name, regCols.get(t.name) ?? [], declaredCols.get(t.name), catalog));
  }
  const owners = chooseOwners(catalog, fixed, decl.ownerPaths ?? []);
  const fromOwner = (table: string): ClassifiedTable | undefined => {
    const o = owners.get(table);
    return o && { ...blank(table, o.owner ? 'indirect' : 'unclassified', o.reason, o.declared), owner: o.owner, candidates: o.candidates };
  };
  const tables = catalog.tables.map((t) => fixed.get(t.name) ?? fromOwner(t.name) ?? blank(t.name, 'unclassified', 'no foreign key path to the registry, and not declared global', false));
  const byName = new Map(tables.map((t) => [t.table, t]));
  for (const t of tables) if (t.class === 'indirect') t.ownerPath = pathText(t, byName);
  const problems: ClassificationProblem[] = tables.filter((t) => t.class === 'unclassified').map((t) => ({
    table: t.table,
    kind: t.candidates.length || t.otherTenantColumns.length ? 'ambiguous-owner' : 'no-path',
    message: t.reason,
  }));
  return { schema: catalog.schema, registry, tables, catalog, problems };
}

/** `a.x → b.y → c.organization_id`: the owner path of an indirect table, for people. */
function pathText(table: ClassifiedTable, byName: Map<string, ClassifiedTable>): string {
  const steps: string[] = [];
  let t: ClassifiedTable | undefined = table;
  while (t?.owner) {
    const [main, ...fallbacks] = linkChain(t.owner).map((l) => l.columns.join('+'));
    steps.push(`${t.table}.${main}${fallbacks.length ? ` (else ${fallbacks.join(', else ')})` : ''}`);
    t = byName.get(t.owner.parent);
  }
  if (t) steps.push(t.ownerPath);
  return steps.join(' → ');
}
