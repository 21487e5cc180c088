import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/** issue 12, item 3: the embedded server's passfile, state and folders are never aimed elsewhere. */
describe('db start and planted links', () => {
  let root: string;
  const cli = (args: string[], home: string) => runCli(args, { env: { TENANTCTL_HOME: home, DATABASE_URL: '' } });
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tenantctl-embedded-'));
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('refuses a home folder that is a link, or that others can write to; nothing is written', async () => {
    const target = join(root, 'target');
    await mkdir(target, { mode: 0o700 });
    await symlink(target, join(root, 'linked-home'));
    const linked = await cli(['db', 'start'], join(root, 'linked-home'));
    expect(linked.code).toBe(1);
    expect(linked.stderr).toContain(`Refusing to use ${join(root, 'linked-home')} as the embedded server's home folder: it is a symbolic link. Nothing was written.`);
    expect(linked.stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(target)).toEqual([]);

    const open = join(root, 'open-home');
    await mkdir(open);
    await chmod(open, 0o777);
    const r = await cli(['db', 'start'], open);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('other users can write to it (mode 777)');
    expect(await readdir(open)).toEqual([]);
    // Every command that would fall back to the embedded server refuses it too.
    const status = await cli(['tenant', 'list'], open);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('other users can write to it');
  });

  it('refuses a recorded data folder that is a link', async () => {
    const home = join(root, 'state-home');
    const cluster = join(root, 'someone-elses-cluster');
    await mkdir(home, { mode: 0o700 });
    await mkdir(cluster, { mode: 0o700 });
    await writeFile(join(cluster, 'PG_VERSION'), '15\n');
    await symlink(cluster, join(home, 'data'));
    await writeFile(join(home, 'embedded.json'), JSON.stringify({ port: 54999, user: 'tenantctl', database: 'tenantctl', dataDir: join(home, 'data'), passfile: join(home, 'pgpass'), logFile: join(home, 'data', 'postgres.log') }));
    const r = await cli(['db', 'start'], home);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Refusing to use ${join(home, 'data')} as the embedded server's data folder: it is a symbolic link.`);
    expect(await readdir(cluster)).toEqual(['PG_VERSION']);
  });

  it('replaces links planted at pgpass and embedded.json instead of writing through them; the data folder has a random private name', async () => {
    const home = join(root, 'home');
    await mkdir(home, { mode: 0o700 });
    const victims = { pgpass: join(root, 'victim-pgpass'), state: join(root, 'victim-state') };
    await writeFile(victims.pgpass, 'keep me\n');
    await writeFile(victims.state, 'keep me too\n');
    await symlink(victims.pgpass, join(home, 'pgpass'));
    await symlink(victims.state, join(home, 'embedded.json'));
    const started = await cli(['db', 'start', '--json'], home);
    let dataDir: string | undefined;
    try {
      expect(started.code, started.stderr).toBe(0);
      expect(await readFile(victims.pgpass, 'utf8')).toBe('keep me\n');
      expect(await readFile(victims.state, 'utf8')).toBe('keep me too\n');
      for (const name of ['pgpass', 'embedded.json']) {
        const file = await lstat(join(home, name));
        expect(file.isFile(), name).toBe(true);
        expect(file.mode & 0o777, name).toBe(0o600);
      }
      const state = JSON.parse(await readFile(join(home, 'embedded.json'), 'utf8'));
      dataDir = state.dataDir as string;
      if (dirname(dataDir) !== home) {
        // Root, whose home the server's user cannot enter: a fresh folder of a random name, closed to others.
        expect(basename(dirname(dataDir))).toMatch(/^tenantctl-[A-Za-z0-9]{6}$/);
        expect((await lstat(dirname(dataDir))).mode & 0o777).toBe(0o700);
      }
    } finally {
      const stopped = await cli(['db', 'stop'], home);
      expect(stopped.code, stopped.stderr).toBe(0);
      if (dataDir && dirname(dataDir) !== home) await rm(dirname(dataDir), { recursive: true, force: true });
    }
  });
});
