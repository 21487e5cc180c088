// Issue 13 item 8, as its wording asks: `tenantctl backup create` sized for the server's DEFAULT lock
// settings, against `pg_dump -Fd -j N` of the same database on the same server restarted with
// max_locks_per_transaction raised enough for a single pg_dump to work. Back to back, N pairs.
//
//   npm run build && TMPDIR=<dir>/tmp node bench/backup-pair.mjs --home <dir> [--tenants 1000] [--pairs 2] [--jobs 2] [--locks 1024] [--default-run]
//     [--formats directory,custom]
//
// <dir> is the --home of an earlier `bench/backup.mjs --tenants N --reuse --build-only --home <dir>`
// (its embedded server and database bench_backup_N). The lock budget tenantctl gets is the one it
// computes itself on the default settings, read before the restart and passed as --lock-budget,
// so its chunk plan is the default-settings plan. --default-run also times tenantctl once on the
// server still at its default settings (no --lock-budget), before the restart. Each figure is printed with `uptime` before and
// after, tenantctl's phase timings (its --json `timings`), and the ratio. The server is stopped
// at the end, its settings reset. --formats times tenantctl once per archive format in each pair
// (its `--format`; without it, tenantctl's default), then the one pg_dump.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lockBudget } from '../dist/backup/chunks.js';
import { embeddedUrl, startEmbedded } from '../dist/db/embedded.js';
import { BIN, ratio } from './lib.mjs';

const value = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const HOME = value('home');
if (!HOME) throw new Error('--home <dir> is required (the folder of bench/backup.mjs --home)');
const TENANTS = Number(value('tenants', 1000));
const PAIRS = Number(value('pairs', 2));
const JOBS = Number(value('jobs', 2));
const LOCKS = Number(value('locks', 1024));
const FORMATS = value('formats', '').split(',').filter(Boolean);

const { state } = await startEmbedded({ home: join(HOME, 'home') });
const adminUrl = embeddedUrl(state);
const dbUrl = adminUrl.replace(/\/[^/?]*(\?|$)/, `/bench_backup_${TENANTS}$1`);
const psql = (sqlText) => execFileSync('psql', [dbUrl, '-XAtc', sqlText], { encoding: 'utf8' }).trim();
const pgCtl = (action) => execFileSync('su', ['postgres', '-c', `/usr/lib/postgresql/15/bin/pg_ctl -D ${state.dataDir} -w ${action} -m fast -l ${state.logFile}`], { stdio: 'ignore' });
const load = () => execFileSync('uptime', { encoding: 'utf8' }).trim().replace(/^.*load average: /, '');

const outA = join(HOME, 'pair-tenantctl');
const outB = join(HOME, 'pair-plain');
const s = (ms) => (ms / 1000).toFixed(1);
const phases = (t) => `prepare ${s(t.prepareMs)} s, snapshot catalog ${s(t.catalogMs)} s, chunks ${s(t.chunksMs)} s (summed over chunks: pg_dump ${s(t.dumpMs)}, checksums ${s(t.checksumsMs)}, recheck ${s(t.recheckMs)}, sequences ${s(t.sequencesMs)}, seal ${s(t.sealMs)}), flush ${s(t.syncMs)} s, manifest ${s(t.manifestMs)} s`;

// CPU seconds from /proc/<pid>/stat: utime+stime of the process and of its reaped children.
// Ours: the command and its children (pg_dump, psql, pg_restore). The postmaster's: the
// backends that served it, once they exited. Under load, wall time says more about the other
// helpers than about the code; CPU seconds compare across loads.
const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
const cpuOf = (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ').slice(11, 15).reduce((sum, v) => sum + Number(v), 0) / TICK;
const postmaster = () => Number(readFileSync(join(state.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

function timed(cmd, args, env) {
  const before = load();
  const cpu0 = { ours: cpuOf(process.pid), server: cpuOf(postmaster()) };
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr.slice(-2000)}`);
  // The backends exit just after their clients: give the postmaster a moment to reap them.
  execFileSync('sleep', ['0.5']);
  const cpu = `client CPU ${(cpuOf(process.pid) - cpu0.ours).toFixed(1)} s, server CPU ${(cpuOf(postmaster()) - cpu0.server).toFixed(1)} s`;
  return { seconds, out: r.stdout, load: `${before} → ${load()}`, cpu };
}

// The budget tenantctl would compute on the default settings (the server restarts with them first).
psql('alter system reset max_locks_per_transaction');
pgCtl('restart');
const [maxLocks, maxConnections, maxPrepared, otherBackends, locksHeld] = psql(
  `select current_setting('max_locks_per_transaction'), current_setting('max_connections'), current_setting('max_prepared_transactions'),
     current_setting('autovacuum_max_workers')::int + 1 + current_setting('max_worker_processes')::int + current_setting('max_wal_senders')::int,
     (select count(*) from pg_locks where not fastpath)`,
).split('|').map(Number);
const budget = lockBudget({ maxLocksPerTransaction: maxLocks, maxConnections, maxPreparedTransactions: maxPrepared, otherBackends, locksHeld });
console.log(`default settings: max_locks_per_transaction=${maxLocks}; tenantctl's lock budget on them: ${budget}`);
if (process.argv.includes('--default-run')) {
  rmSync(outA, { recursive: true, force: true });
  psql('checkpoint');
  const d = timed(process.execPath, [BIN, 'backup', 'create', '--out', outA, '--jobs', String(JOBS), '--json'], { DATABASE_URL: dbUrl, CI: 'true' });
  const result = JSON.parse(d.out);
  console.log(`on the default settings: tenantctl backup create --jobs ${JOBS}: ${d.seconds.toFixed(1)} s (${result.chunks} chunks); ${d.cpu}; load ${d.load}`);
  if (result.timings) console.log(`  phases: ${phases(result.timings)}`);
}
psql(`alter system set max_locks_per_transaction = ${LOCKS}`);
pgCtl('restart');
console.log(`restarted with max_locks_per_transaction=${psql('show max_locks_per_transaction')}; ${psql(`select count(*) from pg_stat_user_tables`)} tables, ${psql('select pg_size_pretty(pg_database_size(current_database()))')}`);


for (let pair = 1; pair <= PAIRS; pair++) {
  for (const d of [outA, outB]) rmSync(d, { recursive: true, force: true });
  psql('checkpoint');
  const runs = [];
  for (const format of FORMATS.length > 0 ? FORMATS : [undefined]) {
    rmSync(outA, { recursive: true, force: true });
    psql('checkpoint');
    const formatArgs = format ? ['--format', format] : [];
    const a = timed(process.execPath, [BIN, 'backup', 'create', '--out', outA, '--jobs', String(JOBS), '--lock-budget', String(budget), ...formatArgs, '--json'], { DATABASE_URL: dbUrl, CI: 'true' });
    const result = JSON.parse(a.out);
    const t = result.timings;
    console.log(`\npair ${pair}: tenantctl backup create --jobs ${JOBS} --lock-budget ${budget}${format ? ` --format ${format}` : ''}: ${a.seconds.toFixed(1)} s (${result.chunks} chunks, ${result.tables} tables, ${result.files} files); ${a.cpu}; load ${a.load}`);
    if (t) console.log(`  phases: ${phases(t)}`);
    runs.push({ format: format ?? 'default', seconds: a.seconds });
  }
  psql('checkpoint');
  const b = timed('pg_dump', ['--no-password', '-Fd', '-j', String(JOBS), '-f', outB, dbUrl], {});
  console.log(`pair ${pair}: pg_dump -Fd -j ${JOBS}: ${b.seconds.toFixed(1)} s; ${b.cpu}; load ${b.load}`);
  for (const run of runs) console.log(`pair ${pair}: ratio (${run.format}) ${ratio(run.seconds, b.seconds)} (target ≤ 1.5)`);
}
for (const d of [outA, outB]) rmSync(d, { recursive: true, force: true });
psql('alter system reset max_locks_per_transaction');
pgCtl('stop');
console.log('\nserver stopped, max_locks_per_transaction reset');
