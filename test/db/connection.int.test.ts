import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, connect as tcpConnect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';

/** Which database a command uses, and where that came from: the environment before a .env, never a mix. */
describe('connection precedence on the command line', () => {
  let db: TestDatabase;
  let pg: NodeJS.ProcessEnv;
  beforeAll(async () => {
    db = await createTestDatabase('conn');
    await migrateAll(db.sql);
    await addTenantRow(db.sql, 'env_tenant');
    await migrateAll(db.sql);
    const url = new URL(db.url);
    pg = { PGHOST: url.hostname, PGPORT: url.port, PGUSER: decodeURIComponent(url.username), PGDATABASE: db.name, PGPASSFILE: url.searchParams.get('passfile') ?? undefined };
  });
  afterAll(async () => db?.drop());

  it("uses the operator's PG* variables over a .env, says so under --debug, and uses the .env when they are gone", async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'tenantctl-dotenv-'));
    // A .env aimed elsewhere (a port nothing listens on), with a password of its own.
    await writeFile(join(cwd, '.env'), `PGHOST=${pg.PGHOST}\nPGPORT=1\nPGDATABASE=elsewhere\nPGPASSWORD=dotenv-secret\n`);
    const env = await runCli(['tenant', 'list', '--json', '--debug'], { cwd, env: pg });
    expect(env.code, env.stderr).toBe(0);
    expect(JSON.parse(env.stdout).map((t: { slug: string }) => t.slug)).toEqual(['env_tenant']);
    expect(env.stderr).toContain(`database: ${pg.PGHOST}:${pg.PGPORT}/${db.name} as ${pg.PGUSER} (from PG* variables)`);
    expect(env.stderr).not.toContain('dotenv-secret');

    // Without them, the .env is the source, whole: its port, its database.
    const dotenv = await runCli(['tenant', 'list', '--debug'], { cwd });
    expect(dotenv.code).toBe(1);
    expect(dotenv.stderr).toContain(`database: ${pg.PGHOST}:1/elsewhere as`);
    expect(dotenv.stderr).toContain(`(from .env (${join(cwd, '.env')}))`);
    expect(dotenv.stderr).toContain('error: Cannot connect to');
    expect(dotenv.stderr).not.toContain('dotenv-secret');

    // Only a password in the environment: the .env's host does not get it, and nothing is used.
    const mixed = await runCli(['tenant', 'list'], { cwd, env: { PGPASSWORD: 'operator-secret' } });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('error: No database is configured.');
    expect(mixed.stderr).toContain('not used: the environment sets PGPASSWORD');
  });

  it('a --database-url with a bad %-escape is a usage error without a stack trace', async () => {
    const r = await runCli(['--database-url', 'postgresql://u:%ZZ@h/db', 'tenant', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: The password in --database-url has a bad %-escape');
    expect(r.stderr).not.toMatch(/URIError|^\s+at /m);
  });

  it('sslmode=require against a server without TLS says that, not "is the server running?"', async () => {
    const url = new URL(db.url);
    url.searchParams.set('sslmode', 'require');
    const r = await runCli(['--database-url', url.toString(), 'tenant', 'list', '--json']);
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stdout);
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.message).toContain('closed the connection when TLS was asked for (sslmode=require)');
    expect(error.hint).toContain('sslmode=prefer');
  });
  it('reaches a server at an IPv6 address, [::1] in the URL or ?host=::1 after an empty host', async () => {
    // The suite's server listens on 127.0.0.1 only: a relay on ::1 stands in for one that listens there.
    const relay = createServer((client) => {
      const server = tcpConnect(Number(pg.PGPORT), pg.PGHOST!);
      client.pipe(server).pipe(client);
      client.on('error', () => server.destroy());
      server.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '::1', resolve));
    try {
      const port = (relay.address() as AddressInfo).port;
      const dir = await mkdtemp(join(tmpdir(), 'tenantctl-v6-'));
      const password = pg.PGPASSFILE ? (await readFile(pg.PGPASSFILE, 'utf8')).split('\n')[0]!.split(':').slice(4).join(':') : '';
      await writeFile(join(dir, 'pgpass'), `\\:\\:1:${port}:*:${pg.PGUSER}:${password}\n`, { mode: 0o600 });
      for (const url of [`postgresql://${pg.PGUSER}@[::1]:${port}/${db.name}`, `postgresql://${pg.PGUSER}@/${db.name}?host=::1&port=${port}`]) {
        const r = await runCli(['tenant', 'list', '--json', '--debug'], { env: { DATABASE_URL: url, PGPASSFILE: join(dir, 'pgpass') } });
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout).map((t: { slug: string }) => t.slug)).toEqual(['env_tenant']);
        expect(r.stderr).toContain(`database: [::1]:${port}/${db.name} as ${pg.PGUSER}`);
      }
    } finally {
      await new Promise((resolve) => relay.close(resolve));
    }
  });

  it('a server that cannot be reached or asks a password that was not given is explained as such', async () => {
    const refused = await runCli(['tenant', 'list', '--json'], { env: { ...pg, PGPORT: '1' } });
    expect(refused.code).toBe(1);
    const { error } = JSON.parse(refused.stdout);
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', hint: `Is the server running and reachable at ${pg.PGHOST} port 1? Check the host and port (from PG* variables).` });
    // The test server asks a password; without the passfile none is supplied.
    const url = new URL(db.url);
    url.searchParams.delete('passfile');
    const nopass = await runCli(['tenant', 'list', '--json'], { env: { DATABASE_URL: url.toString(), HOME: '/nonexistent' } });
    expect(nopass.code).toBe(1);
    expect(JSON.parse(nopass.stdout).error).toMatchObject({ code: 'CONNECTION_FAILED', message: expect.stringContaining('asks a password for user'), hint: expect.stringContaining('PGPASSWORD') });
  });

  it('several hosts in PGHOST are a usage error at once, not a run that never connects', async () => {
    const r = await runCli(['tenant', 'list'], { env: { ...pg, PGHOST: `${pg.PGHOST},localhost` } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: PGHOST names several hosts: multiple hosts are not supported by tenantctl.');
  });

  it('PGSERVICE: the service file names the database, as in libpq; PGHOSTADDR is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tenantctl-service-'));
    const file = join(dir, 'pg_service.conf');
    await writeFile(file, `# ours\n[other]\nhost=nowhere.invalid\n\n[svc]\nhost=${pg.PGHOST}\nport=${pg.PGPORT}\ndbname=${db.name}\nuser=${pg.PGUSER}\n${pg.PGPASSFILE ? `passfile=${pg.PGPASSFILE}\n` : ''}`);
    const r = await runCli(['tenant', 'list', '--json', '--debug'], { env: { PGSERVICEFILE: file, PGSERVICE: 'svc' } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).map((t: { slug: string }) => t.slug)).toEqual(['env_tenant']);
    expect(r.stderr).toContain(`database: ${pg.PGHOST}:${pg.PGPORT}/${db.name} as ${pg.PGUSER} (from PG* variables, service "svc" in ${file})`);
    // The service's settings win over PG* variables (libpq's order): PGPORT=1 goes unused.
    const over = await runCli(['tenant', 'list', '--json'], { env: { PGSERVICEFILE: file, PGSERVICE: 'svc', PGPORT: '1', PGDATABASE: 'elsewhere' } });
    expect(over.code, over.stderr).toBe(0);

    const missing = await runCli(['tenant', 'list'], { env: { PGSERVICEFILE: file, PGSERVICE: 'nosuch' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`The service "nosuch" (from PGSERVICE) is not defined in ${file}`);

    const hostaddr = await runCli(['tenant', 'list'], { env: { ...pg, PGHOSTADDR: '127.0.0.1' } });
    expect(hostaddr.code).toBe(2);
    expect(hostaddr.stderr).toMatch(/PGHOSTADDR is set, but tenantctl does not use hostaddr/);
    expect(hostaddr.stderr).toMatch(/hint: Put the address in PGHOST/);
  });
});
