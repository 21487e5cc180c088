// Generate the benchmark CSV files (deterministic): N products with the 10 columns of the
// issue's benchmark, and M orders with L lines each.
// Usage: node bench/csv-generate.mjs products <file> [rows=1000000]
//        node bench/csv-generate.mjs orders <file> [orders=200000] [lines=3]
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { BENCH_PRODUCT_COLUMNS, line, ORDER_COLUMNS, orderRows, product, rng } from './csv-data.mjs';

const [kind, file, a, b] = process.argv.slice(2);
const out = createWriteStream(file, { highWaterMark: 1 << 20 });
const write = async (text) => {
  if (!out.write(text)) await once(out, 'drain');
};
if (kind === 'products') {
  const rows = Number(a ?? 1_000_000);
  await write(line(BENCH_PRODUCT_COLUMNS));
  let batch = '';
  for (let i = 0; i < rows; i += 1) {
    const p = product(rng(i + 1), i);
    batch += line(BENCH_PRODUCT_COLUMNS.map((c) => p[c]));
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch);
} else if (kind === 'orders') {
  const orders = Number(a ?? 200_000);
  const lines = Number(b ?? 3);
  const catalogue = (k) => product(rng((k % 10_000) + 1), k % 10_000);
  const r = rng(4242);
  await write(line(ORDER_COLUMNS));
  let batch = '';
  for (let i = 0; i < orders; i += 1) {
    for (const row of orderRows(r, i, lines, catalogue)) batch += line(ORDER_COLUMNS.map((c) => row[c]));
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch);
} else {
  console.error('usage: node bench/csv-generate.mjs products|orders <file> [count] [lines]');
  process.exit(2);
}
out.end();
await once(out, 'finish');
