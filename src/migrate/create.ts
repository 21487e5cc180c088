import { join } from 'node:path';
import { usageError } from '../errors.js';
import { ensurePrivateDir, writePrivateFile } from '../files/private.js';
import { loadMigrationFolder, type MigrationScope } from './files.js';
import { folderForNew } from './layout.js';

const TEMPLATE = `-- migrate:up


-- migrate:down

`;

/**
 * Create the next migration file of a scope: NNNN_name.sql, or a timestamp if the folder uses
 * them. Its down section starts empty, which `migrate down` treats as a no-op (as dbmate does).
 * @param folder the scope's folder under `dir` (a pooled profile's own, e.g. imsop) @default scope
 */
export async function createMigration(dir: string, scope: MigrationScope, rawName: string, now: Date, folder: string = scope): Promise<string> {
  const name = rawName.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (!/^[a-z0-9][a-z0-9_]*$/.test(name)) throw usageError(`Migration name "${rawName}" may only hold letters, digits, spaces, - and _.`, 'Example: tenantctl migrate new add_orders_source');
  const target = await folderForNew(dir, scope, folder);
  const { migrations: existing } = await loadMigrationFolder(target, scope);
  const last = existing.at(-1)?.version;
  const timestamps = last !== undefined && last.length >= 14;
  const version = timestamps
    ? now.toISOString().replace(/\D/g, '').slice(0, 14)
    : String(last === undefined ? 1 : Number(last) + 1).padStart(Math.max(4, last?.length ?? 4), '0');
  const path = join(target, `${version}_${name}.sql`);
  await ensurePrivateDir(target);
  // Never replaces a file, nor writes through a link planted at the name.
  await writePrivateFile(path, TEMPLATE, { overwrite: false });
  return path;
}
