import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.unit.test.ts'],
          // A unit test that imports every command group compiles them all on first use: on a
          // loaded 2-core machine that passed vitest's 5 s default. Not a speed assertion.
          testTimeout: 60_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // Each file works in its own database; long fleet runs are real work, not hangs.
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Two cores: more workers only make files wait for each other on PostgreSQL.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          // Files that must run alone, after the integration group, on a server of their own:
          // conditions that belong to the whole server (replication slots, prepared
          // transactions) would disturb other files' health checks, and kill tests wait for a
          // child process to block, which other files' load can stretch past any timeout.
          name: 'serial',
          include: ['test/**/*.serial.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          // Against the Citus cluster at CITUS_URL (each file makes its own database on every
          // node); without it each file reports as skipped with the reason. One file at a time:
          // moves and rebalances would otherwise measure each other's load.
          name: 'citus',
          include: ['test/**/*.citus.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
