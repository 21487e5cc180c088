import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { Io } from '../context.js';
import { resolveConnection } from '../db/config.js';
import { embeddedHome, startEmbedded } from '../db/embedded.js';
import { PACKAGE_ROOT } from '../db/queries.js';
import { runDemo, type DemoReport } from '../demo/run.js';
import { TenantctlError } from '../errors.js';
import { emit, writeErr } from '../output/emit.js';
import { formatBytes, formatDuration, formatTable } from '../output/format.js';
import { style } from '../output/style.js';
import { DEFAULT_PROFILE } from '../tenancy/profiles/index.js';
import { migrationsDir } from './migrate.js';
import { optionsOf, withDatabase } from './shared.js';

function renderTour(io: Io, r: DemoReport & { database: string }): string {
  const created = r.tenants.filter((t) => t.created).map((t) => t.slug);
  const loaded = r.fixtures.map((f) => `${f.slug}: ${f.files.map((x) => `${x.entity} ${x.summary.rows} CSV rows (${x.summary.inserted} new, ${x.summary.updated} updated, ${x.summary.unchanged} unchanged)`).join(', ')}`);
  return [
    style(io, 'bold', `tenantctl demo on ${r.database}`),
    `migrated: shared ${r.migrate.shared?.outcome ?? 'up-to-date'}, ${r.migrate.summary.tenants} tenant schema(s) checked in ${formatDuration(r.migrate.durationMs)}`,
    `tenants: ${created.length ? `created ${created.join(', ')}` : 'all three already there'}`,
    ...loaded.map((l) => `fixtures ${l}`),
    '',
    formatTable(r.list, [
      { key: 'slug' },
      { key: 'name' },
      { key: 'plan' },
      { key: 'status' },
      { key: 'schemaVersion', header: 'version' },
      { key: 'sizeBytes', header: 'size', align: 'right', format: (v) => formatBytes(v as number) },
    ], io.color),
    '',
    `A sample export (${r.sampleExport.entity} of ${r.sampleExport.tenant}, first rows):`,
    ...r.sampleExport.lines.map((l) => `  ${l.length > 120 ? `${l.slice(0, 117)}...` : l}`),
    '',
    'Try next:',
    '  npx tenantctl tenant show acme                      everything about one tenant',
    '  npx tenantctl migrate status                        where every tenant schema stands',
    '  npx tenantctl export orders --tenant globex --mask  orders with phones and e-mails masked',
    '  npx tenantctl monitor tenant-sizes                  which tenant is biggest',
    '  npx tenantctl backup create                         a backup, then: npx tenantctl backup verify <path>',
    '  npx tenantctl tenant erase initech --dry-run        what a GDPR erasure would remove',
    '  npx tenantctl db stop                               stop the embedded PostgreSQL (data is kept)',
  ].join('\n');
}

/** `tenantctl demo`: the README's first command. */
export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description('one-command tour: starts the embedded PostgreSQL if needed, migrates, provisions three demo tenants, loads fixtures')
    .option('--fixtures-dir <dir>', 'folder with products.csv and orders.csv (default: the fixtures shipped with tenantctl)')
    .option('--migrations-dir <dir>', 'folder with shared/ and tenant/ migration files')
    .addHelpText('after', '\nRuns again cleanly: existing demo tenants are kept and the fixtures are upserted.\n\nExample:\n  npx tenantctl demo')
    .action(async (_o, command: Command) => {
      const options = optionsOf<{ fixturesDir?: string; migrationsDir?: string }>(command);
      const say = (text: string): void => {
        if (io.stderrIsTTY) writeErr(io, style(io, 'dim', `· ${text}`));
      };
      try {
        await resolveConnection({ databaseUrl: options.databaseUrl, env: io.env, cwd: io.cwd });
      } catch (error) {
        if (!(error instanceof TenantctlError) || error.code !== 'NO_DATABASE') throw error;
        say('no database configured: starting the embedded PostgreSQL under .tenantctl/');
        await startEmbedded({ home: embeddedHome(io.env, io.cwd) });
      }
      await withDatabase(io, options, async (sql, config) => {
        const report = await runDemo(sql, {
          // The demo tours the commerce platform: its fixtures and tenants are commerce's.
          profile: DEFAULT_PROFILE,
          migrationsDir: migrationsDir(io, options.migrationsDir),
          fixturesDir: resolve(io.cwd, options.fixturesDir ?? `${PACKAGE_ROOT}fixtures`),
          onStep: say,
        });
        emit(io, options, { database: config.display, ...report }, (r) => renderTour(io, r));
      }, 10);
    });
}
