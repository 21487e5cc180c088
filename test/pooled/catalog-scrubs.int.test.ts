import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { loadSqlFile } from '../profiles/load-profile-sql.js';

/**
 * JSON and array columns no profile declares (customers.tags, orders.custom_fields, a global
 * part's image_urls): another tenant's rows may hold the erased person's e-mail or key there.
 * The post-scan searches them; the erasure must scrub them (replacing only the erased token),
 * the dry run must name them, and every other value must stay byte-identical.
 */
const A = '0a000000-0000-0000-0000-000000000000';
const ALICE = 'a0000000-0000-0000-0000-0000000000a1';

const PROMETRIC_DATA = `
INSERT INTO users(id,email,password_hash,first_name,last_name) VALUES
('${ALICE}','alice@a.example','h','Alice','Anders'),('b0000000-0000-0000-0000-0000000000b1','bob@b.example','h','Bob','Brown');
INSERT INTO organizations(id,name,bin,status) VALUES ('${A}','Org A','111111111111','active'),('0b000000-0000-0000-0000-000000000000','Org B','222222222222','active');
INSERT INTO workspaces(id,organization_id,name,type,status) VALUES ('a1000000-0000-0000-0000-000000000001','${A}','Main','main','active'),('b1000000-0000-0000-0000-000000000001','0b000000-0000-0000-0000-000000000000','Main','main','active');
INSERT INTO employees(id,user_id,organization_id,workspace_id,employee_number,currency,status) VALUES
('a3000000-0000-0000-0000-000000000001','${ALICE}','${A}','a1000000-0000-0000-0000-000000000001','A-001','KZT','active'),
('b3000000-0000-0000-0000-000000000001','b0000000-0000-0000-0000-0000000000b1','0b000000-0000-0000-0000-000000000000','b1000000-0000-0000-0000-000000000001','B-001','KZT','active');
INSERT INTO customers(id,organization_id,workspace_id,customer_number,name,type,status,currency,tags,custom_fields) VALUES
('b5000000-0000-0000-0000-000000000001','0b000000-0000-0000-0000-000000000000','b1000000-0000-0000-0000-000000000001','B-C-1','Berik','INDIVIDUAL','ACTIVE','KZT','{referred-by:alice@a.example,vip,"bob@b.example"}','{"referrer":"alice@a.example","by":"${ALICE}","org":"${A}","n":1,"other":"bob@b.example"}'),
('b5000000-0000-0000-0000-000000000002','0b000000-0000-0000-0000-000000000000','b1000000-0000-0000-0000-000000000001','B-C-2','Bolat','INDIVIDUAL','ACTIVE','KZT','{bob@b.example,  spaced }','{"referrer":"bob@b.example",  "n": 2}'),
('b5000000-0000-0000-0000-000000000003','0b000000-0000-0000-0000-000000000000','b1000000-0000-0000-0000-000000000001','B-C-3','Bakyt','INDIVIDUAL','ACTIVE','KZT','{x.alice@a.example,bob+alice@a.example,mr-alice@a.example,jo_alice@a.example}','{"cc": "X.Alice@a.example", "note":"from mr-alice@a.example.Call back"}');
INSERT INTO orders(id,organization_id,workspace_id,order_number,type,status,priority,currency,payment_status,order_date,created_by,tags,custom_fields) VALUES
('b7000000-0000-0000-0000-000000000001','0b000000-0000-0000-0000-000000000000','b1000000-0000-0000-0000-000000000001','SO-B1','SALES','pending','normal','KZT','pending','2025-01-11','b3000000-0000-0000-0000-000000000001','{alice@a.example}','{"contact":"Alice <alice@a.example>"}');
INSERT INTO deals(id,organization_id,workspace_id,deal_number,title,customer_id,stage,currency,competitive_info) SELECT
'b8000000-0000-0000-0000-000000000001','0b000000-0000-0000-0000-000000000000','b1000000-0000-0000-0000-000000000001','D-B1','Deal','b5000000-0000-0000-0000-000000000001','LEAD','KZT','{"notes":["met alice@a.example"]}';
INSERT INTO system_logs(level,message,tags,timestamp) VALUES ('WARN','platform log','{alice@a.example}',now()),
('INFO','reset sent: email=alice@a.example, not to X.Alice@a.example; bounced alice@a.example_old','{}',now()),('INFO','reset sent: email=x.alice@a.example, cc jo_alice@a.example','{}',now());
`;

describe('prometric: e-mails in undeclared JSON and array columns of other tenants', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(args, { url: db.url });

  beforeAll(async () => {
    db = await createTestDatabase('catalog_scrubs_prometric');
    const up = await runCli(['--profile', 'prometric', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    await db.sql.unsafe(PROMETRIC_DATA);
  });
  afterAll(async () => db.drop());

  it('the dry run names each column it will scrub, with rows; the erasure scrubs only the erased tokens and its post-scan is clean', async () => {
    const dry = await cli(['tenant', 'erase', '111111111111', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    for (const c of ['customers.tags holds the tenant\'s emails in 1 rows: scrub', 'customers.custom_fields holds the tenant\'s emails in 1 rows: scrub',
      'customers.custom_fields holds the tenant\'s ids of users in 1 rows', 'customers.custom_fields holds the tenant\'s tenant-id in 1 rows',
      'orders.tags holds the tenant\'s emails in 1 rows', 'orders.custom_fields holds the tenant\'s emails in 1 rows',
      'deals.competitive_info holds the tenant\'s emails in 1 rows', 'system_logs.tags holds the tenant\'s emails in 1 rows']) {
      expect(dry.stdout).toContain(`personal data: ${c}`);
    }
    expect(dry.stdout).toContain('(a JSON or array column, scrubbed without a declaration)');
    const json = JSON.parse((await cli(['tenant', 'erase', '111111111111', '--dry-run', '--json'])).stdout);
    expect(json.plan.personalData).toContainEqual(expect.objectContaining({ table: 'customers', column: 'tags', holds: 'emails', action: 'scrub', found: 'catalog', rows: 1 }));

    // Another person's mailbox ending in the erased address (x.alice@…, bob+alice@…) is not hers: not counted, not touched.
    const before = await db.sql`select id::text, tags::text, custom_fields::text from customers where id::text !~ '1$' order by id`;
    const otherLog = await db.sql`select message from system_logs where message like '%x.alice%'`;
    expect(dry.stdout).toContain('personal data: system_logs.message holds the tenant\'s emails in 1 rows: scrub');
    const run = await cli(['tenant', 'erase', '111111111111', '--yes', '--confirm', '111111111111']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain('The post-scan found no trace of the tenant');

    const [c1] = await db.sql`select tags, custom_fields from customers where id = 'b5000000-0000-0000-0000-000000000001'`;
    expect(c1!.tags).toEqual(['referred-by:[erased]', 'vip', 'bob@b.example']);
    expect(c1!.custom_fields).toEqual({ referrer: '[erased]', by: '[erased]', org: '[erased]', n: 1, other: 'bob@b.example' });
    expect(await db.sql`select id::text, tags::text, custom_fields::text from customers where id::text !~ '1$' order by id`).toEqual(before);
    expect(await db.sql`select message from system_logs where message like '%x.alice%'`).toEqual(otherLog);
    expect(await db.sql`select message from system_logs where message like 'reset sent: email=[%'`).toEqual([{ message: 'reset sent: email=[erased], not to X.Alice@a.example; bounced [erased]_old' }]);
    const [o] = await db.sql`select tags, custom_fields from orders`;
    expect(o).toEqual({ tags: ['[erased]'], custom_fields: { contact: 'Alice <[erased]>' } });
    expect((await db.sql`select competitive_info from deals`)[0]!.competitive_info).toEqual({ notes: ['met [erased]'] });
    expect((await db.sql`select tags from system_logs where message = 'platform log'`)[0]!.tags).toEqual(['[erased]']);
    expect((await db.sql`select email from users`).map((r) => r.email)).toEqual(['bob@b.example']);
  });
});

describe('imsop and abparts: erased keys and e-mails in JSON and text arrays nobody declared', () => {
  let imsop: TestDatabase;
  let abparts: TestDatabase;

  beforeAll(async () => {
    imsop = await createTestDatabase('catalog_scrubs_imsop');
    abparts = await createTestDatabase('catalog_scrubs_abparts');
    for (const [db, profile] of [[imsop, 'imsop'], [abparts, 'abparts']] as const) {
      const up = await runCli(['--profile', profile, 'migrate', 'up'], { url: db.url });
      expect(up.code, up.stderr).toBe(0);
      await loadSqlFile(db.sql, join(import.meta.dirname, '..', 'profiles', 'data', `${profile}-crossing.sql`));
    }
  });
  afterAll(async () => {
    await imsop.drop();
    await abparts.drop();
  });

  it('imsop: another tenant\'s analytics metadata holding the erased person\'s key is scrubbed, and the post-scan is clean', async () => {
    const carla = '00000002-0000-4000-8000-0000000000c1';
    // `user-<id>` holds the id; `<id>ff` is another token (hex runs on), left as it is.
    await imsop.sql`update analytics_events set metadata = (${`{"approved_by": "${carla}", "ref": "user-${carla}", "other": "${carla}ff", "delta": 3}`}::text)::json where id = (select min(id::text)::uuid from analytics_events where organization_id = '00000001-0000-4000-8000-0000000000b0')`;
    const others = await imsop.sql`select id::text, metadata::text from analytics_events where organization_id <> '00000001-0000-4000-8000-0000000000c0' and metadata::text not like ${`%${carla}%`} order by id`;
    const cli = (args: string[]) => runCli(args, { url: imsop.url });
    const dry = await cli(['tenant', 'erase', 'Cobalt Medical Supply', '--dry-run']);
    expect(dry.stdout).toContain('personal data: analytics_events.metadata holds the tenant\'s ids of users in 1 rows: scrub (a JSON or array column, scrubbed without a declaration)');
    const run = await cli(['tenant', 'erase', 'Cobalt Medical Supply', '--yes', '--confirm', 'Cobalt Medical Supply']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect((await imsop.sql`select metadata::text as m from analytics_events where metadata::text like '%approved_by%'`)[0]!.m).toBe(`{"approved_by": "[erased]", "ref": "user-[erased]", "other": "${carla}ff", "delta": 3}`);
    expect(await imsop.sql`select id::text, metadata::text from analytics_events where organization_id <> '00000001-0000-4000-8000-0000000000c0' and metadata::text not like '%approved_by%' order by id`).toEqual(others);
  });

  it('abparts: a global part\'s image_urls (text[]) naming the erased person\'s e-mail is scrubbed element by element', async () => {
    const org = '01aa0000-0000-4000-8000-000000000001';
    await abparts.sql`update organizations set parent_organization_id = '01bb0000-0000-4000-8000-000000000001' where parent_organization_id = ${org}`;
    await abparts.sql`update parts set image_urls = array['https://cdn.example/x.jpg', 'mailto:anna.berg@kaspianfish.example', 'anna.berg@kaspianfish.example'] where id = '04000000-0000-4000-8000-000000000001'`;
    const others = await abparts.sql`select id::text, image_urls::text from parts where id <> '04000000-0000-4000-8000-000000000001' order by id`;
    const cli = (args: string[]) => runCli(args, { url: abparts.url });
    const dry = await cli(['tenant', 'erase', 'Kaspian Fish Farms', '--shared-rows', 'tombstone', '--dry-run']);
    expect(dry.stdout).toContain('personal data: parts.image_urls holds the tenant\'s emails in 1 rows: scrub');
    const run = await cli(['tenant', 'erase', 'Kaspian Fish Farms', '--shared-rows', 'tombstone', '--yes', '--confirm', org, '--reason', 'x']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect((await abparts.sql`select image_urls from parts where id = '04000000-0000-4000-8000-000000000001'`)[0]!.image_urls).toEqual(['https://cdn.example/x.jpg', 'mailto:[erased]', '[erased]']);
    expect(await abparts.sql`select id::text, image_urls::text from parts where id <> '04000000-0000-4000-8000-000000000001' order by id`).toEqual(others);
  });
});
