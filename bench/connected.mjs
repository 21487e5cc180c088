// bench/connected: builds bench/connected-command.ts into bench/out/connected/connected.cjs the way
// scripts/bundle.mjs builds a command group (its bundle options, CommonJS, import() through the
// loader), run by bench/connected-run.mjs the way bin/tenantctl.js runs a group (the bundle loader,
// V8's code cache). It is the reference for "a connected command costs no more than its
// start-up": `tenantctl --version` is start-up alone; this adds what every connected command pays
// (postgres.js loaded, connection settings, TCP and authentication, one round trip, the pool
// closed) and nothing else.
// Usage: import { connectedCommand } from './connected.mjs'; spawn(process.execPath, [...await connectedCommand(), '--json'])
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { bundleOptions, commonJsBundle, rewriteImports } from '../scripts/bundle-options.mjs';
import { ROOT, median } from './lib.mjs';

const OUT = `${ROOT}bench/out/connected`;

/** Build the trivial connected command once; its argv for `node` (the query's subcommand included). */
export async function connectedCommand() {
  rmSync(OUT, { recursive: true, force: true });
  await build({ ...bundleOptions(ROOT, OUT), ...commonJsBundle, entryPoints: [{ in: 'bench/connected-command.ts', out: 'connected' }] });
  rewriteImports(`${OUT}/connected.cjs`);
  return [`${ROOT}bench/connected-run.mjs`, 'select-one'];
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
  // Once untimed: its first run compiles and writes the code cache, which the CLI's group has
  // from the commands run before.
  processSeconds([...connected, '--json'], url);
  const times = { version: [], connected: [], create: [] };
  for (let i = 0; i < runs; i += 1) {
    times.version.push(processSeconds([bin, '--version'], url));
    times.connected.push(processSeconds([...connected, '--json'], url));
    times.create.push(processSeconds([bin, 'tenant', 'create', `${prefix}${i}`, '--name', `${prefix}${i}`, '--plan', 'starter', '--owner-email', `o@${prefix}${i}.test`, '--json'], url));
  }
  return { version: median(times.version), connected: median(times.connected), create: median(times.create) };
}
