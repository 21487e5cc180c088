#!/usr/bin/env node
// bench/startup: how long `tenantctl --version` and `tenantctl --help` take as whole processes,
// against `node -e 0` (the floor any Node.js CLI pays), each run N times; prints medians and ratios.
// A group's --help registers that group only (no action code, no postgres.js): its cost over
// `--version` is the group's registration.
// Usage: npm run build && node bench/startup.mjs [runs=15]
import { spawnSync } from 'node:child_process';
import { BIN } from './lib.mjs';

const runs = Number(process.argv[2] ?? 15);

/** Median wall clock in ms of `runs` runs of node with these arguments. */
function median(argv) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, argv, { encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

const floor = median(['-e', '0']);
const rows = [
  ['node -e 0', floor],
  ['tenantctl --version', median([BIN, '--version'])],
  ['tenantctl --help', median([BIN, '--help'])],
  ['tenantctl migrate --help', median([BIN, 'migrate', '--help'])],
  ['tenantctl tenant --help', median([BIN, 'tenant', '--help'])],
  ['tenantctl tenant create --help', median([BIN, 'tenant', 'create', '--help'])],
  ['tenantctl monitor indexes --help', median([BIN, 'monitor', 'indexes', '--help'])],
];
console.log(`startup: median of ${runs} runs each`);
for (const [label, ms] of rows) console.log(`  ${label.padEnd(28)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / floor).toFixed(2)}× node -e 0`);
