import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeConnection, libpqEnv, resolveConnection } from '../../src/db/config.js';
import { redact } from '../../src/output/redact.js';

describe('resolveConnection', () => {
  const cwd = '/nonexistent';
  it('prefers --database-url, then DATABASE_URL, then PG* variables', async () => {
    const env = { DATABASE_URL: 'postgresql://envuser@envhost/envdb', PGHOST: 'pghost' };
    expect((await resolveConnection({ databaseUrl: 'postgresql://u@flaghost:6000/db', env, cwd })).host).toBe('flaghost');
    expect((await resolveConnection({ env, cwd })).host).toBe('envhost');
    expect((await resolveConnection({ env: { PGHOST: 'pghost', PGDATABASE: 'x', PGPORT: '5555' }, cwd })).port).toBe(5555);
  });

  it('names the port as it was typed when it is not one, and reads an empty PGPORT as the default, like libpq', async () => {
    await expect(resolveConnection({ env: { PGHOST: 'h', PGPORT: 'abc' }, cwd })).rejects.toMatchObject({ code: 'CONFIG_PORT', exitCode: 2, message: 'Port "abc" from PG* variables is not a TCP port.' });
    for (const port of ['0x10', '1e3', '70000', '0', '-1']) {
      await expect(resolveConnection({ databaseUrl: `postgresql://u@h/db?port=${port}`, env: {}, cwd })).rejects.toMatchObject({ code: 'CONFIG_PORT', message: `Port "${port}" from --database-url is not a TCP port.` });
    }
    expect((await resolveConnection({ env: { PGHOST: 'h', PGPORT: '' }, cwd })).port).toBe(5432);
    expect((await resolveConnection({ env: { PGHOST: 'h', PGPORT: '6543' }, cwd })).port).toBe(6543);
  });

  it("uses TLS when the server offers it (libpq's default sslmode prefer) over TCP, never on a Unix socket", async () => {
    expect((await resolveConnection({ databaseUrl: 'postgresql://u@h/db', env: {}, cwd })).ssl).toBe('prefer');
    expect((await resolveConnection({ env: { PGHOST: 'h' }, cwd })).ssl).toBe('prefer');
    expect((await resolveConnection({ databaseUrl: 'postgresql://u@h/db?sslmode=disable', env: {}, cwd })).ssl).toBe(false);
    expect((await resolveConnection({ env: { PGHOST: '/var/run/postgresql', PGSSLMODE: 'require' }, cwd })).ssl).toBe(false);
  });

  it('defaults the user (and so the database) to the effective OS user, as libpq does, not to $USER nor postgres', async () => {
    const me = userInfo().username;
    for (const env of [{ PGHOST: 'h' }, { PGHOST: 'h', USER: 'someone-else' }]) {
      expect(await resolveConnection({ env, cwd })).toMatchObject({ user: me, database: me });
      expect(await resolveConnection({ databaseUrl: 'postgresql://h', env, cwd })).toMatchObject({ user: me, database: me });
    }
  });

  it('passes sslmode through and rejects unknown ones', async () => {
    expect((await resolveConnection({ databaseUrl: 'postgresql://u@h/db?sslmode=require', env: {}, cwd })).ssl).toEqual({ host: 'h', rejectUnauthorized: false });
    await expect(resolveConnection({ databaseUrl: 'postgresql://u@h/db?sslmode=sometimes', env: {}, cwd })).rejects.toThrow(/Unknown sslmode "sometimes"/);
  });

  it('never shows the password, and scrubs it from any later output', async () => {
    const c = await resolveConnection({ databaseUrl: 'postgresql://alice:s3cr3t-pw@db.example:5432/app', env: {}, cwd });
    expect(c.password).toBe('s3cr3t-pw');
    expect(c.display).not.toContain('s3cr3t-pw');
    expect(redact('connect failed: password=s3cr3t-pw at postgresql://alice:s3cr3t-pw@db.example/app, alice:s3cr3t-pw@db')).not.toContain('s3cr3t-pw');
    expect(libpqEnv(c, {}).PGPASSWORD).toBe('s3cr3t-pw');
  });

  it('reads the password from a passfile, like libpq', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pgpass-'));
    await writeFile(join(dir, 'pgpass'), 'other:5432:*:*:nope\n127.0.0.1:5433:*:bob:from\\:file\n', { mode: 0o600 });
    const c = await resolveConnection({ databaseUrl: `postgresql://bob@127.0.0.1:5433/x?passfile=${join(dir, 'pgpass')}`, env: {}, cwd });
    expect(c.password).toBe('from:file');
  });

  it('looks up the passfile when the password is empty (an empty PGPASSWORD is unset, as in libpq), also through a service', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pgpass-'));
    const passfile = join(dir, 'pgpass');
    await writeFile(passfile, '*:*:*:bob:from-file\n', { mode: 0o600 });
    expect((await resolveConnection({ env: { PGHOST: 'h', PGUSER: 'bob', PGPASSWORD: '', PGPASSFILE: passfile }, cwd })).password).toBe('from-file');
    expect((await resolveConnection({ databaseUrl: 'postgresql://bob:@h/db', env: { PGPASSWORD: '', PGPASSFILE: passfile }, cwd })).password).toBe('from-file');
    await writeFile(join(dir, 'pg_service.conf'), `[svc]\nhost=h\nuser=bob\npassword=\npassfile=${passfile}\n`);
    expect((await resolveConnection({ env: { PGSERVICEFILE: join(dir, 'pg_service.conf'), PGSERVICE: 'svc', PGPASSWORD: '' }, cwd })).password).toBe('from-file');
  });

  it('treats an empty PGHOST, PGUSER, PGDATABASE (and an empty URL parameter or service setting) as unset, as libpq does', async () => {
    const me = userInfo().username;
    expect(await resolveConnection({ env: { PGHOST: '', PGUSER: 'alice', PGDATABASE: '' }, cwd })).toMatchObject({ host: 'localhost', user: 'alice', database: 'alice' });
    expect(await resolveConnection({ env: { PGHOST: 'h', PGUSER: '', PGDATABASE: '' }, cwd })).toMatchObject({ host: 'h', user: me, database: me });
    const shop = await resolveConnection({ env: { PGHOST: '', PGPORT: '56253', PGDATABASE: 'shop', PGUSER: '' }, cwd });
    expect(shop).toMatchObject({ host: 'localhost', port: 56253, database: 'shop', user: me });
    expect(describeConnection(shop)).toBe(`localhost:56253/shop as ${me} (from PG* variables)`);
    expect((await resolveConnection({ databaseUrl: 'postgresql://h/shop', env: { PGUSER: '', PGPASSWORD: '' }, cwd })).user).toBe(me);
    expect(await resolveConnection({ databaseUrl: 'postgresql://u@h/shop?dbname=&user=&host=', env: {}, cwd })).toMatchObject({ host: 'h', user: 'u', database: 'shop' });
    const dir = await mkdtemp(join(tmpdir(), 'pgservice-'));
    await writeFile(join(dir, 'pg_service.conf'), '[svc]\nhost=\ndbname=\n');
    expect(await resolveConnection({ env: { PGSERVICEFILE: join(dir, 'pg_service.conf'), PGSERVICE: 'svc', PGHOST: 'envhost', PGDATABASE: 'envdb' }, cwd })).toMatchObject({ host: 'envhost', database: 'envdb' });
  });

  it('reads an IPv6 address in brackets without them, and a URL with an empty host takes it from ?host=, as libpq does', async () => {
    const v6 = await resolveConnection({ databaseUrl: 'postgresql://u:p@[::1]:5432/shop', env: {}, cwd });
    expect(v6).toMatchObject({ host: '::1', port: 5432, database: 'shop', user: 'u', password: 'p' });
    expect(v6.display).toBe('postgresql://u@[::1]:5432/shop');
    expect(describeConnection(v6)).toBe('[::1]:5432/shop as u (from --database-url)');
    expect(libpqEnv(v6, {}).PGHOST).toBe('::1');
    expect(await resolveConnection({ databaseUrl: 'postgresql://user:pw@/shop?host=::1&port=5433', env: {}, cwd })).toMatchObject({ host: '::1', port: 5433, database: 'shop', user: 'user', password: 'pw' });
    expect(await resolveConnection({ databaseUrl: 'postgresql://:5433/shop', env: { PGHOST: 'envhost' }, cwd })).toMatchObject({ host: 'envhost', port: 5433 });
    expect(await resolveConnection({ databaseUrl: 'postgresql:///shop?host=/var/run/postgresql', env: {}, cwd })).toMatchObject({ socketPath: '/var/run/postgresql/.s.PGSQL.5432', database: 'shop' });
  });

  it('refuses several hosts (libpq tries each in turn) with a usage error naming where they came from', async () => {
    const refused = (message: string) => ({ code: 'CONFIG_MULTIHOST', exitCode: 2, message });
    await expect(resolveConnection({ env: { PGHOST: '127.0.0.1,localhost' }, cwd })).rejects.toMatchObject(refused('PGHOST names several hosts: multiple hosts are not supported by tenantctl.'));
    for (const url of ['postgresql://u:pw@h1,h2/db', 'postgresql://u:pw@h1:5432,h2:5433/db']) {
      const error = await resolveConnection({ databaseUrl: url, env: {}, cwd }).catch((e: unknown) => e as Error);
      expect(error).toMatchObject(refused('--database-url names several hosts: multiple hosts are not supported by tenantctl.'));
    }
    // A comma in an unencoded password is not a list of hosts.
    expect(await resolveConnection({ databaseUrl: 'postgresql://u:p,w@h/db', env: {}, cwd })).toMatchObject({ host: 'h', password: 'p,w' });
    await expect(resolveConnection({ databaseUrl: 'postgresql://u@/db?host=h1,h2', env: {}, cwd })).rejects.toMatchObject(refused('the host parameter of --database-url names several hosts: multiple hosts are not supported by tenantctl.'));
    await expect(resolveConnection({ databaseUrl: 'postgresql:///db', env: { PGHOST: 'h1,h2' }, cwd })).rejects.toMatchObject(refused('PGHOST names several hosts: multiple hosts are not supported by tenantctl.'));
    await expect(resolveConnection({ env: { PGHOST: 'h', PGPORT: '5432,5433' }, cwd })).rejects.toMatchObject({ code: 'CONFIG_PORT', exitCode: 2 });
  });

  it('does not use a passfile others may read, and says why, like libpq', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pgpass-'));
    const file = join(dir, 'pgpass');
    await writeFile(file, '127.0.0.1:5433:*:bob:open-secret\n', { mode: 0o644 });
    await chmod(file, 0o644);
    const warnings: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((text: string) => warnings.push(text) > 0) as typeof process.stderr.write;
    try {
      const c = await resolveConnection({ databaseUrl: `postgresql://bob@127.0.0.1:5433/x?passfile=${file}`, env: {}, cwd });
      expect(c.password).toBeUndefined();
    } finally {
      process.stderr.write = write;
    }
    expect(warnings.join('')).toMatch(/group or world access.*0600/);
    expect(warnings.join('')).not.toContain('open-secret');
  });

  it('reads a + in the query parameters as a +, not a space, like libpq (only %-escapes are decoded)', async () => {
    const c = await resolveConnection({ databaseUrl: 'postgresql://u@127.0.0.1:5432/?dbname=shop+eu&password=a+b&application_name=x+y&options=-c%20search_path%3Da+b&host=h+1', env: {}, cwd });
    expect(c).toMatchObject({ database: 'shop+eu', password: 'a+b', applicationName: 'x+y', options: '-c search_path=a+b', host: 'h+1' });
    const dir = await mkdtemp(join(tmpdir(), 'pgpass+'));
    await writeFile(join(dir, 'pgpass'), '*:*:*:*:from+file\n', { mode: 0o600 });
    expect((await resolveConnection({ databaseUrl: `postgresql://u@h/db?passfile=${join(dir, 'pgpass')}`, env: {}, cwd })).password).toBe('from+file');
    await expect(resolveConnection({ databaseUrl: 'postgresql://u@h/db?dbname=%ZZ', env: {}, cwd })).rejects.toMatchObject({ code: 'CONFIG_URL', exitCode: 2 });
  });

  it("lets the query's dbname, user and password win over the URL's path and user part, like libpq", async () => {
    expect(await resolveConnection({ databaseUrl: 'postgresql://alice:pw@h:5432/shop?dbname=pooled', env: {}, cwd })).toMatchObject({ database: 'pooled', user: 'alice', password: 'pw' });
    expect(await resolveConnection({ databaseUrl: 'postgresql://alice:pw@h:5432/shop?user=bob&password=bobpw', env: {}, cwd })).toMatchObject({ database: 'shop', user: 'bob', password: 'bobpw' });
    expect(await resolveConnection({ databaseUrl: 'postgresql://alice@h:5432/shop?user=bob', env: {}, cwd })).toMatchObject({ user: 'bob' });
  });

  it("gives pg_dump and psql the application_name tenantctl uses (the URL's, else PGAPPNAME), and none left over", async () => {
    const fromUrl = await resolveConnection({ databaseUrl: 'postgresql://u@h/db?application_name=nightly', env: { PGAPPNAME: 'other' }, cwd });
    expect(fromUrl.applicationName).toBe('nightly');
    expect(libpqEnv(fromUrl, { PGAPPNAME: 'other' }).PGAPPNAME).toBe('nightly');
    const fromEnv = await resolveConnection({ databaseUrl: 'postgresql://u@h/db', env: { PGAPPNAME: 'cron-job' }, cwd });
    expect(fromEnv.applicationName).toBe('cron-job');
    expect(libpqEnv(fromEnv, {}).PGAPPNAME).toBe('cron-job');
    // Not set: tenantctl's sessions say tenantctl (db/connect.ts), each tool its own name.
    const unset = await resolveConnection({ databaseUrl: 'postgresql://u@h/db', env: {}, cwd });
    expect(libpqEnv(unset, { PGAPPNAME: 'stale' }).PGAPPNAME).toBeUndefined();
  });

  it('says how to start or point at a database when none is configured', async () => {
    await expect(resolveConnection({ env: { TENANTCTL_HOME: '/nonexistent-home' }, cwd })).rejects.toMatchObject({
      code: 'NO_DATABASE',
      hint: expect.stringContaining('tenantctl db start'),
    });
  });
});

describe('resolveConnection and .env', () => {
  const dotenvIn = async (text: string): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'dotenv-'));
    await writeFile(join(dir, '.env'), text);
    return dir;
  };
  const none = { TENANTCTL_HOME: '/nonexistent-home' };

  it('uses a .env only when the environment has no connection variable, as a whole source', async () => {
    const cwd = await dotenvIn('PGHOST=dotenv-host\nPGPORT=6543\nPGUSER=app\nPGPASSWORD=from-dotenv\nPGDATABASE=appdb\n');
    const c = await resolveConnection({ env: { ...none, USER: 'me' }, cwd });
    expect(c).toMatchObject({ host: 'dotenv-host', port: 6543, user: 'app', database: 'appdb', password: 'from-dotenv', source: '.env' });
    expect(c.from).toBe(`.env (${join(cwd, '.env')})`);
    expect(describeConnection(c)).toBe(`dotenv-host:6543/appdb as app (from .env (${join(cwd, '.env')}))`);
    const url = await dotenvIn('DATABASE_URL=postgresql://u@dotenv-url:5439/x\n');
    expect(await resolveConnection({ env: none, cwd: url })).toMatchObject({ host: 'dotenv-url', port: 5439, source: '.env' });
  });

  it("never mixes a .env with the operator's PG* variables: the environment wins whole", async () => {
    const cwd = await dotenvIn('PGHOST=attacker.example\nPGPORT=5432\nPGDATABASE=x\n');
    const c = await resolveConnection({ env: { ...none, PGHOST: 'db.internal', PGUSER: 'ops', PGPASSWORD: 'operator-secret' }, cwd });
    expect(c).toMatchObject({ host: 'db.internal', port: 5432, user: 'ops', database: 'ops', source: 'PG* variables' });
    // Only a password in the environment: the .env's host must not receive it; nothing is used.
    const error = await resolveConnection({ env: { ...none, PGPASSWORD: 'operator-secret' }, cwd }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NO_DATABASE' });
    expect((error as Error & { hint: string }).hint).toContain(`.env (${join(cwd, '.env')}) not used: the environment sets PGPASSWORD`);
    // As printed (every output is redacted): the advice survives, no word is taken for a password.
    expect(redact((error as Error & { hint: string }).hint)).toContain('sets PGPASSWORD (unset it to use the .env)');
    // DATABASE_URL of the environment wins over a .env's, and takes nothing from the .env.
    const dotUrl = await dotenvIn('DATABASE_URL=postgresql://u:dotenv-pw@attacker.example/x\nPGPASSWORD=dotenv-pw\n');
    const fromEnv = await resolveConnection({ env: { ...none, DATABASE_URL: 'postgresql://ops@db.internal/app' }, cwd: dotUrl });
    expect(fromEnv).toMatchObject({ host: 'db.internal', source: 'DATABASE_URL' });
    expect(fromEnv.password).toBeUndefined();
  });

  it('says what is wrong with a bad %-escape instead of throwing URIError', async () => {
    await expect(resolveConnection({ databaseUrl: 'postgresql://u:%ZZ@h/db', env: {}, cwd: '/nonexistent' })).rejects.toMatchObject({
      code: 'CONFIG_URL',
      message: 'The password in --database-url has a bad %-escape (a % must be followed by two hex digits).',
      exitCode: 2,
    });
  });

  it('a PostgreSQL URL missing its two slashes is refused without repeating it, never read as a database name holding the password', async () => {
    for (const url of ['postgresql:/ops:hunter2pass@127.0.0.1:55720/app', 'postgresql:ops:hunter2pass@db/app', 'POSTGRES:/x:hunter2pass@h/d']) {
      const error = await resolveConnection({ databaseUrl: url, env: {}, cwd: '/nonexistent' }).catch((e: unknown) => e as Error & { hint: string; exitCode: number; code: string });
      expect(error).toMatchObject({ code: 'CONFIG_URL', exitCode: 2 });
      expect(`${error.message} ${error.hint}`).not.toContain('hunter2pass');
      expect(error.message).toContain('but not');
    }
    // Any text that still carries such a URL is scrubbed.
    expect(redact('see postgresql:/ops:hunter2pass@h/d and postgres:u:pw2@h')).toBe('see postgresql:/ops:***@h/d and postgres:u:***@h');
  });

  it('a URL that is not one gets a hint that is still readable once redacted (no [:password]@ turned into ***)', async () => {
    const error = await resolveConnection({ databaseUrl: 'notaurl', env: {}, cwd: '/nonexistent' }).catch((e: unknown) => e as Error & { hint: string });
    expect(error).toMatchObject({ code: 'CONFIG_URL' });
    expect(redact(error.hint)).toBe(error.hint);
    expect(error.hint).toContain('postgresql://user@host[:port]/database');
  });
});

describe('redact', () => {
  it('scrubs key=value passwords and SQL PASSWORD literals, and leaves ordinary words alone', () => {
    expect(redact("host=db password=hunter2 user=x")).toBe('host=db password=*** user=x');
    expect(redact("create role app login password 'it''s secret'")).toBe("create role app login password '***'");
    expect(redact('password authentication failed for user "x"')).toBe('password authentication failed for user "x"');
  });
});

describe('resolveConnection and libpq connection services', () => {
  const serviceFile = async (text: string, name = 'pg_service.conf'): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'pgservice-'));
    await writeFile(join(dir, name), text);
    return join(dir, name);
  };
  const cwd = '/nonexistent';

  it("takes host, port, dbname, user and password from the service's section; they win over PG* variables, the URL over them", async () => {
    const file = await serviceFile('# comment\n[first]\nhost=first.example\n\n[svc]\nhost = svc.example\nport=6001\ndbname=svcdb\nuser=svcuser\npassword=svc-secret\nsslmode=require\n[svc]\nport=1\n');
    const c = await resolveConnection({ env: { PGSERVICEFILE: file, PGSERVICE: 'svc', PGHOST: 'pghost', PGPORT: '5432', PGPASSWORD: 'env-secret' }, cwd });
    expect(c).toMatchObject({ host: 'svc.example', port: 6001, database: 'svcdb', user: 'svcuser', password: 'svc-secret', sslmode: 'require', ssl: { rejectUnauthorized: false }, source: 'PG* variables' });
    expect(c.from).toBe(`PG* variables, service "svc" in ${file}`);
    // What the service leaves out comes from the variables.
    const partial = await serviceFile('[svc]\nhost=svc.example\n');
    expect(await resolveConnection({ env: { PGSERVICEFILE: partial, PGSERVICE: 'svc', PGPORT: '6002', PGDATABASE: 'envdb', PGUSER: 'envuser' }, cwd })).toMatchObject({ host: 'svc.example', port: 6002, database: 'envdb', user: 'envuser' });
    // A URL's own parts win over the service; its service= parameter names one too.
    const url = await resolveConnection({ databaseUrl: 'postgresql://urluser@urlhost/urldb?service=svc', env: { PGSERVICEFILE: file }, cwd });
    expect(url).toMatchObject({ host: 'urlhost', port: 6001, database: 'urldb', user: 'urluser', password: 'svc-secret' });
    // Tools tenantctl runs (pg_dump) get the resolved values, not a service that would override them.
    const child = libpqEnv(url, { PGSERVICE: 'svc', PGSERVICEFILE: file });
    expect(child).toMatchObject({ PGHOST: 'urlhost', PGDATABASE: 'urldb' });
    expect(child.PGSERVICE).toBeUndefined();
  });

  it('looks in PGSYSCONFDIR/pg_service.conf when the user file lacks it, and says where it looked when neither has it', async () => {
    const system = await serviceFile('[shared]\nhost=system.example\n');
    const user = await serviceFile('[mine]\nhost=mine.example\n');
    const sysconfdir = system.replace(/\/pg_service\.conf$/, '');
    expect((await resolveConnection({ env: { PGSERVICEFILE: user, PGSYSCONFDIR: sysconfdir, PGSERVICE: 'shared' }, cwd })).host).toBe('system.example');
    expect((await resolveConnection({ env: { PGSERVICEFILE: user, PGSYSCONFDIR: sysconfdir, PGSERVICE: 'mine' }, cwd })).host).toBe('mine.example');
    await expect(resolveConnection({ env: { PGSERVICEFILE: user, PGSYSCONFDIR: sysconfdir, PGSERVICE: 'nosuch' }, cwd })).rejects.toMatchObject({
      code: 'CONFIG_SERVICE',
      exitCode: 2,
      message: `The service "nosuch" (from PGSERVICE) is not defined in ${user} nor ${system}.`,
    });
  });

  it('refuses libpq variables it does not apply that would tighten the connection, never printing their values; the tools do not get them either', async () => {
    await expect(resolveConnection({ env: { PGHOST: 'h', PGREQUIRESSL: '1' }, cwd })).rejects.toMatchObject({ code: 'CONFIG_UNSUPPORTED', exitCode: 2, message: 'PGREQUIRESSL is set, but tenantctl does not apply this setting, and would connect without it.', hint: expect.stringContaining('PGSSLMODE=require') });
    const both = await resolveConnection({ databaseUrl: 'postgresql://u@h/db', env: { PGTARGETSESSIONATTRS: 'read-write', PGSSLPASSWORD: 'key-secret' }, cwd }).catch((e: unknown) => e as Error & { hint: string });
    expect(both).toMatchObject({ code: 'CONFIG_UNSUPPORTED', message: expect.stringContaining('PGTARGETSESSIONATTRS, PGSSLPASSWORD are set') });
    expect(`${both.message} ${both.hint}`).not.toContain('key-secret');
    // What asks for nothing more is fine, and not passed on.
    const c = await resolveConnection({ env: { PGHOST: 'h', PGGSSENCMODE: 'disable', PGTARGETSESSIONATTRS: 'any', PGREQUIRESSL: '0' }, cwd });
    expect(libpqEnv(c, { PGGSSENCMODE: 'disable', PGTARGETSESSIONATTRS: 'any', PGCHANNELBINDING: 'require' })).not.toHaveProperty('PGCHANNELBINDING');
  });

  it('refuses what it would not honour: a keyword it does not use, hostaddr, PGHOSTADDR', async () => {
    const file = await serviceFile('[svc]\nhost=h\nsslcrl=/etc/crl.pem\n');
    await expect(resolveConnection({ env: { PGSERVICEFILE: file, PGSERVICE: 'svc' }, cwd })).rejects.toMatchObject({ code: 'CONFIG_SERVICE', exitCode: 2, message: expect.stringContaining(`sets sslcrl (${file}:3)`) });
    const addr = await serviceFile('[svc]\nhostaddr=10.0.0.5\n');
    await expect(resolveConnection({ env: { PGSERVICEFILE: addr, PGSERVICE: 'svc' }, cwd })).rejects.toMatchObject({ code: 'CONFIG_SERVICE', hint: expect.stringContaining('host=') });
    await expect(resolveConnection({ env: { PGHOST: 'h', PGHOSTADDR: '10.0.0.5' }, cwd })).rejects.toMatchObject({ code: 'CONFIG_HOSTADDR', exitCode: 2 });
    await expect(resolveConnection({ databaseUrl: 'postgresql://u@h/db?hostaddr=10.0.0.5', env: {}, cwd })).rejects.toMatchObject({ code: 'CONFIG_HOSTADDR', exitCode: 2 });
  });
});

describe('TLS settings (sslrootcert, sslcert, sslkey) with libpq\'s meaning', () => {
  const cwd = '/nonexistent';
  const files = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'tls-'));
    await writeFile(join(dir, 'ca.crt'), 'ca');
    await writeFile(join(dir, 'client.crt'), 'cert');
    await writeFile(join(dir, 'client.key'), 'key', { mode: 0o600 });
    return dir;
  };
  const home = process.env.HOME;
  afterEach(() => {
    process.env.HOME = home;
  });

  it('builds the node:tls options of each sslmode from the URL, a service or PGSSLROOTCERT/PGSSLCERT/PGSSLKEY', async () => {
    const dir = await files();
    process.env.HOME = dir; // no ~/.postgresql there
    const ssl = async (query: string, env: NodeJS.ProcessEnv = {}) => (await resolveConnection({ databaseUrl: `postgresql://u@db.example/db?${query}`, env, cwd })).ssl;
    const ca = Buffer.from('ca');
    const checkName = expect.any(Function);
    expect(await ssl(`sslmode=verify-full&sslrootcert=${dir}/ca.crt`)).toEqual({ host: 'db.example', ca, rejectUnauthorized: true });
    const verifyCa = await ssl('sslmode=verify-ca', { PGSSLROOTCERT: `${dir}/ca.crt` });
    expect(verifyCa).toEqual({ host: 'db.example', ca, rejectUnauthorized: true, checkServerIdentity: checkName });
    expect((verifyCa as { checkServerIdentity: () => unknown }).checkServerIdentity()).toBeUndefined();
    // require with a root certificate checks who signed it, as libpq's require does.
    expect(await ssl(`sslmode=require&sslrootcert=${dir}/ca.crt`)).toEqual({ host: 'db.example', ca, rejectUnauthorized: true, checkServerIdentity: checkName });
    expect(await ssl(`sslmode=require&sslcert=${dir}/client.crt&sslkey=${dir}/client.key`)).toEqual({ host: 'db.example', rejectUnauthorized: false, cert: Buffer.from('cert'), key: Buffer.from('key') });
    expect(await ssl('sslmode=verify-full&sslrootcert=system')).toEqual({ host: 'db.example', rejectUnauthorized: true });
    // ~/.postgresql/root.crt is the default root certificate.
    await mkdir(join(dir, '.postgresql'));
    await writeFile(join(dir, '.postgresql', 'root.crt'), 'home-ca');
    expect(await ssl('sslmode=verify-full')).toEqual({ host: 'db.example', ca: Buffer.from('home-ca'), rejectUnauthorized: true });
    // A service names them too.
    await writeFile(join(dir, 'pg_service.conf'), `[svc]\nhost=db.example\nsslmode=verify-full\nsslrootcert=${dir}/ca.crt\n`);
    expect((await resolveConnection({ env: { PGSERVICEFILE: join(dir, 'pg_service.conf'), PGSERVICE: 'svc' }, cwd })).ssl).toEqual({ host: 'db.example', ca, rejectUnauthorized: true });
  });

  it('refuses what libpq would refuse or tenantctl cannot honour, with exit 2 naming the setting', async () => {
    const dir = await files();
    process.env.HOME = dir;
    const refused = (query: string, env: NodeJS.ProcessEnv = {}) => resolveConnection({ databaseUrl: `postgresql://u@db.example/db?${query}`, env, cwd });
    await expect(refused('sslmode=verify-full')).rejects.toMatchObject({ code: 'CONFIG_SSL', exitCode: 2, message: expect.stringContaining(`root certificate file "${join(dir, '.postgresql', 'root.crt')}" does not exist`) });
    await expect(refused('sslmode=require&sslrootcert=system')).rejects.toMatchObject({ code: 'CONFIG_SSL', exitCode: 2 });
    await expect(refused(`sslrootcert=${dir}/ca.crt`)).rejects.toMatchObject({ code: 'CONFIG_SSL', exitCode: 2, message: expect.stringContaining('sslrootcert is set in --database-url, but sslmode is prefer (the default)') });
    await expect(refused('sslmode=prefer', { PGSSLCERT: `${dir}/client.crt` })).rejects.toMatchObject({ code: 'CONFIG_SSL', message: expect.stringContaining('sslcert is set') });
    await expect(refused(`sslmode=require&sslcert=${dir}/client.crt`)).rejects.toMatchObject({ code: 'CONFIG_SSL', message: expect.stringContaining('not its private key file') });
    await chmod(join(dir, 'client.key'), 0o644);
    await expect(refused(`sslmode=require&sslcert=${dir}/client.crt&sslkey=${dir}/client.key`)).rejects.toMatchObject({ code: 'CONFIG_SSL', message: expect.stringContaining('has group or world access') });
    // libpq's ssl=true is sslmode=require; any other ssl= is invalid there too.
    expect(await resolveConnection({ databaseUrl: 'postgresql://u@db.example/db?ssl=true', env: {}, cwd })).toMatchObject({ sslmode: 'require', ssl: { rejectUnauthorized: false } });
    await expect(refused('ssl=1')).rejects.toMatchObject({ code: 'CONFIG_URL', message: expect.stringContaining('"ssl"') });
    // A typo or a libpq setting tenantctl does not apply, as psql's "invalid URI query parameter".
    await expect(refused('sslmod=require')).rejects.toMatchObject({ code: 'CONFIG_URL', exitCode: 2, message: expect.stringContaining('query parameter "sslmod", which tenantctl does not use: invalid URI query parameter') });
    // A libpq setting tenantctl does not apply, set to ask for more than it does: refused, as the variable is.
    for (const [query, name] of [['target_session_attrs=read-write', 'target_session_attrs'], ['channel_binding=require', 'channel_binding'], ['client_encoding=LATIN1', 'client_encoding'], ['sslcrl=/x.crl', 'sslcrl']] as const) {
      await expect(refused(query)).rejects.toMatchObject({ code: 'CONFIG_UNSUPPORTED', exitCode: 2, message: expect.stringContaining(`sets "${name}", which tenantctl does not apply`) });
    }
  });

  it("takes the libpq parameters URLs copied from an application carry: connect_timeout (applied, and given to the tools), fallback_application_name, TCP tuning, and the others' harmless values", async () => {
    const url = 'postgresql://u@db.example/db?sslmode=disable&connect_timeout=5&keepalives=1&keepalives_idle=30&tcp_user_timeout=1000&target_session_attrs=any&channel_binding=prefer&gssencmode=disable&client_encoding=UTF8&fallback_application_name=shop';
    const c = await resolveConnection({ databaseUrl: url, env: {}, cwd });
    expect(c).toMatchObject({ host: 'db.example', database: 'db', connectTimeout: 5, applicationName: 'shop' });
    expect(libpqEnv(c, {})).toMatchObject({ PGCONNECT_TIMEOUT: '5', PGAPPNAME: 'shop' });
    // application_name wins over the fallback; 0 waits for ever, 1 is libpq's floor of 2.
    expect(await resolveConnection({ databaseUrl: 'postgresql://u@db.example/db?sslmode=disable&application_name=a&fallback_application_name=b&connect_timeout=0', env: {}, cwd })).toMatchObject({ applicationName: 'a', connectTimeout: 0 });
    expect((await resolveConnection({ databaseUrl: 'postgresql://u@db.example/db?sslmode=disable&connect_timeout=1', env: {}, cwd })).connectTimeout).toBe(2);
    expect((await resolveConnection({ env: { PGHOST: 'db.example', PGUSER: 'u', PGSSLMODE: 'disable', PGCONNECT_TIMEOUT: '7' }, cwd })).connectTimeout).toBe(7);
    await expect(resolveConnection({ databaseUrl: 'postgresql://u@db.example/db?connect_timeout=soon', env: {}, cwd })).rejects.toMatchObject({ code: 'CONFIG_URL', exitCode: 2, message: expect.stringContaining('whole number of seconds') });
  });

  it("takes an application's URL with its client library's pool parameters (Prisma), never repeats what may be part of a password, and says what replaces channel binding", async () => {
    expect(await resolveConnection({ databaseUrl: 'postgresql://u@db.example/db?sslmode=disable&schema=public&connection_limit=1&pgbouncer=true&pool_timeout=10', env: {}, cwd })).toMatchObject({ host: 'db.example', database: 'db' });
    // An unencoded & in the password: "etPart" is the password's tail, not to be printed.
    const leaked = await resolveConnection({ databaseUrl: 'postgresql://app@db.example/app?password=s3cr&etPart=xyz', env: {}, cwd }).catch((e: Error) => e);
    expect(leaked).toMatchObject({ code: 'CONFIG_URL', exitCode: 2 });
    expect(JSON.stringify(leaked)).not.toContain('etPart');
    expect((leaked as Error).message).not.toContain('etPart');
    const binding = await resolveConnection({ databaseUrl: 'postgresql://u@db.example/db?sslmode=require&channel_binding=require', env: {}, cwd }).catch((e: { hint: string }) => e);
    expect(binding).toMatchObject({ code: 'CONFIG_UNSUPPORTED', hint: expect.stringContaining('sslmode=verify-full') });
  });

  it('on a Unix socket checks sslmode but uses no TLS and reads no certificate, as libpq', async () => {
    process.env.HOME = '/nonexistent';
    expect((await resolveConnection({ env: { PGHOST: '/var/run/postgresql', PGSSLMODE: 'verify-full' }, cwd })).ssl).toBe(false);
    await expect(resolveConnection({ env: { PGHOST: '/var/run/postgresql', PGSSLMODE: 'sometimes' }, cwd })).rejects.toMatchObject({ code: 'CONFIG_SSLMODE' });
  });

  it('gives pg_dump, pg_restore and psql the same TLS settings, and none left over from another source', async () => {
    const dir = await files();
    process.env.HOME = dir;
    const c = await resolveConnection({ databaseUrl: `postgresql://u@db.example/db?sslmode=verify-ca&sslrootcert=${dir}/ca.crt&sslcert=${dir}/client.crt&sslkey=${dir}/client.key`, env: {}, cwd });
    expect(libpqEnv(c, { PGSSLMODE: 'disable' })).toMatchObject({ PGSSLMODE: 'verify-ca', PGSSLROOTCERT: `${dir}/ca.crt`, PGSSLCERT: `${dir}/client.crt`, PGSSLKEY: `${dir}/client.key` });
    const plain = libpqEnv(await resolveConnection({ databaseUrl: 'postgresql://u@db.example/db', env: {}, cwd }), { PGSSLMODE: 'disable', PGSSLROOTCERT: '/elsewhere.crt', PGOPTIONS: '-c x=y' });
    for (const name of ['PGSSLMODE', 'PGSSLROOTCERT', 'PGSSLCERT', 'PGSSLKEY', 'PGOPTIONS']) expect(plain[name]).toBeUndefined();
  });

  it('without a host goes where libpq goes: the server\'s Unix socket in /var/run/postgresql or /tmp, else localhost over TCP', async () => {
    const { createServer } = await import('node:net');
    const { rm } = await import('node:fs/promises');
    // A port no server here uses, its socket made in /tmp for the test.
    const port = 40000 + Math.floor(Math.random() * 9000);
    const path = `/tmp/.s.PGSQL.${port}`;
    const env = { PGPORT: String(port), PGUSER: 'u', PGDATABASE: 'd' };
    expect((await resolveConnection({ env, cwd })).host).toBe('localhost');
    const server = createServer();
    await new Promise<void>((done) => server.listen(path, done));
    try {
      const c = await resolveConnection({ env, cwd });
      expect(c).toMatchObject({ host: '/tmp', socketPath: path, ssl: false });
      expect(libpqEnv(c, {}).PGHOST).toBe('/tmp');
      expect((await resolveConnection({ databaseUrl: `postgresql:///d?port=${port}&user=u`, env: {}, cwd })).socketPath).toBe(path);
      // A host that is given is used as given.
      expect((await resolveConnection({ env: { ...env, PGHOST: 'localhost', PGSSLMODE: 'disable' }, cwd })).host).toBe('localhost');
      // As in libpq, a password file line for localhost serves the default socket folder too.
      const dir = await mkdtemp(join(tmpdir(), 'tenantctl-pgpass-'));
      await writeFile(join(dir, 'pgpass'), `localhost:${port}:d:u:sekret\n`, { mode: 0o600 });
      expect((await resolveConnection({ env: { ...env, PGPASSFILE: join(dir, 'pgpass') }, cwd })).password).toBe('sekret');
    } finally {
      await new Promise((done) => server.close(done));
      await rm(path, { force: true });
    }
  });
});
