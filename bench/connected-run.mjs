#!/usr/bin/env node
// Runs bench/out/connected/connected.cjs (bench/connected.mjs builds it) as bin/tenantctl.js runs a
// command group's file: through dist/bundle/bundle-loader.js, with V8's code cache kept at exit.
// Usage: node bench/connected-run.mjs select-one --json (DATABASE_URL set); `npm run build` first.
import { fileURLToPath } from 'node:url';

const { loadGroupBundle } = await import('../dist/bundle/bundle-loader.js');
const loaded = loadGroupBundle(fileURLToPath(new URL('./out/connected/connected.cjs', import.meta.url)));
process.once('exit', loaded.keepCache);
process.exitCode = await loaded.bundle.main(process.argv);
