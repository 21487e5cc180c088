import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEmbeddedState } from '../../src/db/embedded.js';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';

const BIN = fileURLToPath(new URL('../../bin/tenantctl.js', import.meta.url));

/** One runnable line of the README: a `npx tenantctl …` command or a shell variable it sets. */
interface Step {
  line: string;
  section: string;
  /** The exit code the README documents on that line (`# exit N: …`), else 0. */
  expected: number;
}

/** The README section that starts a server of its own: run with no database configured (see its test). */
const EMBEDDED_SECTION = 'The embedded database';

/**
 * Every line of the README's `sh` blocks, in order. The set-up block (npm install, npm test)
 * is left out; the demo runs first, as the set-up block says.
 */
function readmeSteps(markdown: string): Step[] {
  const steps: Step[] = [];
  let section = '';
  for (const block of markdown.split(/^(?=## )/m)) {
    section = block.slice(3, block.indexOf('\n')).trim();
    if (section === 'Set-up' || !/^## /.test(block)) continue;
    for (const match of block.matchAll(/```sh\n([\s\S]*?)```/g)) {
      for (const line of match[1]!.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
        const code = /#[^#]*\bexit (\d+):/.exec(line);
        steps.push({ line, section, expected: code ? Number(code[1]) : 0 });
      }
    }
  }
  return steps;
}

/** Run one README line in bash, with `npx tenantctl` meaning this checkout's CLI. */
function sh(line: string, options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; output: string }> {
  const script = `npx() { [ "$1" = tenantctl ] && shift; node "${BIN}" "$@"; }\n${line}`;
  return new Promise((done, fail) => {
    const child = spawn('bash', ['-c', script], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

const client = await backupClientStatus();
/** The README section whose examples run a pooled profile: on a database of its own (see pooledDb). */
const POOLED_SECTION = 'Tenancy profiles';
const markdown = await readFile(`${PACKAGE_ROOT}README.md`, 'utf8');
const steps = readmeSteps(markdown);

describe('README.md', () => {
  let db: TestDatabase;
  /** For "Tenancy profiles": a pooled profile is recorded by a database's first `migrate up`, so it needs a database the commerce demo has not claimed. */
  let pooledDb: TestDatabase;
  let work: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    pooledDb = await createTestDatabase();
    work = await mkdtemp(join(tmpdir(), 'tenantctl-readme-'));
    // A newcomer's clone: the fixtures folder the examples name, migrations of their own
    // (`migrate new` writes one), and /tmp and /var/backups mapped into this test's folder.
    await cp(`${PACKAGE_ROOT}fixtures`, join(work, 'fixtures'), { recursive: true });
    await cp(`${PACKAGE_ROOT}migrations`, join(work, 'migrations'), { recursive: true });
  });
  afterAll(async () => {
    // Never leave the README's embedded server running, whatever the test did.
    if (work) {
      await sh('npx tenantctl db stop', { cwd: work, env: env(EMBEDDED_SECTION) });
      // Its data folder may live outside the home (run as root it is one the postgres user can reach).
      const state = await readEmbeddedState(join(work, '.tenantctl-embedded'));
      if (state) {
        await rm(state.dataDir, { recursive: true, force: true });
        if (basename(dirname(state.dataDir)).startsWith('tenantctl-')) await rm(dirname(state.dataDir), { recursive: true, force: true });
      }
    }
    await db?.drop();
    await pooledDb?.drop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const sections = [...new Set(steps.map((s) => s.section))];
  // `latest=$(ls -d backups/*/ | tail -1)` sets a variable later lines use: such lines become a prelude.
  const prelude: string[] = [];
  // "The embedded database" runs as a newcomer's first commands would: no DATABASE_URL, so
  // `db start` starts a real server of its own under a TENANTCTL_HOME of this test.
  const env = (section: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: work,
    CI: 'true',
    NO_COLOR: '1',
    ...(section === EMBEDDED_SECTION ? {} : { DATABASE_URL: section === POOLED_SECTION ? pooledDb.url : db.url }),
    TENANTCTL_MIGRATIONS_DIR: join(work, 'migrations'),
    TENANTCTL_HOME: join(work, section === EMBEDDED_SECTION ? '.tenantctl-embedded' : '.tenantctl'),
  });

  it('has its examples where the test looks for them', () => {
    expect(steps.length).toBeGreaterThan(40);
    expect(sections).toEqual([EMBEDDED_SECTION, 'Migrations', 'Tenancy profiles', 'Tenants', 'CSV import and export', 'Backups', 'Fixtures and maintenance']);
  });

  it('the demo runs first, as the set-up says', async () => {
    const demo = await runCli(['demo'], { url: db.url, cwd: work, env: { TENANTCTL_MIGRATIONS_DIR: join(work, 'migrations') } });
    expect(demo.code, demo.stderr).toBe(0);
    const json = /```json\n([\s\S]*?)```/.exec(markdown.slice(markdown.indexOf('Save this as `maintain.json`')))![1]!;
    await writeFile(join(work, 'maintain.json'), json);
  });

  // One test per README section, in README order, on the same database: each section starts
  // where the previous one left it, as for a newcomer reading from the top. The pooled
  // profile's section runs on its own fresh database, as the README's first line there implies.
  for (const section of sections) {
    const skip = section === 'Backups' && !client.ok; // no pg_dump for this server: backupClientStatus says why
    it.skipIf(skip)(`"${section}": every example exits 0, or the code it documents`, async () => {
      for (const step of steps.filter((s) => s.section === section)) {
        // "(works with psql)": the URL `db url` prints is tried with psql itself.
        if (section === EMBEDDED_SECTION && /db url/.test(step.line)) {
          const psql = await sh(`psql "$(npx tenantctl db url)" -Atc 'select 42'`, { cwd: work, env: env(section) });
          expect(psql, 'psql with the URL `db url` prints').toMatchObject({ code: 0, output: expect.stringContaining('42') });
        }
        const line = step.line.replaceAll('/var/backups/', `${work}/var-backups/`).replaceAll('/tmp/', `${work}/tmp-`);
        const result = await sh([...prelude, line].join('\n'), { cwd: work, env: env(section) });
        expect(result.code, `README (${step.section}): ${step.line}\n${result.output.slice(-3000)}`).toBe(step.expected);
        if (/^[A-Za-z_]\w*=/.test(line)) prelude.push(line);
      }
    });
  }

  it('every relative link in README.md and docs/ resolves in a clone', async () => {
    const files = ['README.md', ...(await readdir(`${PACKAGE_ROOT}docs`)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const broken: string[] = [];
    for (const file of files) {
      const text = await readFile(join(PACKAGE_ROOT, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#)/.test(target!)) continue;
        const path = resolve(dirname(join(PACKAGE_ROOT, file)), target!.split('#')[0]!);
        if (!existsSync(path) || !path.startsWith(PACKAGE_ROOT)) broken.push(`${file}: ${target}`);
      }
      if (/\.\.\/shared\//.test(text)) broken.push(`${file}: names ../shared/, which a clone does not have`);
    }
    expect(broken).toEqual([]);
  });
});
