// bench/connected: builds bench/connected-command.ts into bench/out/connected/ with the CLI's
// bundle options (scripts/bundle-options.mjs), and says how to run it. It is the reference for
// "a connected command costs no more than its start-up": `tenantctl --version` is start-up
// alone; this adds what every connected command pays (postgres.js loaded, connection
// settings, TCP and authentication, one round trip, the pool closed) and nothing else.
// Usage: import { connectedCommand } from './connected.mjs'; spawn(process.execPath, [...connectedCommand(), '--json'])
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { bundleOptions } from '../scripts/bundle-options.mjs';
import { ROOT, median } from './lib.mjs';

const OUT = `${ROOT}bench/out/connected`;

/** Build the trivial connected command once; its argv for `node` (the query's subcommand included). */
export async function connectedCommand() {
  rmSync(OUT, { recursive: true, force: true });
  await build({ ...bundleOptions(ROOT, OUT), entryPoints: [{ in: 'bench/connected-command.ts', out: 'connected' }] });
  return [`${OUT}/connected.js`, 'select-one'];
}

/** Wall-clock seconds of one whole process `node <args>` against `url`; throws when it fails. */
function processSeconds(args, url) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env: { ...process.env, DATABASE_URL: url, CI: 'true' }, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return seconds;
}

/**
 * Issue 19 item 5's comparison: `tenant create` from the warm pool against `tenantctl --version`
 * (start-up alone) and against the trivial connected command (start-up, connection, one
 * query), `runs` rounds of the three in turn (so load changes hit all three alike); medians in
 * seconds: { version, connected, create }. The pool must hold `runs` ready spares; the tenants
 * are named `<prefix><i>` (the caller removes them). `bin`: the tenantctl to run.
 */
export async function createAgainstStartup(bin, url, prefix, runs = 9) {
  const connected = await connectedCommand();
  const times = { version: [], connected: [], create: [] };
  for (let i = 0; i < runs; i += 1) {
    times.version.push(processSeconds([bin, '--version'], url));
    times.connected.push(processSeconds([...connected, '--json'], url));
    times.create.push(processSeconds([bin, 'tenant', 'create', `${prefix}${i}`, '--name', `${prefix}${i}`, '--plan', 'starter', '--owner-email', `o@${prefix}${i}.test`, '--json'], url));
  }
  return { version: median(times.version), connected: median(times.connected), create: median(times.create) };
}
