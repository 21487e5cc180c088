import type { Command } from 'commander';
import { resolve } from 'node:path';
import { createToolsShortfall } from '../backup/create.js';
import type { Io } from '../context.js';
import { resolveConnection } from '../db/config.js';
import { embeddedHome, startEmbedded } from '../db/embedded.js';
import { PACKAGE_ROOT } from '../db/queries.js';
import { runPooledDemo, type PooledDemoReport } from '../demo/pooled.js';
import { runDemo, type DemoReport } from '../demo/run.js';
import { TenantctlError } from '../errors.js';
import { emit, writeErr } from '../output/emit.js';
import { formatBytes, formatDuration, formatTable } from '../output/format.js';
import { style } from '../output/style.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { requireServerFor } from '../tenancy/server-minimum.js';
import { migrationsDir } from './migrate-files.js';
import { renderTenantSizes } from './monitor-render.js';
import { optionsOf, withProfile } from './shared.js';
import { printablePlan, renderDetailsAny, renderErasurePlanAny } from './tenant-render.js';

/** The last "try next" line: stopping the server, only when the tour ran on the embedded one (a server of the user's own is not ours to stop). */
const stopLine = (embedded: boolean): string[] => (embedded ? ['  npx tenantctl db stop                               stop the embedded PostgreSQL (data is kept)'] : []);

/**
 * The "try next" line of `backup create`, or, when this machine's client tools cannot back up
 * this server (a PostgreSQL newer than its pg_dump, or none installed), what is needed first.
 */
function backupLines(shortfall: Awaited<ReturnType<typeof createToolsShortfall>>): string[] {
  if (!shortfall) return ['  npx tenantctl backup create                         a backup, then: npx tenantctl backup verify <path>'];
  return [
    '  npx tenantctl backup create                         a backup, once the client tools can dump this server:',
    `      ${shortfall.message}`,
    ...(shortfall.hint ? [`      ${shortfall.hint}`] : []),
  ];
}

function renderTour(io: Io, r: DemoReport & { database: string }, embedded: boolean, backup: string[]): string {
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
    ...backup,
    '  npx tenantctl tenant erase initech --dry-run        what a GDPR erasure would remove',
    ...stopLine(embedded),
  ].join('\n');
}

const quote = (handle: string): string => (/^[\w.@-]+$/.test(handle) ? handle : JSON.stringify(handle));

function renderPooledTour(io: Io, r: PooledDemoReport & { database: string }, embedded: boolean): string {
  const f = r.fixtures;
  const p = `npx tenantctl --profile ${r.profile}`;
  const written = Object.values(f.rows).reduce((a, b) => a + b, 0);
  return [
    style(io, 'bold', `tenantctl demo (profile ${r.profile}, pooled: every organization's rows in one schema) on ${r.database}`),
    `migrated: ${r.migrate.shared?.outcome ?? 'up-to-date'} in ${formatDuration(r.migrate.durationMs)}`,
    `fixtures: ${f.handles.length} organizations (${f.handles[0]} … ${f.handles.at(-1)}): ${f.tenants.created ? `${written} rows loaded in one transaction` : 'already there, unchanged'}; rows crossing organizations: ${Object.entries(f.crossings).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `tenant create: ${r.created.handle} ${r.created.created ? 'provisioned' : 'already there'}`,
    '',
    formatTable(r.list, [
      { key: 'slug', header: 'organization' },
      { key: 'status' },
      { key: 'plan' },
      { key: 'sizeBytes', header: 'size', align: 'right', format: (v) => formatBytes(v as number) },
    ], io.color),
    '',
    `tenant show ${quote(r.created.handle)}:`,
    renderDetailsAny(io, r.show),
    '',
    `tenant erase ${quote(r.erasePlan.tenant)} --dry-run (other organizations' rows point at it):`,
    renderErasurePlanAny(io, r.erasePlan.plan),
    '(dry run: nothing was changed)',
    '',
    'monitor tenant-sizes (after ANALYZE):',
    renderTenantSizes(io, r.sizes),
    '',
    'Try next:',
    `  ${p} tenant show ${quote(f.handles[0]!)}`,
    `  ${p} tenant erase ${quote(r.erasePlan.tenant)} --dry-run`,
    `  ${p} fixtures generate --tenants 20 --products 100 --orders 500 --prefix more`,
    `  ${p} monitor tenant-sizes --exact --tenant ${quote(f.handles[0]!)}`,
    `  ${p} maintain --dry-run`,
    ...stopLine(embedded),
  ].join('\n');
}

/** The tour of a profile with a fixture recipe (pooled), for people and as one JSON document. */
async function pooledTour(io: Io, options: { json?: boolean; migrationsDir?: string }, sql: Parameters<typeof runPooledDemo>[0], profile: TenancyProfile, database: string, embedded: boolean, say: (text: string) => void): Promise<void> {
  const report = await runPooledDemo(sql, { profile, recipe: await profile.fixtures!(), migrationsDir: migrationsDir(io, options.migrationsDir), actor: 'tenantctl demo', onStep: say });
  emit(io, options, { database, ...report, erasePlan: { tenant: report.erasePlan.tenant, plan: printablePlan(report.erasePlan.plan) } }, () => renderPooledTour(io, { database, ...report }, embedded));
}

/** `tenantctl demo`: the README's first command. */
export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description('one-command tour: starts the embedded PostgreSQL if needed, migrates, provisions demo tenants, loads fixtures (--profile imsop|abparts|prometric: the pooled tour)')
    .option('--fixtures-dir <dir>', 'folder with products.csv and orders.csv (default: the fixtures shipped with tenantctl)')
    .option('--migrations-dir <dir>', 'folder with shared/ and tenant/ migration files')
    .addHelpText('after', '\nRuns again cleanly: existing demo tenants are kept and the fixtures are upserted (pooled: kept).\n\nExamples:\n  npx tenantctl demo\n  npx tenantctl --profile imsop demo\n  npx tenantctl --profile abparts demo --json')
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
      await withProfile(io, options, async (sql, profile, config) => {
        await requireServerFor(sql, profile);
        const embedded = config.source === 'embedded';
        if (profile.fixtures) return pooledTour(io, options, sql, profile, config.display, embedded, say);
        const report = await runDemo(sql, {
          profile,
          migrationsDir: migrationsDir(io, options.migrationsDir),
          fixturesDir: resolve(io.cwd, options.fixturesDir ?? `${PACKAGE_ROOT}fixtures`),
          onStep: say,
        });
        const backup = backupLines(await createToolsShortfall(sql, { env: io.env }));
        emit(io, options, { database: config.display, ...report }, (r) => renderTour(io, r, embedded, backup));
      }, 10);
    });
}
