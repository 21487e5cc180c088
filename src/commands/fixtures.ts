import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { Io } from '../context.js';
import { usageError } from '../errors.js';
import type { Pool } from '../db/connect.js';
import type { GenerateReport } from '../fixtures/generate.js';
import type { PooledGenerateReport } from '../fixtures/pooled/generate.js';
import type { PooledFixtureRecipe } from '../fixtures/pooled/recipe.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import type { TenancyStrategy } from '../tenancy/strategy.js';
import { emit, emitRows } from '../output/emit.js';
import { formatCount, formatDuration, formatRecord } from '../output/format.js';
import { progress } from '../output/progress.js';
import { migrationsDir } from './migrate-files.js';
import { nonNegativeInt, optionsOf, positiveInt, withProfile } from './shared.js';

interface GenerateFlags {
  tenants: number;
  products: number;
  orders: number;
  seed: number;
  prefix: string;
  concurrency: number;
  migrationsDir?: string;
}

/** The report as printed: the seed is the number the user gave (JSON `"seed": 7`, not `"7"`). */
type ShownReport = Omit<GenerateReport, 'seed'> & { seed: number };

function renderGenerate(report: ShownReport): string {
  const t = report.tenants;
  return formatRecord({
    tenants: `${t.slugs.first} … ${t.slugs.last}: ${t.created} created, ${t.loaded} loaded (${t.replaced} replaced), ${t.skipped} already up to date`,
    'rows loaded': `${formatCount(report.rows.products)} products, ${formatCount(report.rows.orders)} orders, ${formatCount(report.rows.orderItems)} order lines, ${formatCount(report.rows.salesChannels)} channels`,
    seed: String(report.seed),
    ...(report.nodes ? { nodes: Object.entries(report.nodes).map(([node, n]) => `${node}: ${formatCount(n)} new`).join(', ') || 'no new tenant' } : {}),
    checksum: report.checksum,
    took: `${formatDuration(report.durationMs)} (work summed over parallel tenants: schemas ${formatDuration(report.phases.schemasMs)}, generating ${formatDuration(report.phases.generateMs)}, loading ${formatDuration(report.phases.loadMs)})`,
  });
}

function renderPooled(report: Omit<PooledGenerateReport, 'seed'> & { seed: number }): string {
  const t = report.tenants;
  const rows = Object.entries(report.rows).filter(([, n]) => n > 0);
  return formatRecord({
    profile: report.profile,
    organizations: `${t.handles.first} … ${t.handles.last}: ${t.created} created, ${t.skipped} already up to date`,
    'rows loaded': rows.length ? rows.map(([table, n]) => `${table} ${formatCount(n)}`).join(', ') : 'none (nothing to do)',
    'across organizations': Object.entries(report.crossings).map(([kind, n]) => `${kind} ${formatCount(n)}`).join(', ') || 'none',
    seed: String(report.seed),
    checksum: report.checksum,
    took: formatDuration(report.durationMs),
  });
}

/** The commerce generator (a schema per tenant, worker thread, parallel loads). */
async function generateSchemaTenants(io: Io, sql: Pool, strategy: TenancyStrategy, options: GenerateFlags & { json?: boolean }): Promise<void> {
  // The generators (and the worker thread's module) load when fixtures generate runs.
  const { generateFixtures } = await import('../fixtures/generate.js');
  const bar = progress(io, 'fixtures: tenants', options.tenants);
  try {
    const report = await generateFixtures(
      sql,
      { tenants: options.tenants, products: options.products, orders: options.orders, seed: String(options.seed), prefix: options.prefix },
      { strategy, migrationsDir: migrationsDir(io, options.migrationsDir), concurrency: options.concurrency, onProgress: (done) => bar.update(done) },
    );
    bar.done();
    emit(io, options, { ...report, seed: options.seed }, renderGenerate);
  } finally {
    bar.done();
  }
}

/** A pooled profile's generator: its recipe, loaded in one transaction. */
async function generateOrganizations(io: Io, sql: Pool, profile: TenancyProfile, recipe: () => Promise<PooledFixtureRecipe>, options: GenerateFlags & { json?: boolean }): Promise<void> {
  const { generatePooledFixtures } = await import('../fixtures/pooled/generate.js');
  const report = await generatePooledFixtures(sql, profile, await recipe(), { tenants: options.tenants, products: options.products, orders: options.orders, seed: String(options.seed), prefix: options.prefix });
  emit(io, options, { ...report, seed: options.seed }, renderPooled);
}

/** `tenantctl fixtures generate`: deterministic synthetic tenants, catalogs and orders. */
export function registerFixtures(program: Command, io: Io): void {
  const fixtures = program.command('fixtures').description('sample data for CI, benchmarks and demos (load, generate)');

  fixtures
    .command('load [dir]')
    .description('load a folder of CSV fixtures (products.csv, orders.csv) into a tenant, through the same path as import; idempotent')
    .requiredOption('--tenant <slug>', 'tenant to load into')
    .option('--actor <name>', 'who loads them, for the audit trail (default: the OS user)')
    .addHelpText('after', '\nLoads in upsert mode by natural key: loading the same folder twice changes nothing.\n\nExamples:\n  tenantctl fixtures load --tenant acme\n  tenantctl fixtures load ./ci/fixtures --tenant ci_tenant --json')
    .action(async (dir: string | undefined, _o, command: Command) => {
      const options = optionsOf<{ tenant: string; actor?: string }>(command);
      // The tenant (id or the profile's handle: a slug, an organization's name) is checked as import checks it.
      const folder = resolve(io.cwd, dir ?? 'fixtures');
      await withProfile(io, options, async (sql, profile) => {
        const { loadFixtureDir } = await import('../fixtures/load-dir.js');
        const results = await loadFixtureDir(sql, { profile, dir: folder, tenant: options.tenant, actor: options.actor });
        const rows = results.map((r) => ({ entity: r.entity, file: r.file, rows: r.summary.rows, inserted: r.summary.inserted, updated: r.summary.updated, unchanged: r.summary.unchanged, seconds: r.summary.seconds }));
        emitRows(io, options, rows, [
          { key: 'entity' },
          { key: 'file' },
          { key: 'rows', align: 'right' },
          { key: 'inserted', align: 'right' },
          { key: 'updated', align: 'right' },
          { key: 'unchanged', align: 'right' },
          { key: 'seconds', align: 'right', format: (v) => Number(v).toFixed(2) },
        ]);
      });
    });

  fixtures
    .command('generate')
    .description('create N tenants with deterministic products and orders (same seed, same rows), loaded with COPY; pooled profiles: organizations with their rows, some crossing between organizations')
    .requiredOption('--tenants <n>', 'how many tenants (<prefix>_0001 …)', positiveInt('--tenants'))
    .requiredOption('--products <n>', 'products per tenant', positiveInt('--products'))
    .requiredOption('--orders <n>', 'orders per tenant (1–5 lines each)', nonNegativeInt('--orders'))
    .option('--seed <n>', 'seed of the generator (a whole number): the same seed gives byte-identical rows', nonNegativeInt('--seed'), 1)
    .option('--prefix <prefix>', 'tenant slug prefix', 'demo')
    .option('--concurrency <n>', 'tenants loaded in parallel', positiveInt('--concurrency'), 2)
    .option('--migrations-dir <dir>', 'folder with shared/ and tenant/ migration files (default: the platform schema shipped with tenantctl)')
    .addHelpText(
      'after',
      '\nRe-running with the same arguments changes nothing; a fixture tenant generated with other\narguments is replaced (commerce) or refused (pooled profiles: other organizations\' rows point at it);\na tenant that fixtures did not create is never touched.\n\nExamples:\n  tenantctl fixtures generate --tenants 3 --products 50 --orders 200\n  tenantctl fixtures generate --tenants 100 --products 1000 --orders 5000 --seed 7 --json\n  tenantctl --profile imsop fixtures generate --tenants 5 --products 40 --orders 100',
    )
    .action(async (_o, command: Command) => {
      const options = optionsOf<GenerateFlags>(command);
      if (options.orders > 9_999_999) throw usageError('--orders is at most 9,999,999 per tenant.', 'Spread the orders over more tenants with --tenants.');
      if (!/^[a-z][a-z0-9_]{0,30}$/.test(options.prefix)) throw usageError(`--prefix "${options.prefix}" must be lower-case letters, digits and _, starting with a letter (at most 31).`, 'For example --prefix demo.');
      await withProfile(
        io,
        options,
        async (sql, profile) => {
          if (profile.fixtures) return generateOrganizations(io, sql, profile, profile.fixtures, options);
          if (!profile.strategy) throw usageError(`Profile ${profile.name} has no fixture generator.`, 'Load CSV fixtures with `tenantctl fixtures load` instead.');
          const { fixtureSlug } = await import('../fixtures/tenant.js');
          try {
            profile.strategy.schemaFor(fixtureSlug(options.prefix, options.tenants));
          } catch (error) {
            throw usageError(`--prefix "${options.prefix}" does not make valid tenant slugs (${(error as Error).message})`, 'Use lower-case letters, digits and _, starting with a letter, e.g. --prefix demo.');
          }
          return generateSchemaTenants(io, sql, profile.strategy, options);
        },
        options.concurrency + 2,
      );
    });
}
