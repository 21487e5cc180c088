import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupClientStatus } from '../support/pg-client.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

/**
 * A database in another encoding than the server's default: the scratch database a verify
 * restores into must have the same encoding (and locale), or its text is converted (LATIN1:
 * every checksum of a table with non-ASCII text differs) or refused (SQL_ASCII bytes that are
 * no UTF8).
 */
describe.skipIf(!client.ok)(client.ok ? 'backup of a LATIN1 database' : `backup of a LATIN1 database (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-latin1-'));
    db = await createTestDatabase('bklatin1', { encoding: 'LATIN1', locale: 'C' });
    expect((await runCli(['migrate', 'up'], { url: db.url })).code).toBe(0);
    const created = await runCli(['tenant', 'create', 'cafe', '--name', 'Café', '--plan', 'starter', '--owner-email', 'owner@cafe.test'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('verifies: the scratch database is LATIN1 too, so the text restores byte for byte', async () => {
    const backup = join(work, 'b');
    const created = await runCli(['backup', 'create', '--out', backup, '--json'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    const verified = await runCli(['backup', 'verify', backup, '--json'], { url: db.url });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout).faults).toEqual([]);
  });
});

/** SQL_ASCII stores bytes as they come: a byte that is no UTF8 must survive a restore through the scratch database. */
describe.skipIf(!client.ok)(client.ok ? 'restore-tenant of a SQL_ASCII database' : `restore-tenant of a SQL_ASCII database (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-sqlascii-'));
    db = await createTestDatabase('bkascii', { encoding: 'SQL_ASCII', locale: 'C' });
    expect((await runCli(['migrate', 'up'], { url: db.url })).code).toBe(0);
    const created = await runCli(['tenant', 'create', 'cafe', '--name', 'Cafe', '--plan', 'starter', '--owner-email', 'owner@cafe.test'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    // Café in LATIN1: the byte 0xE9 alone is no UTF8.
    await db.sql.unsafe(`insert into tenant_cafe.products (sku, name, selling_price) values ('c-1', E'Caf\\xe9', 2.5)`);
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('restores a tenant under a new name with its bytes unchanged', async () => {
    const backup = join(work, 'b');
    const created = await runCli(['backup', 'create', '--out', backup, '--json'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    const restored = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'cafe', '--as', 'cafe_copy', '--json'], { url: db.url });
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    const [row] = await db.sql`select encode(convert_to(name, 'SQL_ASCII'), 'hex') as hex from tenant_cafe_copy.products where sku = 'c-1'`;
    expect(row!.hex).toBe('436166e9');
  });
});
