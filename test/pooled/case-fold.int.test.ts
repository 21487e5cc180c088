import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFold } from '../../src/pooled/fold.js';
import { holdsEmail } from '../../src/pooled/personal.js';
import { runCli } from '../support/cli.js';
import { loadSqlFile } from '../profiles/load-profile-sql.js';
import { createTestDatabase, testServerVersionNum, type TestDatabase } from '../support/db.js';

// The ICU locale provider of a database came with PostgreSQL 15.
const icu = (await testServerVersionNum()) >= 150000;

/**
 * E-mails and usernames are case-folded the same way whatever the database's locale
 * (src/pooled/fold.ts): on a tr-TR database lower('I') is the dotless 'ı', and under the C
 * locale lower() folds ASCII only.
 */
describe.skipIf(!icu)(icu ? 'case folding that does not follow the database locale' : 'case folding (skipped: PostgreSQL 14 has no ICU locale provider for a database)', () => {
  let tr: TestDatabase;
  let trPrometric: TestDatabase;
  let trAbparts: TestDatabase;
  let latin1: TestDatabase;
  beforeAll(async () => {
    tr = await createTestDatabase('fold_tr', { encoding: 'UTF8', locale: 'C', icuLocale: 'tr-TR' });
    trPrometric = await createTestDatabase('fold_trp', { encoding: 'UTF8', locale: 'C', icuLocale: 'tr-TR' });
    trAbparts = await createTestDatabase('fold_tra', { encoding: 'UTF8', locale: 'C', icuLocale: 'tr-TR' });
    latin1 = await createTestDatabase('fold_l1', { encoding: 'LATIN1', locale: 'C' });
  });
  afterAll(async () => {
    for (const db of [tr, trPrometric, trAbparts, latin1]) await db?.drop();
  });

  it("imsop on tr-TR: another organization's metadata naming Irina@… is counted, scrubbed, and the post-scan knows it", async () => {
    expect((await tr.sql`select lower('I') as l`)[0]!.l).toBe('ı'); // the database really folds the Turkish way
    const cli = (args: string[]) => runCli(args, { url: tr.url });
    expect((await cli(['--profile', 'imsop', 'migrate', 'up'])).code).toBe(0);
    for (const [name, owner] of [['Irina Org', 'irina@acme.test'], ['Other Org', 'boss@other.test']]) {
      const created = await cli(['tenant', 'create', name!, '--owner-email', owner!, '--json']);
      expect(created.code, created.stderr).toBe(0);
    }
    const [org] = await tr.sql`select id from organizations where name = 'Other Org'`;
    await tr.sql`insert into analytics_events (organization_id, event_type, metadata) values (${org!.id}, 'mail', (${'{"from":"Irina@acme.test","to":"INBOX@other.test"}'}::text)::json)`;
    const dry = JSON.parse((await cli(['tenant', 'erase', 'Irina Org', '--dry-run', '--json'])).stdout);
    expect(dry.plan.personalData.find((p: { table: string; column: string; holds: string }) => p.table === 'analytics_events' && p.column === 'metadata' && p.holds === 'emails')?.rows).toBe(1);
    const erased = await cli(['tenant', 'erase', 'Irina Org', '--yes', '--confirm', 'Irina Org', '--json']);
    expect(erased.code, erased.stderr + erased.stdout).toBe(0);
    expect(JSON.parse(erased.stdout).scan.clean).toBe(true);
    expect((await tr.sql`select metadata::text as m from analytics_events where organization_id = ${org!.id}`)[0]!.m).toBe('{"from":"[erased]","to":"INBOX@other.test"}');
  });

  it('prometric on tr-TR: the owner Irina@Alpha.kz is found again as irina@alpha.kz, not made a second account', async () => {
    const cli = (args: string[]) => runCli(args, { url: trPrometric.url });
    expect((await cli(['--profile', 'prometric', 'migrate', 'up'])).code).toBe(0);
    const first = await cli(['tenant', 'create', '123456789012', '--name', 'Alpha LLP', '--owner-email', 'irina@alpha.kz', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect((await trPrometric.sql`update users set email = 'Irina@Alpha.kz' where email = 'irina@alpha.kz'`).count).toBe(1);
    const second = await cli(['tenant', 'create', '210987654321', '--name', 'Beta LLP', '--owner-email', 'IRINA@alpha.kz', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(await trPrometric.sql`select email from users where email in ('Irina@Alpha.kz', 'irina@alpha.kz', 'IRINA@alpha.kz')`).toEqual([{ email: 'Irina@Alpha.kz' }]);
  });

  it('abparts on tr-TR: an admin e-mail that differs only in case is refused as taken', async () => {
    const cli = (args: string[]) => runCli(args, { url: trAbparts.url });
    expect((await cli(['--profile', 'abparts', 'migrate', 'up'])).code).toBe(0);
    await loadSqlFile(trAbparts.sql, join(import.meta.dirname, '..', 'profiles', 'data', 'abparts-crossing.sql'));
    expect((await trAbparts.sql`update users set email = 'Irina@Alpha.kz' where username = 'kff.admin'`).count).toBe(1);
    const second = await cli(['tenant', 'create', 'Beta Farms', '--admin-email', 'irina@alpha.kz', '--admin-username', 'irina.b']);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain('already has an account');
    // The inviting super admin named by an e-mail that differs in case is found too.
    await trAbparts.sql`update users set email = 'Kristjan.Tamm@Oraseas.example' where username = 'oraseas.admin'`;
    const invited = await cli(['tenant', 'create', 'Gamma Farms', '--admin-email', 'g@gamma.test', '--invited-by', 'KRISTJAN.TAMM@oraseas.example']);
    expect(invited.code, invited.stderr).toBe(0);
  });

  it('LATIN1 under the C locale: IRINA.ZOË2@… is the erased irina.zoë2@… (folded beyond ASCII where ICU is there)', async () => {
    const fold = await readFold(latin1.sql);
    const [row] = await latin1.sql`select ${holdsEmail(latin1.sql, latin1.sql`${'Mail from IRINA.ZOË2@FIRMA.TEST today'}::text`, latin1.sql`select ${'irina.zoë2@firma.test'}::text`, fold)} as hit, lower('Ë') as c_lower`;
    expect(row!.c_lower).toBe('Ë'); // the database itself does not fold it
    expect(row!.hit).toBe(fold.icu);
  });
});
