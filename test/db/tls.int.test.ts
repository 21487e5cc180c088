import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';

// pg_dump here is 15: on a newer test server (TEST_PG_MAJOR=16, 17) the backup case cannot run.
const client = await backupClientStatus();

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** A protocol ErrorResponse, FATAL. */
function errorResponse(sqlstate: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${sqlstate}\0M${message}\0\0`);
  const head = Buffer.alloc(5);
  head.write('E');
  head.writeUInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

/**
 * The suite's server has no TLS: a relay in front of it stands in for one with ssl=on. It
 * answers libpq's SSLRequest with 'S', does the TLS handshake with a certificate for
 * "localhost" signed by a test CA (and, when asked, wants a client certificate signed by it,
 * as `hostssl … cert` would), then passes the session through to the real server.
 */
async function tlsRelay(upstream: { host: string; port: number }, tls: { key: Buffer | string; cert: Buffer | string; ca: Buffer | string; clientCert: boolean }) {
  const seen = { tls: 0, plain: 0 };
  const open = new Set<Socket>();
  const tlsServer = createTlsServer({ key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: tls.clientCert, rejectUnauthorized: false }, (secure) => {
    // As PostgreSQL with `hostssl … cert`: no valid client certificate, a FATAL error.
    if (tls.clientCert && !secure.authorized) {
      secure.end(errorResponse('28000', 'connection requires a valid client certificate'));
      return;
    }
    const server = tcpConnect(upstream.port, upstream.host);
    server.on('error', () => secure.destroy());
    secure.on('error', () => server.destroy());
    secure.pipe(server).pipe(secure);
  });
  tlsServer.on('tlsClientError', () => undefined);
  const handle = (client: Socket): void => {
    open.add(client);
    client.on('close', () => open.delete(client));
    let pending = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      pending = Buffer.concat([pending, chunk]);
      if (pending.length < 8) return;
      const code = pending.readUInt32BE(4);
      if (code === GSSENC_REQUEST) {
        pending = pending.subarray(8);
        client.write('N');
        return;
      }
      client.off('data', onData);
      if (code !== SSL_REQUEST) {
        seen.plain += 1;
        const server = tcpConnect(upstream.port, upstream.host);
        server.on('error', () => client.destroy());
        server.write(pending);
        client.pipe(server).pipe(client);
        return;
      }
      seen.tls += 1;
      client.write('S');
      tlsServer.emit('connection', client);
    };
    client.on('data', onData);
    client.on('error', () => undefined);
  };
  // On 127.0.0.1 and ::1, so that "localhost" is reached whichever it resolves to first.
  const v4 = createServer(handle);
  await new Promise<void>((resolve) => v4.listen(0, '127.0.0.1', resolve));
  const port = (v4.address() as { port: number }).port;
  const v6 = createServer(handle);
  await new Promise<void>((resolve) => v6.once('error', () => resolve()).listen(port, '::1', resolve));
  const close = async (): Promise<void> => {
    for (const socket of open) socket.destroy();
    await Promise.all([v4, v6].map((s: Server) => new Promise((resolve) => s.close(resolve))));
  };
  return { port, seen, close };
}

describe('TLS settings, as libpq reads them', () => {
  let db: TestDatabase;
  let dir: string;
  let url: URL;
  let relay: Awaited<ReturnType<typeof tlsRelay>>;
  let certRelay: Awaited<ReturnType<typeof tlsRelay>>;
  const file = (name: string): string => join(dir, name);

  beforeAll(async () => {
    db = await createTestDatabase('tls');
    await migrateAll(db.sql);
    await addTenantRow(db.sql, 'tls_tenant');
    await migrateAll(db.sql);
    url = new URL(db.url);
    dir = await mkdtemp(join(tmpdir(), 'tenantctl-tls-'));
    const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    for (const ca of ['ca', 'other-ca']) openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '2', '-subj', `/CN=${ca}`);
    await writeFile(file('server.ext'), 'subjectAltName=DNS:localhost\n');
    await writeFile(file('client.ext'), 'basicConstraints=CA:FALSE\n');
    for (const [name, cn] of [['server', 'localhost'], ['client', 'tenantctl']] as const) {
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
    }
    await chmod(file('client.key'), 0o600);
    const tls = { key: await readFile(file('server.key')), cert: await readFile(file('server.crt')), ca: await readFile(file('ca.crt')) };
    const upstream = { host: url.hostname, port: Number(url.port) };
    relay = await tlsRelay(upstream, { ...tls, clientCert: false });
    certRelay = await tlsRelay(upstream, { ...tls, clientCert: true });
  });
  afterAll(async () => {
    await relay?.close();
    await certRelay?.close();
    await db?.drop();
  });

  /** The test database's URL through a relay, at `host`, with these query parameters. */
  const via = (r: { port: number }, host: string, params: Record<string, string>): string => {
    const u = new URL(db.url);
    u.hostname = host;
    u.port = String(r.port);
    for (const [key, value] of Object.entries(params)) u.searchParams.set(key, value);
    return u.toString();
  };
  const list = (databaseUrl: string, env: NodeJS.ProcessEnv = {}) => runCli(['tenant', 'list', '--json'], { env: { DATABASE_URL: databaseUrl, HOME: dir, ...env } });
  const failure = (r: { stdout: string }) => (JSON.parse(r.stdout) as { error: { code: string; message: string; hint: string } }).error;

  it('uses TLS when the server offers it, with no sslmode (libpq prefer)', async () => {
    const before = relay.seen.tls;
    const r = await list(via(relay, 'localhost', {}));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).map((t: { slug: string }) => t.slug)).toEqual(['tls_tenant']);
    expect(relay.seen.tls).toBeGreaterThan(before);
  });

  it('verify-full checks the certificate against sslrootcert (or PGSSLROOTCERT) and the host name', async () => {
    expect((await list(via(relay, 'localhost', { sslmode: 'verify-full', sslrootcert: file('ca.crt') }))).code).toBe(0);
    expect((await list(via(relay, 'localhost', { sslmode: 'verify-full' }), { PGSSLROOTCERT: file('ca.crt') })).code).toBe(0);
    // The certificate names localhost, not 127.0.0.1.
    const wrongName = await list(via(relay, '127.0.0.1', { sslmode: 'verify-full', sslrootcert: file('ca.crt') }));
    expect(wrongName.code).toBe(1);
    expect(failure(wrongName)).toMatchObject({ code: 'CONNECTION_FAILED', message: expect.stringContaining('does not name the host "127.0.0.1"') });
    const wrongCa = await list(via(relay, 'localhost', { sslmode: 'verify-full', sslrootcert: file('other-ca.crt') }));
    expect(wrongCa.code).toBe(1);
    expect(failure(wrongCa)).toMatchObject({ code: 'CONNECTION_FAILED', message: expect.stringContaining(`The TLS certificate of postgresql://`), hint: expect.stringContaining('sslrootcert') });
  });

  it('verify-ca checks who signed the certificate, not the name in it', async () => {
    expect((await list(via(relay, '127.0.0.1', { sslmode: 'verify-ca', sslrootcert: file('ca.crt') }))).code).toBe(0);
    expect(failure(await list(via(relay, '127.0.0.1', { sslmode: 'verify-ca', sslrootcert: file('other-ca.crt') })))).toMatchObject({ code: 'CONNECTION_FAILED' });
  });

  it('reads ~/.postgresql/root.crt by default, and then require checks the certificate too, as libpq', async () => {
    const missing = await list(via(relay, 'localhost', { sslmode: 'verify-full' }));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`The root certificate file "${join(dir, '.postgresql', 'root.crt')}" does not exist`);
    // Without a root certificate, require encrypts without checking.
    expect((await list(via(relay, '127.0.0.1', { sslmode: 'require' }))).code).toBe(0);
    await mkdir(join(dir, '.postgresql'), { recursive: true });
    await writeFile(join(dir, '.postgresql', 'root.crt'), await readFile(file('other-ca.crt')));
    try {
      expect(failure(await list(via(relay, '127.0.0.1', { sslmode: 'require' })))).toMatchObject({ code: 'CONNECTION_FAILED' });
      await writeFile(join(dir, '.postgresql', 'root.crt'), await readFile(file('ca.crt')));
      expect((await list(via(relay, 'localhost', { sslmode: 'verify-full' }))).code).toBe(0);
      // require with a root certificate is verify-ca: the name is not checked.
      expect((await list(via(relay, '127.0.0.1', { sslmode: 'require' }))).code).toBe(0);
    } finally {
      await rm(join(dir, '.postgresql', 'root.crt'), { force: true });
    }
  });

  it.skipIf(!client.ok)(client.ok ? 'gives pg_dump the same TLS settings: a verify-full backup through the relay needs its sslrootcert' : `gives pg_dump the same TLS settings (${client.reason})`, async () => {
    const before = { ...relay.seen };
    const out = join(dir, 'backup');
    const r = await runCli(['backup', 'create', '--out', out, '--json'], { env: { DATABASE_URL: via(relay, 'localhost', { sslmode: 'verify-full', sslrootcert: file('ca.crt') }), HOME: dir } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ path: out });
    expect(relay.seen.plain).toBe(before.plain);
    expect(relay.seen.tls).toBeGreaterThan(before.tls + 1);
  });

  it('sends the client certificate of sslcert/sslkey (or PGSSLCERT/PGSSLKEY) to a server that wants one', async () => {
    const params = { sslmode: 'verify-full', sslrootcert: file('ca.crt') };
    expect((await list(via(certRelay, 'localhost', { ...params, sslcert: file('client.crt'), sslkey: file('client.key') }))).code).toBe(0);
    expect((await list(via(certRelay, 'localhost', params), { PGSSLCERT: file('client.crt'), PGSSLKEY: file('client.key') })).code).toBe(0);
    const without = await list(via(certRelay, 'localhost', params));
    expect(without.code).toBe(1);
    expect(failure(without)).toMatchObject({ code: 'CONNECTION_FAILED', hint: expect.stringContaining('sslcert and sslkey') });
  });
});
