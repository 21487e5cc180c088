#!/usr/bin/env node
import { main } from '../dist/cli.js';

// `tenantctl … | head` closes the pipe early: stop quietly, as Unix tools do, not with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw error;
});

process.exitCode = await main(process.argv);
