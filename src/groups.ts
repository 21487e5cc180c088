import type { Command } from 'commander';
import type { Io } from './context.js';

/** Registers a group's commands; `subcommand` (the word after the group) lets a group register only the one being run. */
export type Register = (program: Command, io: Io, subcommand?: string) => void;

/**
 * Every command group, loaded on demand: a run imports only the group it names. Top-level
 * help, --version and unknown commands load none: they list the groups from GROUP_OUTLINE.
 * `help <group>` loads that group. Order = order in --help.
 * The bundle (scripts/bundle.mjs) replaces this module, in each group's bundle file, by one
 * that holds only that group, and in the outline's by an empty one: a bundle file then holds
 * one group's code, never the others'.
 */
export const GROUPS: Record<string, () => Promise<Register>> = {
  demo: async () => (await import('./commands/demo.js')).registerDemo,
  db: async () => (await import('./commands/db.js')).registerDb,
  migrate: async () => (await import('./commands/migrate.js')).registerMigrate,
  import: async () => (await import('./commands/import.js')).registerImport,
  export: async () => (await import('./commands/export.js')).registerExport,
  backup: async () => (await import('./commands/backup.js')).registerBackup,
  monitor: async () => (await import('./commands/monitor.js')).registerMonitor,
  tenant: async () => (await import('./commands/tenant.js')).registerTenant,
  fixtures: async () => (await import('./commands/fixtures.js')).registerFixtures,
  maintain: async () => (await import('./commands/maintain.js')).registerMaintain,
  profile: async () => (await import('./commands/profile.js')).registerProfile,
  citus: async () => (await import('./commands/citus.js')).registerCitus,
};
