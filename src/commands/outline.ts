/**
 * What top-level `--help`, `--version`, a bare call and an unknown command need of every
 * command group: its name, how help lists it and its one-line description. Answering those
 * from this table instead of loading all twelve groups (and through them postgres.js, csv,
 * prompts…) is what keeps start-up near `node -e 0`. test/cli/command-groups.unit.test.ts
 * checks that this outline prints exactly the help of the loaded groups, so it cannot drift.
 */
export const GROUP_OUTLINE: Record<string, { term: string; description: string }> = {
  demo: { term: 'demo [options]', description: 'one-command tour: starts the embedded PostgreSQL if needed, migrates, provisions demo tenants, loads fixtures (--profile imsop|abparts|prometric: the pooled tour)' },
  db: { term: 'db', description: 'run the embedded PostgreSQL (a real server under .tenantctl/, no install needed)' },
  migrate: { term: 'migrate', description: 'migrate the shared schema and every tenant schema (status, up, down, new, verify, adopt, baseline)' },
  import: { term: 'import [options] <entity> <file>', description: 'load a CSV of products or orders into one tenant (one transaction: all rows or none; --max-errors loads the rest and exits 1)' },
  export: { term: 'export [options] <entity>', description: "write one tenant's products or orders as CSV (re-importable; ordered by natural key)" },
  backup: { term: 'backup', description: 'backups proven restorable: create, verify, log, restore one tenant, prune' },
  monitor: { term: 'monitor', description: 'slow queries, sizes per table and tenant, indexes, bloat, sessions, vacuum, sequences; health checks for cron/Nagios' },
  tenant: { term: 'tenant', description: 'tenant lifecycle: create, list, show, suspend, resume, plan, features, export, erase (GDPR), receipts, pool' },
  fixtures: { term: 'fixtures', description: 'sample data for CI, benchmarks and demos (load, generate)' },
  maintain: { term: 'maintain [options]', description: 'nightly upkeep for cron: retention, partitions, matviews, analyze, pool; one run at a time (exit 75 if another holds the lock)' },
  profile: { term: 'profile', description: 'tenancy profiles: how each system keeps its tenants (list, show, check against a live database)' },
  citus: { term: 'citus', description: 'Citus clusters: what blocks distributing tenants (check), converting tenant schemas into distributed schemas (distribute)' },
};
