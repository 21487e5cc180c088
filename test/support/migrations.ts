import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/db/queries.js';

/**
 * A private copy of the shipped platform migrations plus extra files, for tests that
 * need migrations of their own (a failing file, a slow file, a changed file).
 */
export async function migrationsWith(extra: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tenantctl-migrations-'));
  await cp(`${PACKAGE_ROOT}migrations`, dir, { recursive: true });
  for (const [path, text] of Object.entries(extra)) await writeFile(join(dir, path), text);
  return dir;
}
