// Writes fixtures/products.csv, fixtures/orders.csv (deterministic, from csv-data.mjs)
// and fixtures/broken/*.csv (deliberately broken rows the tests expect, line by line).
// Run: node bench/csv-fixtures.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHANNELS, line, ORDER_COLUMNS, orderRows, product, PRODUCT_COLUMNS, rng } from './csv-data.mjs';

const root = fileURLToPath(new URL('../fixtures/', import.meta.url));
const PRODUCTS = 300;
const ORDERS = 150;

const productAt = (k) => product(rng(1000 + (k % PRODUCTS)), k % PRODUCTS);

let products = line(PRODUCT_COLUMNS);
for (let i = 0; i < PRODUCTS; i += 1) {
  const p = productAt(i);
  products += line(PRODUCT_COLUMNS.map((c) => p[c]));
}

const r = rng(42);
let orders = line(ORDER_COLUMNS);
for (let i = 0; i < ORDERS; i += 1) {
  for (const row of orderRows(r, i, r.int(1, 4), productAt)) orders += line(ORDER_COLUMNS.map((c) => row[c]));
}

mkdirSync(`${root}broken`, { recursive: true });
writeFileSync(`${root}products.csv`, products);
writeFileSync(`${root}orders.csv`, orders);

// Broken products: every line after the header has exactly one problem (see test/csv).
const ok = (i, patch = {}) => {
  const p = { ...productAt(i), ...patch };
  return line(PRODUCT_COLUMNS.map((c) => p[c]));
};
const brokenProducts = [
  line(PRODUCT_COLUMNS),
  ok(0), //                                                      line 2: fine
  ok(1, { selling_price: '12,50' }), //                          line 3: not a number
  ok(2, { weight_grams: '1.5kg' }), //                           line 4: not a whole number
  ok(3, { sku: null }), //                                       line 5: sku missing
  ok(4, { dimensions: '{"length": 10,' }), //                    line 6: broken JSON
  ok(5, { is_active: 'maybe' }), //                              line 7: not a boolean
  ok(6, { mrp: '123.456' }), //                                  line 8: three decimals
  'ELEC-9999999,Short row,only three fields\n', //               line 9: ragged
  ok(7, { hsn_code: 'H'.repeat(51) }), //                        line 10: too long
  ok(8, { name: "Robert'); DROP TABLE products;--" }), //        line 11: fine (SQL is text)
].join('');
writeFileSync(`${root}broken/products.csv`, brokenProducts);

const or = rng(7);
const orderLines = (i, n, patch = {}) => orderRows(or, i, n, productAt).map((row) => line(ORDER_COLUMNS.map((c) => (c in patch ? patch[c] : row[c]))));
const two = orderLines(1, 2);
const brokenOrders = [
  line(ORDER_COLUMNS),
  ...orderLines(0, 1), //                                        line 2: fine
  two[0], //                                                     line 3: first line of an order
  two[1].replace(/,(cod|upi|card|netbanking|wallet),/, ',bitcoin,'), // line 4: bad payment_method → whole order rejected
  ...orderLines(2, 1, { status: 'lost' }), //                    line 5: status not allowed
  ...orderLines(3, 1, { order_date: '15/03/2024' }), //          line 6: not ISO 8601
  ...orderLines(4, 1, { channel: 'Snapdeal', channel_type: null }), // line 7: unknown channel, no type
  ...orderLines(5, 1, { order_date: '2024-02-30T10:00:00Z' }), // line 8: no such day
].join('');
writeFileSync(`${root}broken/orders.csv`, brokenOrders);
void CHANNELS;
console.log(`wrote ${PRODUCTS} products, ${orders.split('\n').length - 2} order lines (${ORDERS} orders), and broken/*.csv`);
