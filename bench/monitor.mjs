#!/usr/bin/env node
// bench/monitor: time each `tenantctl monitor` command against the naive catalog query that
// answers the same question (pg_total_relation_size per row of pg_tables, as the seed
// documents write it), one run each, in one run of this script. Build the database first
// with bench/monitor-fleet.sh (1,000 tenant schemas of the platform schema).
// Usage: DATABASE_URL=postgresql://… node bench/monitor.mjs
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('set DATABASE_URL to the database built by bench/monitor-fleet.sh');
  process.exit(2);
}
const BIN = fileURLToPath(new URL('../bin/tenantctl.js', import.meta.url));

function timed(command, args) {
  const start = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, DATABASE_URL: url }, maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - start;
  return { ms, ok: r.status === 0 || (args[1] === 'check' && r.status !== 3), status: r.status, err: (r.stderr || '').trim().split('\n')[0] };
}
const tenantctl = (args) => timed(process.execPath, [BIN, 'monitor', ...args, '--json']);
const psql = (sql) => timed('psql', [url, '-X', '-qAt', '-o', '/dev/null', '-c', sql]);

const naive = {
  tableSizes: `select schemaname, tablename, pg_total_relation_size(format('%I.%I', schemaname, tablename)) as total
               from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by total desc limit 20`,
  tenantSizes: `select schemaname, sum(pg_total_relation_size(format('%I.%I', schemaname, tablename))) as total,
                       sum(pg_stat_get_live_tuples(format('%I.%I', schemaname, tablename)::regclass)) as rows
                from pg_tables where schemaname like 'tenant\\_%' group by schemaname order by total desc`,
  unusedIndexes: `select schemaname, relname, indexrelname, pg_relation_size(indexrelid) as size
                  from pg_stat_user_indexes where idx_scan = 0 order by size desc limit 50`,
  // The four questions \`monitor indexes\` answers, each the way it is usually written: unused
  // (above), duplicates (the PostgreSQL wiki's "Index Maintenance" query), invalid, hit rate.
  allIndexQuestions: `select schemaname, relname, indexrelname, pg_relation_size(indexrelid) as size
                      from pg_stat_user_indexes where idx_scan = 0 order by size desc limit 50;
                      select pg_size_pretty(sum(pg_relation_size(idx))::bigint) as size, (array_agg(idx))[1] as idx1, (array_agg(idx))[2] as idx2
                      from (select indexrelid::regclass as idx, (indrelid::text || E'\\n' || indclass::text || E'\\n' || indkey::text || E'\\n' ||
                                   coalesce(indexprs::text, '') || E'\\n' || coalesce(indpred::text, '')) as key from pg_index) sub
                      group by key having count(*) > 1 order by sum(pg_relation_size(idx)) desc;
                      select indexrelid::regclass from pg_index where not indisvalid;
                      select sum(idx_blks_hit) * 100.0 / nullif(sum(idx_blks_hit + idx_blks_read), 0) from pg_statio_user_indexes`,
  vacuum: `select schemaname, relname, n_dead_tup, last_autovacuum, pg_total_relation_size(relid) as size
           from pg_stat_user_tables order by n_dead_tup desc, size desc limit 20`,
  sequences: `select * from pg_sequences order by last_value desc nulls last limit 20`,
  slowQueries: `select query, calls, total_exec_time from pg_stat_statements order by total_exec_time desc limit 20`,
};

const facts = spawnSync('psql', [url, '-X', '-qAt', '-c', "select (select count(*) from public.tenants) || ' tenants, ' || (select count(*) from pg_class) || ' relations, ' || (select count(*) from pg_sequence) || ' sequences, PostgreSQL ' || current_setting('server_version')"], { encoding: 'utf8' });
console.log(`database: ${facts.stdout.trim()}`);
console.log(`load: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')} (1/5/15 min) on ${(await import('node:os')).cpus().length} cores\n`);

// Warm the catalog into shared buffers first, so neither side pays for cold reads alone.
psql('select count(*) from pg_class; select count(*) from pg_index; select count(*) from pg_namespace; select count(*) from pg_attribute');

const rows = [
  ['table-sizes --limit 20', tenantctl(['table-sizes', '--limit', '20']), 'pg_total_relation_size per pg_tables row, top 20', psql(naive.tableSizes)],
  ['tenant-sizes', tenantctl(['tenant-sizes']), 'exact sizes grouped per tenant schema', psql(naive.tenantSizes)],
  ['indexes', tenantctl(['indexes']), 'the same four questions from the standard views: unused (pg_stat_user_indexes + pg_relation_size, top 50), duplicates (wiki query), invalid, hit rate (pg_statio_user_indexes)', psql(naive.allIndexQuestions)],
  ['indexes', null, 'its unused-index part alone: pg_stat_user_indexes + pg_relation_size, top 50', psql(naive.unusedIndexes)],
  ['vacuum', tenantctl(['vacuum']), 'pg_stat_user_tables + pg_total_relation_size, top 20', psql(naive.vacuum)],
  // No slow naive form: one statement either way; psql shows what node start-up costs.
  ['sequences', tenantctl(['sequences']), 'no naive form; psql running select * from pg_sequences', psql(naive.sequences), 'reference'],
  ['slow-queries', tenantctl(['slow-queries']), 'no naive form; psql running select … from pg_stat_statements', psql(naive.slowQueries), 'reference'],
  ['bloat', tenantctl(['bloat']), null, null],
  ['connections', tenantctl(['connections']), null, null],
  ['cache', tenantctl(['cache']), null, null],
  ['activity', tenantctl(['activity']), null, null],
  ['check', tenantctl(['check']), null, null],
];

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
console.log('| tenantctl monitor … | time | naive query | time | ratio |');
console.log('| --- | ---: | --- | ---: | ---: |');
let last;
for (const [name, measured, what, theirs, kind] of rows) {
  // A row without its own tenantctl run compares the previous command with a narrower naive query.
  const ours = measured ?? last;
  last = ours;
  const mark = (r) => (r.ok ? fmt(r.ms) : `${fmt(r.ms)} (failed: ${r.err})`);
  const ratio = theirs && theirs.ok ? `${(ours.ms / theirs.ms).toFixed(2)}×${kind === 'reference' ? ' (no target)' : ''}` : theirs ? 'naive failed' : '—';
  console.log(`| ${measured ? name : `${name} (same run)`} | ${mark(ours)} | ${what ?? '—'} | ${theirs ? mark(theirs) : '—'} | ${ratio} |`);
}
console.log('\ntenantctl times are whole processes (node start-up, connect, query, JSON out); psql times likewise.');
