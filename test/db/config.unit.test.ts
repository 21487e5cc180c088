import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { libpqEnv, resolveConnection } from '../../src/db/config.js';
import { redact } from '../../src/output/redact.js';

describe('resolveConnection', () => {
  const cwd = '/nonexistent';
  it('prefers --database-url, then DATABASE_URL, then PG* variables', async () => {
    const env = { DATABASE_URL: 'postgresql://envuser@envhost/envdb', PGHOST: 'pghost' };
    expect((await resolveConnection({ databaseUrl: 'postgresql://u@flaghost:6000/db', env, cwd })).host).toBe('flaghost');
    expect((await resolveConnection({ env, cwd })).host).toBe('envhost');
    expect((await resolveConnection({ env: { PGHOST: 'pghost', PGDATABASE: 'x', PGPORT: '5555' }, cwd })).port).toBe(5555);
  });

  it('passes sslmode through and rejects unknown ones', async () => {
    expect((await resolveConnection({ databaseUrl: 'postgresql://u@h/db?sslmode=require', env: {}, cwd })).ssl).toBe('require');
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

  it('says how to start or point at a database when none is configured', async () => {
    await expect(resolveConnection({ env: { TENANTCTL_HOME: '/nonexistent-home' }, cwd })).rejects.toMatchObject({
      code: 'NO_DATABASE',
      hint: expect.stringContaining('tenantctl db start'),
    });
  });
});

describe('redact', () => {
  it('scrubs key=value passwords and SQL PASSWORD literals, and leaves ordinary words alone', () => {
    expect(redact("host=db password=hunter2 user=x")).toBe('host=db password=*** user=x');
    expect(redact("create role app login password 'it''s secret'")).toBe("create role app login password '***'");
    expect(redact('password authentication failed for user "x"')).toBe('password authentication failed for user "x"');
  });
});
