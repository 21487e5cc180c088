// Deterministic product and order rows in the flavour of the seed (Indian e-commerce:
// INR, +91 phone numbers, Indian cities and PIN codes, GST rates, HSN codes). The same
// seed always gives the same bytes: fixtures/*.csv and the benchmark files come from here.

/** mulberry32: a tiny seeded PRNG, good enough for realistic-looking data. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

/** A CSV field: NULL → empty, '' → "", quoted when it holds a comma, quote or line break. */
export function field(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (text === '') return '""';
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function line(values) {
  return values.map(field).join(',') + '\n';
}

const CATEGORIES = [
  ['Electronics', 'ELEC', '8517', 18, ['boAt', 'Noise', 'realme', 'Mi', 'JBL', 'Portronics'], ['Wireless Earbuds', 'Bluetooth Speaker', 'Smart Watch', 'Power Bank 10000mAh', 'USB-C Cable 1m', 'Neckband']],
  ['Fashion', 'FASH', '6109', 5, ['FabIndia', 'Biba', 'W', 'Peter England', 'Allen Solly', 'Manyavar'], ['Cotton Kurta', 'Printed Saree', 'Slim Fit Shirt', 'Palazzo Set', 'Nehru Jacket', 'Dupatta']],
  ['Home & Kitchen', 'HOME', '7323', 12, ['Prestige', 'Pigeon', 'Milton', 'Borosil', 'Hawkins', 'Cello'], ['Pressure Cooker 3L', 'Non-stick Tawa', 'Steel Water Bottle', 'Glass Lunch Box', 'Idli Maker', 'Masala Dabba']],
  ['Beauty', 'BEAU', '3304', 18, ['Lakme', 'Mamaearth', 'Biotique', 'Himalaya', "Forest Essentials", 'Nykaa'], ['Kajal', 'Face Wash 100ml', 'Sunscreen SPF 50', 'Hair Oil 200ml', 'Lip Balm', 'Ubtan Face Pack']],
  ['Grocery', 'GROC', '0910', 5, ['Tata', 'Aashirvaad', 'MDH', 'Everest', 'Fortune', 'Haldiram\'s'], ['Garam Masala 100g', 'Basmati Rice 5kg', 'Atta 10kg', 'Toor Dal 1kg', 'Bhujia 400g', 'Assam Tea 500g']],
];
const COLOURS = ['Black', 'Blue', 'Maroon', 'Mustard', 'Teal', 'Ivory', 'Red', 'Green'];
const CITIES = [
  ['Mumbai', 'Maharashtra', '4000'], ['Pune', 'Maharashtra', '4110'], ['Bengaluru', 'Karnataka', '5600'], ['Chennai', 'Tamil Nadu', '6000'],
  ['Hyderabad', 'Telangana', '5000'], ['New Delhi', 'Delhi', '1100'], ['Kolkata', 'West Bengal', '7000'], ['Jaipur', 'Rajasthan', '3020'],
  ['Ahmedabad', 'Gujarat', '3800'], ['Lucknow', 'Uttar Pradesh', '2260'], ['Kochi', 'Kerala', '6820'], ['Indore', 'Madhya Pradesh', '4520'],
];
const FIRST = ['Aarav', 'Priya', 'Rohan', 'Ananya', 'Vikram', 'Sneha', 'Arjun', 'Kavya', 'Rahul', 'Meera', 'Aditya', 'Isha', 'Karthik', 'Diya', 'Siddharth', 'Pooja'];
const LAST = ['Sharma', 'Iyer', 'Patel', 'Reddy', 'Nair', 'Gupta', 'Mukherjee', 'Singh', 'Desai', 'Khan', 'Menon', 'Joshi', "D'Souza", 'Chatterjee'];
const STREETS = ['MG Road', 'Linking Road', 'Anna Salai', 'Park Street', 'Brigade Road', 'FC Road', 'Banjara Hills Rd No. 12', 'Civil Lines'];

const money = (n) => n.toFixed(2);

/** Product CSV columns: all 15, or the 10 the COPY benchmark uses. */
export const PRODUCT_COLUMNS = ['sku', 'name', 'description', 'category', 'brand', 'weight_grams', 'dimensions', 'hsn_code', 'cost_price', 'selling_price', 'mrp', 'tax_rate', 'images', 'attributes', 'is_active'];
export const BENCH_PRODUCT_COLUMNS = ['sku', 'name', 'description', 'category', 'brand', 'weight_grams', 'hsn_code', 'cost_price', 'selling_price', 'mrp'];

/** Product number i (0-based) as an object keyed by column. */
export function product(r, i) {
  const [category, code, hsn, tax, brands, items] = r.pick(CATEGORIES);
  const brand = r.pick(brands);
  const item = r.pick(items);
  const colour = r.pick(COLOURS);
  const mrp = r.int(99, 4999) + (r.chance(0.5) ? 0 : 0.5);
  const selling = Math.round(mrp * (0.6 + r.next() * 0.35) * 100) / 100;
  const cost = Math.round(selling * (0.5 + r.next() * 0.3) * 100) / 100;
  const quoted = r.chance(0.05);
  return {
    sku: `${code}-${String(i + 1).padStart(7, '0')}`,
    name: `${brand} ${item} - ${colour}`,
    description: quoted ? `${item} by ${brand}, "${colour}" edition.\nGST ${tax}% included.` : `${item} by ${brand}, ${colour}`,
    category,
    brand,
    weight_grams: r.int(50, 5000),
    dimensions: r.chance(0.7) ? { length: r.int(5, 60), width: r.int(5, 40), height: r.int(1, 30), unit: 'cm' } : null,
    hsn_code: hsn,
    cost_price: money(cost),
    selling_price: money(selling),
    mrp: money(mrp),
    tax_rate: money(tax),
    images: [`https://cdn.example.in/p/${code.toLowerCase()}-${i + 1}-1.jpg`],
    attributes: { color: colour, ...(category === 'Fashion' ? { size: r.pick(['S', 'M', 'L', 'XL']) } : {}) },
    is_active: r.chance(0.95) ? 'true' : 'false',
  };
}

export const CHANNELS = [
  ['Shopify Store', 'shopify', 'SHP'], ['Amazon India', 'amazon', '405'], ['Flipkart', 'flipkart', 'OD'], ['Meesho', 'meesho', 'MSH'],
];

export const ORDER_COLUMNS = [
  'channel', 'channel_type', 'external_order_id', 'order_number', 'external_order_number', 'status', 'payment_status', 'fulfillment_status',
  'customer_name', 'customer_email', 'customer_phone', 'shipping_address', 'billing_address', 'subtotal', 'discount_amount', 'tax_amount',
  'shipping_amount', 'total_amount', 'currency', 'payment_method', 'payment_gateway', 'payment_reference', 'order_date', 'confirmed_at',
  'shipped_at', 'delivered_at', 'cancelled_at', 'notes', 'tags', 'metadata',
  'item_sku', 'item_name', 'item_quantity', 'item_unit_price', 'item_discount_amount', 'item_tax_amount', 'item_total_amount',
  'item_fulfilled_quantity', 'item_external_product_id', 'item_external_variant_id', 'item_metadata',
];

const STATUSES = [['delivered', 50], ['shipped', 15], ['confirmed', 10], ['pending', 10], ['processing', 5], ['cancelled', 7], ['returned', 3]];
function weighted(r, table) {
  let x = r.next() * 100;
  for (const [value, weight] of table) if ((x -= weight) < 0) return value;
  return table[0][0];
}
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * Order number i with its lines: one CSV row per line, order columns repeated. `skus`
 * is how many catalogue products lines may point at (product i has sku from product()).
 */
export function orderRows(r, i, lines, productAt) {
  const [channel, type, prefix] = r.pick(CHANNELS);
  const first = r.pick(FIRST);
  const last = r.pick(LAST);
  const [city, state, pin] = r.pick(CITIES);
  const phone = `${r.pick(['98', '97', '99', '88', '70', '63'])}${String(r.int(0, 99999999)).padStart(8, '0')}`;
  const address = { name: `${first} ${last}`, phone, line1: `${r.int(1, 480)}, ${r.pick(STREETS)}`, line2: r.chance(0.4) ? `Flat ${r.int(101, 1204)}` : null, city, state, postal_code: `${pin}${String(r.int(1, 99)).padStart(2, '0')}`, country: 'IN' };
  const status = weighted(r, STATUSES);
  const method = r.pick(['cod', 'upi', 'card', 'netbanking', 'wallet', 'upi']);
  const day = Date.UTC(2023, 0, 1) + r.int(0, 729) * 86_400_000 + r.int(0, 86_399) * 1000;
  const items = [];
  for (let n = 0; n < lines; n += 1) {
    const p = productAt(r.int(0, 1_000_000_000));
    const qty = r.int(1, 3);
    const unit = Number(p.selling_price);
    items.push({ p, qty, unit, total: Math.round(qty * unit * 100) / 100 });
  }
  const subtotal = items.reduce((s, it) => s + it.total, 0);
  const discount = r.chance(0.3) ? Math.round(subtotal * 0.1 * 100) / 100 : 0;
  const shipping = subtotal > 499 ? 0 : 49;
  const tax = Math.round((subtotal - discount) * 0.18 * 100) / 100;
  const total = Math.round((subtotal - discount + shipping + tax) * 100) / 100;
  const at = (hours) => (['pending'].includes(status) ? null : iso(day + hours * 3_600_000));
  const order = {
    channel, channel_type: type, external_order_id: `${prefix}-${String(1_000_000 + i)}`, order_number: `ORD-${String(i + 1).padStart(7, '0')}`,
    external_order_number: r.chance(0.5) ? `#${10_000 + i}` : null, status,
    payment_status: status === 'cancelled' ? 'refunded' : method === 'cod' ? (status === 'delivered' ? 'paid' : 'cod') : 'paid',
    fulfillment_status: ['shipped', 'delivered', 'returned'].includes(status) ? 'fulfilled' : 'unfulfilled',
    customer_name: `${first} ${last}`, customer_email: r.chance(0.85) ? `${first}.${last}${i % 97}@example.in`.toLowerCase().replace(/'/g, '') : null,
    customer_phone: r.chance(0.5) ? `+91${phone}` : phone, shipping_address: address, billing_address: r.chance(0.3) ? address : null,
    subtotal: money(subtotal), discount_amount: money(discount), tax_amount: money(tax), shipping_amount: money(shipping), total_amount: money(total),
    currency: 'INR', payment_method: method, payment_gateway: method === 'cod' ? null : r.pick(['razorpay', 'payu', 'cashfree']),
    payment_reference: method === 'cod' ? null : `pay_${(i * 7919 + 104729).toString(36).toUpperCase()}`,
    order_date: iso(day), confirmed_at: at(2), shipped_at: ['shipped', 'delivered', 'returned'].includes(status) ? at(30) : null,
    delivered_at: ['delivered', 'returned'].includes(status) ? at(96) : null, cancelled_at: status === 'cancelled' ? at(5) : null,
    notes: r.chance(0.1) ? 'Leave with the watchman, "Gate 2"' : null, tags: r.chance(0.3) ? ['priority'] : [], metadata: { source: 'csv-fixture' },
  };
  return items.map((it) => ({
    ...order,
    item_sku: it.p.sku, item_name: it.p.name, item_quantity: it.qty, item_unit_price: money(it.unit), item_discount_amount: money(0),
    item_tax_amount: money(Math.round(it.total * 0.18 * 100) / 100), item_total_amount: money(it.total), item_fulfilled_quantity: order.fulfillment_status === 'fulfilled' ? it.qty : 0,
    item_external_product_id: null, item_external_variant_id: null, item_metadata: {},
  }));
}
