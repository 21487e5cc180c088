import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliOnTty } from '../support/pty.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { buildPlatform } from './helpers.js';

const client = await backupClientStatus();

/** Every progress line the terminal was shown (each redraw starts with \r and a line erase). */
const progressLines = (screen: string, label: string): string[] => screen.split(/\r|\n/).map((l) => l.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').trim()).filter((l) => l.startsWith(label));

describe.skipIf(!client.ok)(client.ok ? 'backup progress on a terminal' : `backup progress on a terminal (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-backup-progress-'));
    db = await createTestDatabase('bkp');
    await buildPlatform(db, ['acme', 'globex', 'initech']);
    // Sizes come from the statistics, as on any database autovacuum has seen.
    await db.sql.unsafe('vacuum analyze');
  });
  afterAll(async () => {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('create and verify show chunks and bytes (done of the whole) as they go, then only the summary', async () => {
    const out = join(work, 'nightly');
    // One chunk per tenant, so there are several steps to show.
    const create = await runCliOnTty(['backup', 'create', '--out', out, '--jobs', '2', '--lock-budget', '100'], [], { url: db.url });
    expect(create.code, create.screen).toBe(0);
    const created = progressLines(create.screen, 'backup create: chunks dumped');
    expect(created.length, create.screen).toBeGreaterThan(0);
    expect(created[0]).toMatch(/^backup create: chunks dumped \d+\/\d+ \(\d+%\) · [\d.,]+ (bytes|[kMGT]B)\/[\d.,]+ (bytes|[kMGT]B)/);

    const verify = await runCliOnTty(['backup', 'verify', out], [], { url: db.url });
    expect(verify.code, verify.screen).toBe(0);
    const restored = progressLines(verify.screen, 'backup verify: chunks restored');
    expect(restored.length, verify.screen).toBeGreaterThan(0);
    expect(restored[0]).toMatch(/^backup verify: chunks restored \d+\/\d+ \(\d+%\) · [\d.,]+ (bytes|[kMGT]B)\/[\d.,]+ (bytes|[kMGT]B)/);
  });
});
