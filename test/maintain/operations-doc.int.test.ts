import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';

/** The `npx tenantctl …` commands of the GitHub Actions job in docs/operations.md, in order. */
async function ciSteps(): Promise<string[]> {
  const doc = await readFile(`${PACKAGE_ROOT}docs/operations.md`, 'utf8');
  const workflow = doc.slice(doc.indexOf('## CI (GitHub Actions)'));
  const yaml = workflow.slice(workflow.indexOf('```yaml'), workflow.indexOf('```', workflow.indexOf('```yaml') + 7));
  return [...yaml.matchAll(/npx tenantctl ([^\n>]+?)(?:\s*>.*)?$/gm)].map((m) => m[1]!.trim());
}

/** Split a command line the way sh would for these simple lines: "…" quotes and $VARIABLES. */
function words(line: string, vars: Record<string, string>): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2]!).replace(/\$(\w+)/g, (_, name: string) => vars[name] ?? ''));
}

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

describe.skipIf(!client.ok)(client.ok ? 'docs/operations.md' : `docs/operations.md (${client.reason})`, () => {
  let db: TestDatabase;
  let temp: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    temp = await mkdtemp(join(tmpdir(), 'tenantctl-ops-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  it('the CI job runs as written: every tenantctl step exits 0 on a fresh database', async () => {
    const steps = await ciSteps();
    expect(steps.map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual(['migrate up', 'fixtures generate', 'maintain --json', 'monitor check', 'backup create', 'backup verify']);
    for (const step of steps) {
      const result = await runCli(words(step, { RUNNER_TEMP: temp }), { url: db.url });
      expect(result.code, `tenantctl ${step}\n${result.stdout}\n${result.stderr}`).toBe(0);
    }
  });
});
