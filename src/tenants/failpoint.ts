import { access, writeFile } from 'node:fs/promises';
import { TenantctlError } from '../errors.js';

/** Resolves once `path` exists (checked every 50 ms). */
async function fileAppears(path: string): Promise<void> {
  for (;;) {
    if (await access(path).then(() => true, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Test hooks for crash and rollback tests: `TENANTCTL_FAILPOINT=<name>` makes the named point
 * throw; `TENANTCTL_FAILPOINT=<name>:sleep=<ms>` makes it pause (so a test can SIGKILL the
 * process while a transaction is open); `TENANTCTL_FAILPOINT=<name>:wait=<file>` writes
 * `<file>.reached` and waits until `<file>` exists, so a test can act inside the window
 * whatever the machine's speed, then let the run go on. Several points may be given,
 * comma-separated. Unset in normal use: then every point is a no-op.
 */
export async function failpoint(spec: string | undefined, name: string): Promise<void> {
  if (!spec) return;
  for (const entry of spec.split(',').map((s) => s.trim())) {
    if (entry === name) {
      throw new TenantctlError('FAILPOINT', `Failpoint ${name} triggered (TENANTCTL_FAILPOINT).`, { hint: 'Unset TENANTCTL_FAILPOINT; it exists for tests only.' });
    }
    const sleep = /^(.+):sleep=(\d+)$/.exec(entry);
    if (sleep && sleep[1] === name) await new Promise((resolve) => setTimeout(resolve, Number(sleep[2])));
    const wait = /^(.+?):wait=(.+)$/.exec(entry);
    if (wait && wait[1] === name) {
      await writeFile(`${wait[2]}.reached`, '');
      await fileAppears(wait[2]!);
    }
  }
}
