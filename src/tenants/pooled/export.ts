import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Sql } from '../../db/connect.js';
import type { TenancyProfile } from '../../tenancy/profile.js';
import type { Tenant } from '../../tenancy/registry.js';
import { copyToFile, ensureEmptyDir, type ExportedFile, type ExportManifest } from '../export.js';
import { pooledLocations, rowsOf } from './locations.js';

/**
 * Export a pooled tenant: every row it owns, directly (tenant column) or through its
 * foreign keys (owner paths), one CSV per table under tenant/, the registry row first,
 * plus manifest.json — the same layout and manifest as a schema-per-tenant export. One
 * read-only REPEATABLE READ transaction: the files are one consistent snapshot.
 */
export async function exportPooledTenant(sql: Sql, profile: TenancyProfile, tenant: Tenant, dir: string, now: () => Date): Promise<ExportManifest & { dir: string }> {
  const out = resolve(dir);
  const r = profile.registry;
  await ensureEmptyDir(out);
  const files = await sql.begin('isolation level repeatable read read only', async (transaction) => {
    const tx = transaction as unknown as Sql;
    await tx`select set_config('tenantctl.export_tenant_id', ${tenant.id}, true)`;
    // COPY takes no bind parameters: the key is read back from the setting, typed by the registry itself.
    const key = tx`(select k.${tx(r.key)} from ${tx(r.schema)}.${tx(r.table)} k where k.${tx(r.key)}::text = current_setting('tenantctl.export_tenant_id'))`;
    const { locations } = await pooledLocations(tx, profile);
    const written: ExportedFile[] = [];
    // One at a time: a transaction is one connection, and COPY streams cannot interleave.
    for (const location of locations) {
      const file = `tenant/${location.table}.csv`;
      const [{ n }] = (await tx`select count(*)::bigint as n from (${rowsOf(tx, r.schema, locations, location, tenant.id)}) x`) as unknown as [{ n: string }];
      const { bytes, sha256 } = await copyToFile(tx`copy (${rowsOf(tx, r.schema, locations, location, key)}) to stdout with (format csv, header true)`, join(out, file));
      written.push({ file, table: `${r.schema}.${location.table}`, scope: 'tenant', rows: Number(n), bytes, sha256 });
    }
    return written;
  });
  const manifest: ExportManifest = {
    format: 'tenantctl.tenant-export/1',
    tenant: { id: tenant.id, slug: tenant.handle, name: tenant.name, schema: r.schema },
    exportedAt: now().toISOString(),
    consistent: true,
    files,
    totals: { files: files.length, rows: files.reduce((n, f) => n + f.rows, 0), bytes: files.reduce((n, f) => n + f.bytes, 0) },
  };
  await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { ...manifest, dir: out };
}
