// How fast could a csv-parse based importer read the benchmark file at best? (Parsing only,
// no database.) Compared with the byte scanner tenantctl puts in front of COPY.
// Usage: node bench/csv-parse-speed.mjs <file.csv>
import { createReadStream, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse';
import { RecordScanner } from '../dist/csv/scanner.js';

const file = process.argv[2];
const mib = statSync(file).size / 1048576;
const sink = () => new Writable({ objectMode: true, write: (_c, _e, cb) => cb() });

let t = Date.now();
let records = 0;
await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), parse({ relax_column_count: false }), new Writable({ objectMode: true, write: (_c, _e, cb) => { records += 1; cb(); } }));
const parseSeconds = (Date.now() - t) / 1000;

t = Date.now();
const header = 10;
const scanner = new RecordScanner({ delimiter: 0x2c, fields: header, firstLine: 1, eol: 'lf', onReject: () => undefined });
await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), scanner, sink());
const scanSeconds = (Date.now() - t) / 1000;

console.log(`csv-parse: ${records} records in ${parseSeconds.toFixed(1)} s = ${(mib / parseSeconds).toFixed(0)} MiB/s`);
console.log(`tenantctl scanner: ${scanner.records} records in ${scanSeconds.toFixed(1)} s = ${(mib / scanSeconds).toFixed(0)} MiB/s`);
