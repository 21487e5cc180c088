#!/usr/bin/env node
// The bundle (scripts/bundle.mjs): one file per command group, loaded only when it runs.
import { main } from '../dist/bundle/cli.js';

// `tenantctl … | head` closes the pipe early: stop quietly, as Unix tools do, not with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw error;
});

process.exitCode = await main(process.argv);
