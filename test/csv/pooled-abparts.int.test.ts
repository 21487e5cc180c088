import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/csv/import.js';
import { abparts } from '../../src/tenancy/profiles/abparts.js';
import { runCli } from '../support/cli.js';
import type { TestDatabase } from '../support/db.js';
import { csvFile, exported, othersChecksum, pooledDatabase, type OwnedThrough } from './pooled-support.js';

/**
 * CSV on ABParts: the parts catalogue is one table shared by every organization, so
 * `products` is that catalogue (written by the platform distributor only, never replaced)
 * and `inventory` is one organization's stock per warehouse (its warehouses only).
 */

const KASPIAN = '01aa0000-0000-4000-8000-000000000001';
const ORASEAS = '010e0000-0000-4000-8000-000000000001';
const STOCK: OwnedThrough[] = [{ table: 'inventory', column: 'warehouse_id', parent: 'warehouses' }];

describe('abparts: the shared parts catalogue and one organization\'s stock', () => {
  let db: TestDatabase;
  const run = (options: Omit<Parameters<typeof importCsv>[1], 'profile'>) => importCsv(db.sql, { profile: abparts, actor: 'test', ...options });
  const everything = () => othersChecksum(db.sql, '00000000-0000-4000-8000-000000000000');
  const others = (org: string) => othersChecksum(db.sql, org, STOCK);

  beforeAll(async () => {
    db = await pooledDatabase('abparts');
  });
  afterAll(async () => db.drop());

  it('the catalogue is imported by the platform distributor only, never in replace mode, and round-trips', async () => {
    const catalogue = await exported(db.sql, abparts, 'Kaspian Fish Farms', 'products');
    expect(catalogue).toMatch(/^part_number,name,description,part_type,is_proprietary,unit_of_measure,/);
    expect(catalogue).toContain('GEN-OIL-HV46,Hydraulic oil HV46,,bulk_material,false,liters,');
    const before = await everything();
    const byCustomer = await run({ entity: 'products', tenant: 'Kaspian Fish Farms', input: await csvFile('parts.csv', catalogue) }).catch((e: Error & { code?: string }) => e);
    expect(byCustomer).toMatchObject({ code: 'CSV_NOT_ALLOWED' });
    expect((byCustomer as Error).message).toContain('only the platform distributor maintains it (its organization_type is customer)');
    const replace = await run({ entity: 'products', tenant: 'Oraseas EE', mode: 'replace', input: await csvFile('parts.csv', catalogue) }).catch((e: Error & { code?: string }) => e);
    expect(replace).toMatchObject({ code: 'CSV_NO_REPLACE' });
    expect(await everything()).toEqual(before);
    const same = await run({ entity: 'products', tenant: 'Oraseas EE', input: await csvFile('parts.csv', catalogue) });
    expect(same).toMatchObject({ inserted: 0, updated: 0, rejected: 0 });
    expect(await everything()).toEqual(before);
    const added = await run({ entity: 'products', tenant: ORASEAS, input: await csvFile('new.csv', 'part_number,name,part_type,image_urls\nGEN-GRS-1,Grease,bulk_material,"{https://img.example/g1.png,https://img.example/g2.png}"\n') });
    expect(added).toMatchObject({ inserted: 1 });
    expect(await db.sql`select part_type::text as t, image_urls from parts where part_number = 'GEN-GRS-1'`).toEqual([{ t: 'bulk_material', image_urls: ['https://img.example/g1.png', 'https://img.example/g2.png'] }]);
    const after = await exported(db.sql, abparts, ORASEAS, 'products');
    expect(await run({ entity: 'products', tenant: ORASEAS, input: await csvFile('again.csv', after) })).toMatchObject({ inserted: 0, updated: 0 });
    expect(await exported(db.sql, abparts, ORASEAS, 'products')).toBe(after);
    // The distributor exports it too.
    const byDistributor = await runCli(['export', 'products', '--tenant', 'Oraseas EE'], { url: db.url });
    expect(byDistributor.code, byDistributor.stderr).toBe(0);
    expect(byDistributor.stdout).toContain('GEN-OIL-HV46,');
    // The same through the CLI, by name and by id: the distributor is no tenant, but writes the catalogue.
    for (const who of ['Oraseas EE', ORASEAS]) {
      const cli = await runCli(['import', 'products', await csvFile('cli.csv', 'part_number,name,part_type\nGEN-GRS-1,Grease EP2,bulk_material\n'), '--tenant', who, '--json'], { url: db.url });
      expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    }
    expect(await db.sql`select name from parts where part_number = 'GEN-GRS-1'`).toEqual([{ name: 'Grease EP2' }]);
    const customerCli = await runCli(['import', 'products', await csvFile('cli.csv', 'part_number,name\nGEN-GRS-1,Mine\n'), '--tenant', 'Kaspian Fish Farms', '--json'], { url: db.url });
    expect(JSON.parse(customerCli.stdout).error.code).toBe('CSV_NOT_ALLOWED');
    const unknown = await runCli(['import', 'products', await csvFile('cli.csv', 'part_number,name\nGEN-GRS-1,Mine\n'), '--tenant', 'Nobody Ltd', '--json'], { url: db.url });
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error.code).toBe('TENANT_NOT_FOUND');
  });

  it("inventory is the organization's stock in its own warehouses: round trip, lookups, replace", async () => {
    const before = await others(KASPIAN);
    const stock = await exported(db.sql, abparts, 'Kaspian Fish Farms', 'inventory');
    expect(stock.split('\n')[0]).toBe('warehouse,part_number,current_stock,minimum_stock_recommendation,unit_of_measure,reorder_threshold_set_by,last_recommendation_update');
    expect(stock).not.toContain('NNC Main');
    expect(stock).not.toContain('Oraseas Main Warehouse');
    const same = await run({ entity: 'inventory', tenant: KASPIAN, mode: 'replace', input: await csvFile('stock.csv', stock) });
    expect(same).toMatchObject({ inserted: 0, updated: 0, deleted: 0, rejected: 0 });
    expect(await exported(db.sql, abparts, KASPIAN, 'inventory')).toBe(stock);
    // Another organization's warehouse and an unknown part are located errors.
    const text = 'warehouse,part_number,current_stock,unit_of_measure\nNNC Main,AB-FLT-001,5,pieces\nKFF Main,NO-SUCH-PART,1,pieces\nKFF Boat Depot,GEN-OIL-HV46,12.5,liters\n';
    const failed = await run({ entity: 'inventory', tenant: KASPIAN, input: await csvFile('bad.csv', text) }).catch((e: Error) => e);
    expect((failed as Error).message).toMatch(/line 2, column warehouse: "NNC Main" is not in warehouses/);
    expect((failed as Error).message).toMatch(/line 3, column part_number: "NO-SUCH-PART" is not in parts/);
    expect(await others(KASPIAN)).toEqual(before);
    // The good row goes in under --max-errors; replace with the first export removes just it.
    expect(await run({ entity: 'inventory', tenant: KASPIAN, input: await csvFile('bad.csv', text), maxErrors: 2 })).toMatchObject({ inserted: 1, rejected: 2 });
    expect(await run({ entity: 'inventory', tenant: KASPIAN, mode: 'replace', input: await csvFile('stock.csv', stock) })).toMatchObject({ deleted: 1, inserted: 0 });
    expect(await exported(db.sql, abparts, KASPIAN, 'inventory')).toBe(stock);
    expect(await others(KASPIAN)).toEqual(before);
  });
});
