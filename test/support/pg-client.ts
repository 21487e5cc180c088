import { inject } from 'vitest';
import { resolveConnection } from '../../src/db/config.js';
import { connect } from '../../src/db/connect.js';
import { findTool, serverMajor } from '../../src/backup/tools.js';

/**
 * Whether this machine's pg_dump/pg_restore can work with the test server: pg_dump must
 * be at least the server's major. On a PostgreSQL 16/17 test run (TEST_PG_MAJOR) with
 * Debian bookworm's client 15 they cannot, and the backup tests say so instead of failing.
 */
export async function backupClientStatus(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const sql = connect(await resolveConnection({ databaseUrl: inject('adminUrl'), env: {}, cwd: process.cwd() }), { max: 1 });
  let major: number;
  try {
    const [row] = await sql`select current_setting('server_version_num')::int as num`;
    major = serverMajor(Number(row!.num));
  } finally {
    await sql.end();
  }
  for (const tool of ['pg_dump', 'pg_restore'] as const) {
    try {
      await findTool(tool, { env: process.env }, { major, why: `the test server (PostgreSQL ${major})` });
    } catch (error) {
      const reason = `skipped: ${(error as Error).message}`;
      // Printed with the file's output, so the run's log says why these tests did not run.
      console.warn(`[backup tests] ${reason}`);
      return { ok: false, reason };
    }
  }
  return { ok: true };
}
