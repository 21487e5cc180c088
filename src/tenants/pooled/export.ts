import { join, resolve } from 'node:path';
import type { Pool } from '../../db/connect.js';
import type { TenancyProfile } from '../../tenancy/profile.js';
import type { Tenant } from '../../tenancy/registry.js';
import { copyToFile, withExportDir, writeExportManifest, type ExportedFile, type ExportManifest } from '../export.js';
import { classify, partyRowSets, tenantRowSets } from '../../pooled/index.js';
import { declarationsOf } from './declarations.js';
import { exportFileNamer } from '../export-names.js';

/**
 * Export a pooled tenant: every row it owns, directly (tenant column) or through its
 * foreign keys (owner paths), one CSV per table under tenant/, the registry row first,
 * plus manifest.json — the same layout and manifest as a schema-per-tenant export, the
 * rows chosen by the pooled engine (tenantRowSets), parents first. Rows another
 * organization owns that the tenant takes part in (partyRowSets: an ABParts transfer from
 * the distributor's warehouse into the tenant's, from which the tenant's stock derives) go
 * under shared/ (`shared/<schema>.<table>.csv`, scope `shared`): the tenant's stock adds up
 * from both files, and nothing reads them back as the tenant's. One REPEATABLE READ
 * transaction: the files are one consistent snapshot.
 */
export async function exportPooledTenant(sql: Pool, profile: TenancyProfile, tenant: Tenant, dir: string, now: () => Date): Promise<ExportManifest & { dir: string }> {
  const out = resolve(dir);
  const r = profile.registry;
  const decl = declarationsOf(profile);
  return withExportDir(out, async () => {
    // Not READ ONLY: each row set is staged in a temporary table, because COPY takes no bind parameters.
    const files = await sql.begin('isolation level repeatable read', async (tx) => {
      const written: ExportedFile[] = [];
      // One at a time: a transaction is one connection, and COPY streams cannot interleave.
      const cls = await classify(tx, decl);
      const fileFor = exportFileNamer();
      const sets = [
        ...tenantRowSets(tx, decl, cls, tenant.id).map((set) => ({ set, file: fileFor('tenant', set.table), scope: 'tenant' as const })),
        ...partyRowSets(tx, decl, cls, tenant.id).map((set) => ({ set, file: fileFor('shared', r.schema, set.table), scope: 'shared' as const })),
      ];
      for (const { set, file, scope } of sets) {
        const staged = await tx`create temporary table tenantctl_export on commit drop as ${set.select}`;
        const { bytes, sha256 } = await copyToFile(tx`copy tenantctl_export to stdout with (format csv, header true)`, join(out, file));
        await tx`drop table tenantctl_export`;
        written.push({ file, table: `${r.schema}.${set.table}`, scope, rows: staged.count, bytes, sha256 });
      }
      return written;
    });
    const manifest = await writeExportManifest(out, { id: tenant.id, slug: tenant.handle, name: tenant.name, schema: r.schema }, files, now);
    return { ...manifest, dir: out };
  });
}
