import type { Sql } from '../db/connect.js';
import type { ForeignKey } from './catalog.js';
import { classify, type Classification, type ClassifiedTable } from './classify.js';
import type { PooledDeclarations } from './declarations.js';

/** One thing that would make an erasure incomplete, unsafe or slow. */
export interface ProfileFinding {
  kind: 'tenant-column-without-fk' | 'no-path' | 'ambiguous-owner' | 'owner-paths-can-disagree' | 'fk-without-index' | 'rls-missing';
  /** error: an erasure would miss or wrongly keep rows; warning: unsafe or slow; info: known and declared. */
  severity: 'error' | 'warning' | 'info';
  table: string;
  columns: string[];
  message: string;
  advice: string;
}

/** What `profile check` reports: every table's class, and the findings. */
export interface ProfileCheck {
  classification: Classification;
  findings: ProfileFinding[];
  summary: { tables: number; byClass: Record<string, number>; errors: number; warnings: number };
}

const OWNING = new Set(['registry', 'direct', 'indirect', 'shared-identity']);
/** Names that look like a tenant key, for suspicion only (classification never uses names). */
export const TENANT_LIKE = /(^|_)(organization|organisation|org|tenant|company|account)_id$/;

function tenantLikeWithoutFk(cls: Classification, decl: PooledDeclarations): ProfileFinding[] {
  const fkColumns = new Set(cls.catalog.foreignKeys.flatMap((f) => f.columns.map((c) => `${f.table}.${c}`)));
  const registryNames = new Set(cls.catalog.foreignKeys.filter((f) => f.parent === cls.registry.table).flatMap((f) => f.columns));
  const declared = new Set((decl.tenantColumns ?? []).map((t) => `${t.table}.${t.column}`));
  return cls.catalog.tables.flatMap((t) => t.columns
    .filter((c) => !fkColumns.has(`${t.name}.${c.name}`) && (registryNames.has(c.name) || TENANT_LIKE.test(c.name)) && t.name !== cls.registry.table)
    .map((c): ProfileFinding => declared.has(`${t.name}.${c.name}`)
      ? { kind: 'tenant-column-without-fk', severity: 'info', table: t.name, columns: [c.name], message: `${t.name}.${c.name} holds a tenant id without a foreign key; the profile declares it, so erasure and the post-scan cover it.`, advice: `Add a foreign key to ${cls.registry.table}(${cls.registry.key}) (NOT VALID, clean, VALIDATE) so the database keeps it consistent.` }
      : { kind: 'tenant-column-without-fk', severity: 'error', table: t.name, columns: [c.name], message: `${t.name}.${c.name} looks like a tenant id but has no foreign key and is not declared: an erasure would leave these rows behind.`, advice: `Declare it in the profile's tenantColumns, or add a foreign key to ${cls.registry.table}(${cls.registry.key}).` }));
}

function classFindings(t: ClassifiedTable): ProfileFinding[] {
  if (t.class === 'unclassified') {
    const ambiguous = t.candidates.length > 0 || t.otherTenantColumns.length > 0;
    return [ambiguous
      ? { kind: 'ambiguous-owner', severity: 'error', table: t.table, columns: [...t.candidates.flatMap((c) => c.columns), ...t.otherTenantColumns], message: `${t.table}: ${t.reason}.`, advice: 'Declare its owner path (ownerPaths) or its tenant column (tenantColumns) in the profile.' }
      : { kind: 'no-path', severity: 'error', table: t.table, columns: [], message: `${t.table} has no foreign key path to the registry and is not declared global: erasure never removes its rows.`, advice: 'Declare it global (shared by every tenant), declare its tenant column, or add a foreign key toward a tenant table.' }];
  }
  if (t.class === 'indirect' && t.candidates.length) {
    return [{ kind: 'owner-paths-can-disagree', severity: 'warning', table: t.table, columns: [...t.owner!.columns, ...t.candidates.flatMap((c) => c.columns)], message: `${t.table} has several parents (${[t.owner!, ...t.candidates].map((c) => `${c.columns.join('+')} → ${c.parent}`).join('; ')}) that may belong to different tenants; its owner is ${t.owner!.parent}.`, advice: 'Make the keys tenant-consistent: composite foreign keys (organization_id, x_id) to UNIQUE (organization_id, id) on each parent, or a trigger checking both parents\' tenants.' }];
  }
  return [];
}

function unindexed(cls: Classification, fk: ForeignKey): ProfileFinding {
  return { kind: 'fk-without-index', severity: 'warning', table: fk.table, columns: fk.columns, message: `Foreign key ${fk.name} (${fk.table}.${fk.columns.join(', ')} → ${fk.parent}) has no index: each delete of a ${fk.parent} row scans ${fk.table}.`, advice: `create index on ${cls.schema}.${fk.table} (${fk.columns.join(', ')});` };
}

function rlsFindings(cls: Classification): ProfileFinding[] {
  return cls.tables.filter((t) => OWNING.has(t.class)).flatMap((t): ProfileFinding[] => {
    const rls = cls.catalog.tables.find((x) => x.name === t.table)!.rls;
    if (rls.enabled && rls.policies > 0) return [];
    const what = !rls.enabled ? 'row-level security is not enabled' : 'row-level security is enabled without policies (the application sees no rows)';
    return [{ kind: 'rls-missing', severity: 'warning', table: t.table, columns: t.tenantColumn ? [t.tenantColumn] : [], message: `${t.table} holds tenant rows but ${what}.`, advice: `Enable row-level security with a policy keyed on ${t.ownerPath || 'its owner path'} (direct: the tenant column; indirect: EXISTS on the parent).` }];
  });
}

/**
 * `profile check`: classify every table of a live database and report what would make an
 * erasure incomplete or unsafe: tenant-like columns without a foreign key, tables with no
 * path to the registry and not declared global, owner paths that can disagree, foreign keys
 * without an index, tenant tables without row-level security policies.
 */
export async function checkProfile(sql: Sql, decl: PooledDeclarations): Promise<ProfileCheck> {
  // The catalog is not subject to row-level security: no row_security setting needed here.
  const cls = await classify(sql, decl);
  const findings = [
    ...tenantLikeWithoutFk(cls, decl),
    ...cls.tables.flatMap(classFindings),
    ...cls.catalog.foreignKeys.filter((f) => !f.indexed).map((f) => unindexed(cls, f)),
    ...rlsFindings(cls),
  ];
  const byClass: Record<string, number> = {};
  for (const t of cls.tables) byClass[t.class] = (byClass[t.class] ?? 0) + 1;
  return {
    classification: cls,
    findings,
    summary: { tables: cls.tables.length, byClass, errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length },
  };
}
