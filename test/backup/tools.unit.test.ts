import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTool, parseToolVersion, restoreToolNeed } from '../../src/backup/tools.js';
import { tableDataEntries, compareTables } from '../../src/backup/verify-checks.js';

describe('client tools', () => {
  let bin: string;
  beforeAll(async () => {
    bin = await mkdtemp(join(tmpdir(), 'fake-pg-bin-'));
    // A real executable that answers --version like an old pg_dump would.
    await writeFile(join(bin, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 13.14"\n');
    await chmod(join(bin, 'pg_dump'), 0o755);
  });
  afterAll(async () => rm(bin, { recursive: true, force: true }));

  it('parses the version line of every client', () => {
    expect(parseToolVersion('pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n')).toEqual({ version: '15.18 (Debian 15.18-0+deb12u1)', major: 15 });
    expect(parseToolVersion('psql (PostgreSQL) 9.6.24')).toEqual({ version: '9.6.24', major: 9 });
    expect(parseToolVersion('something else')).toBeUndefined();
  });

  it('refuses a client older than the server, naming the version needed', async () => {
    await expect(findTool('pg_dump', { pgBin: bin, env: {} }, { major: 15, why: 'the server (PostgreSQL 15.18)' })).rejects.toMatchObject({
      code: 'BACKUP_TOOL_TOO_OLD',
      message: `pg_dump 13.14 at ${join(bin, 'pg_dump')} is older than the server (PostgreSQL 15.18): pg_dump 15 or newer is needed.`,
    });
  });

  it('says where it looked for a missing client (PG_BIN)', async () => {
    await expect(findTool('pg_restore', { env: { PG_BIN: bin } }, { major: 15, why: 'x' })).rejects.toMatchObject({ code: 'BACKUP_TOOL_MISSING', message: `pg_restore was not found (looked in PG_BIN=${bin}).` });
  });

  it('finds the system client on PATH', async () => {
    const tool = await findTool('pg_restore', { env: { PATH: process.env.PATH } });
    expect(tool.major).toBeGreaterThanOrEqual(15);
  });
});

describe('the pg_restore a restore needs', () => {
  const archive15 = { major: 15, version: '15.18' };
  it('names the server when only the server is newer than the archive', () => {
    expect(restoreToolNeed(archive15, { versionNum: 170004, version: '17.4' })).toEqual({ major: 17, why: 'the server (PostgreSQL 17.4)' });
  });
  it('names the archive when only the archive is newer than the server', () => {
    expect(restoreToolNeed({ major: 16, version: '16.2' }, { versionNum: 150018, version: '15.18' })).toEqual({ major: 16, why: 'the archive (written by pg_dump 16.2)' });
  });
  it('names both when they are the same major', () => {
    expect(restoreToolNeed(archive15, { versionNum: 150018, version: '15.18' })).toEqual({ major: 15, why: 'the archive (written by pg_dump 15.18) and the server (PostgreSQL 15.18)' });
  });
});

describe('verify comparisons', () => {
  it('reads TABLE DATA entries of pg_restore --list', () => {
    const list = ';\n; Archive created at 2026-11-22\n8; 2615 16625 SCHEMA - tenant_acme tenantctl\n4402; 0 0 COMMENT tenant_acme TABLE data_masking_rules tenantctl\n4349; 0 16954 TABLE DATA tenant_acme channel_products tenantctl\n';
    expect([...tableDataEntries(list, [{ schema: 'tenant_acme', table: 'channel_products' }])]).toEqual(['tenant_acme channel_products']);
    expect([...tableDataEntries(list, [])]).toEqual(['tenant_acme channel_products']);
  });

  it('reads TABLE DATA entries whose owner (or name) holds spaces: pg_restore prints them unquoted', () => {
    const list = [
      '8; 2615 16625 SCHEMA - tenant_acme app owner',
      '4349; 0 16954 TABLE DATA tenant_acme channel_products app owner',
      '4350; 0 16955 TABLE DATA tenant_acme order lines app owner',
      '4351; 0 16956 TABLE DATA tenant_acme stray app owner',
      '',
    ].join('\n');
    const known = [{ schema: 'tenant_acme', table: 'channel_products' }, { schema: 'tenant_acme', table: 'order lines' }];
    expect([...tableDataEntries(list, known)].sort()).toEqual(['tenant_acme channel_products', 'tenant_acme order lines', 'tenant_acme stray']);
  });

  it('names missing, recounted, altered and unexpected tables', () => {
    const expected = [
      { schema: 's', table: 'a', chunk: 'c', rows: 1, checksum: 'x' },
      { schema: 's', table: 'b', chunk: 'c', rows: 2, checksum: 'y' },
      { schema: 's', table: 'c', chunk: 'c', rows: 3, checksum: 'z' },
    ];
    const restored = [
      { schema: 's', table: 'b', rows: 3, checksum: 'y' },
      { schema: 's', table: 'c', rows: 3, checksum: 'q' },
      { schema: 's', table: 'd', rows: 0, checksum: 'w' },
    ];
    expect(compareTables(expected, restored).map((f) => f.message)).toEqual([
      's.a is missing from the restored copy',
      's.b has 3 rows in the restored copy, the manifest says 2',
      's.c content checksum differs from the manifest (same 3 rows, different data)',
      's.d is in the restored copy but not in the manifest',
    ]);
  });
});
