// bench/scale-server: the private PostgreSQL of bench/scale, in a folder of its own (default
// /work/scale-bench19, or BENCH_SCALE_HOME), kept between runs. Not `db start`: run as root, the
// embedded server puts its data in a random /tmp folder when the postgres user cannot enter the
// home, and a 10,000-tenant cluster (~25 GB) belongs where there is room and where a rerun finds it.
// Settings for 1.78M relations: locks for bulk DDL, and no fsync while the fleet is built (turned
// back on before anything is measured, see `durable()`).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BIN = '/usr/lib/postgresql/15/bin';
/** Where the server's data and password live, kept between runs. */
const HOME = process.env.BENCH_SCALE_HOME ?? '/work/scale-bench19';
const PORT = Number(process.env.BENCH_SCALE_PORT ?? 55419);
const USER = 'tenantctl';
const CONF = [
  "listen_addresses = '127.0.0.1'",
  "unix_socket_directories = ''",
  "shared_preload_libraries = 'pg_stat_statements'",
  'pg_stat_statements.track = all',
  'max_locks_per_transaction = 1024',
  'shared_buffers = 1GB',
  'work_mem = 32MB',
  'maintenance_work_mem = 256MB',
  'max_wal_size = 8GB',
  'checkpoint_timeout = 30min',
  'wal_level = minimal',
  'max_wal_senders = 0',
  'logging_collector = off',
];

/** The server runs as the postgres user (PostgreSQL refuses root). */
const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
const asPostgres = (command, args) => spawnSync(command, args, { uid, gid, encoding: 'utf8', cwd: '/' });

/** shared_buffers (CONF) plus the rest of the server's shared memory, in bytes. */
const SHARED_MEMORY = 1.25 * 1024 ** 3;

/**
 * Whether the kernel has huge pages free for the server's shared memory. A tuned server with
 * 1 GB of shared_buffers runs on them (PostgreSQL's docs, "Huge Pages"); without them, each new
 * backend and parallel worker maps every shared buffer it touches a 4 kB page at a time, and
 * every command of tenantctl is a new backend: on this VM the first pass over pg_class in a new
 * session took 626 ms against 129 ms for the second (12,929 page faults), 183 ms with huge
 * pages. They are reserved by root, outside the bench: `sysctl vm.nr_hugepages=700`.
 */
function hugePagesReserved() {
  const info = readFileSync('/proc/meminfo', 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  return field('HugePages_Free') * field('Hugepagesize') * 1024 >= SHARED_MEMORY;
}

/** How the bench server, once started, was started as to huge pages (postmaster.opts holds its options), for the printed table. */
export function hugePagesState(home = HOME) {
  if (readFileSync(join(home, 'data', 'postmaster.opts'), 'utf8').includes('huge_pages=on')) return 'on';
  return hugePagesReserved() ? 'off (reserved, but the server was started without them: restart it)' : 'off (none reserved: `sysctl vm.nr_hugepages=700` as root, then restart the bench server)';
}

/** Start (initialising on first use) the bench server; returns its admin URL (database postgres). */
export function startScaleServer(home = HOME) {
  const data = join(home, 'data');
  const secret = join(home, 'password');
  mkdirSync(home, { recursive: true, mode: 0o755 });
  if (!existsSync(join(data, 'PG_VERSION'))) {
    writeFileSync(secret, randomBytes(18).toString('base64url'), { mode: 0o600 });
    const pw = join(home, 'initdb-password');
    mkdirSync(data, { mode: 0o700 });
    chownSync(data, uid, gid);
    writeFileSync(pw, readFileSync(secret, 'utf8'), { mode: 0o600 });
    chownSync(pw, uid, gid);
    const init = asPostgres(`${BIN}/initdb`, ['-D', data, '-U', USER, `--pwfile=${pw}`, '--auth=scram-sha-256', '--encoding=UTF8']);
    execFileSync('rm', ['-f', pw]);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
    writeFileSync(join(data, 'postgresql.conf'), `${readFileSync(join(data, 'postgresql.conf'), 'utf8')}\n# bench/scale\n${CONF.join('\n')}\n`);
  }
  chmodSync(secret, 0o600);
  const password = readFileSync(secret, 'utf8').trim();
  if (asPostgres(`${BIN}/pg_ctl`, ['status', '-D', data]).status !== 0) {
    const options = `-p ${PORT}${hugePagesReserved() ? ' -c huge_pages=on' : ''}`;
    const started = asPostgres(`${BIN}/pg_ctl`, ['start', '-D', data, '-l', join(data, 'server.log'), '-w', '-t', '300', '-o', options]);
    if (started.status !== 0) throw new Error(`pg_ctl start failed: ${started.stdout}${started.stderr}`);
  }
  return `postgres://${USER}:${password}@127.0.0.1:${PORT}/postgres`;
}

/** fsync off while building (set), on for measuring (reset); a reload suffices for both. */
export function setFsync(adminUrl, on) {
  execFileSync('psql', [adminUrl, '-X', '-q', '-c', `alter system set fsync = ${on ? 'on' : 'off'}`, '-c', 'alter system set synchronous_commit = ' + (on ? 'on' : 'off'), '-c', 'select pg_reload_conf()'], { stdio: 'ignore' });
  if (on) execFileSync('sync');
}
