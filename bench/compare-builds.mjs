#!/usr/bin/env node
// bench/compare-builds: two builds of tenantctl (two checkouts, each built) timed in the same
// rounds, alternately, as whole processes with --json: on a machine whose speed drifts from one
// minute to the next, only figures taken side by side compare. Medians in ms per command.
// A create takes a spare from the warm pool when the database has one (fill it first:
// `tenantctl tenant pool fill --size N`); each round creates one tenant per build, named
// cmp<run><round><a|b>, and leaves it.
// Usage: node bench/compare-builds.mjs <checkout A> <checkout B> <database URL> [rounds=11] [--only <text>]
// (--only: the commands whose name contains <text>, e.g. `--only monitor`.)
// e.g. git worktree add /tmp/old <commit> && (cd /tmp/old && npm ci && npm run build), then
//      node bench/compare-builds.mjs /tmp/old . "$DATABASE_URL" 15
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const argv = process.argv.slice(2);
const onlyAt = argv.indexOf('--only');
const only = onlyAt === -1 ? '' : argv.splice(onlyAt, 2)[1];
const [a, b, url, roundsArg] = argv;
if (!a || !b || !url || only === undefined) {
  console.error('usage: node bench/compare-builds.mjs <checkout A> <checkout B> <database URL> [rounds=11] [--only <text>]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 11);
const builds = { A: resolve(a), B: resolve(b) };
/** This run's mark in the names of the tenants it creates: a second run on the same database makes new ones. */
const run = Date.now().toString(36);

/** The commands, each a function of the round and the build's letter (a create needs a new name). */
const COMMANDS = {
  '--version': () => ['--version'],
  'tenant create (from the pool if any)': (round, build) => ['tenant', 'create', `cmp${run}${round}${build.toLowerCase()}`, '--name', 'Cmp', '--plan', 'starter', '--owner-email', `o@cmp${round}.test`, '--json'],
  'migrate status': () => ['migrate', 'status', '--json'],
  'migrate up, nothing pending': () => ['migrate', 'up', '--json'],
  'tenant list --limit 20': () => ['tenant', 'list', '--limit', '20', '--json'],
  'monitor check': () => ['monitor', 'check', '--json'],
  'monitor indexes': () => ['monitor', 'indexes', '--json'],
  'monitor table-sizes --limit 20': () => ['monitor', 'table-sizes', '--limit', '20', '--json'],
  'monitor tenant-sizes --limit 20': () => ['monitor', 'tenant-sizes', '--limit', '20', '--json'],
  'monitor vacuum': () => ['monitor', 'vacuum', '--json'],
};
const chosen = Object.entries(COMMANDS).filter(([name]) => name.includes(only));
if (!chosen.length) {
  console.error(`--only ${only}: no command's name contains it. Commands: ${Object.keys(COMMANDS).join(', ')}.`);
  process.exit(2);
}

/** Wall-clock ms of one whole process; a failure stops the comparison (a command that failed fast would look fast). */
function ms(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env: { ...process.env, DATABASE_URL: url, CI: 'true' }, encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  // monitor check exits 1 or 2 for a warning or a critical finding: still a full run.
  if (r.status !== 0 && !(args.includes('check') && (r.status === 1 || r.status === 2))) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return elapsed;
}

const times = {};
for (let round = 0; round < rounds; round += 1) {
  (times['node -e 0'] ??= { A: [], B: [] }).A.push(ms(['-e', '0']));
  for (const [name, args] of chosen) {
    // Which build goes first alternates, so neither always meets a warmer cache.
    for (const build of round % 2 ? ['B', 'A'] : ['A', 'B']) (times[name] ??= { A: [], B: [] })[build].push(ms([`${builds[build]}/bin/tenantctl.js`, ...args(round, build)]));
  }
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(`A: ${builds.A}\nB: ${builds.B}\n${rounds} rounds, medians\n`);
console.log('| command | A | B | B/A |\n| --- | ---: | ---: | ---: |');
for (const [name, { A, B }] of Object.entries(times)) {
  console.log(B.length ? `| ${name} | ${median(A).toFixed(0)} ms | ${median(B).toFixed(0)} ms | ${(median(B) / median(A)).toFixed(2)}× |` : `| ${name} | ${median(A).toFixed(0)} ms | | |`);
}
