import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Sql } from '../../src/db/connect.js';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import type { Migration } from '../../src/migrate/files.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { catalogColumns, catalogConstraints, catalogEnums, catalogIndexes, catalogTriggers, objectsIn } from './catalog.js';
import { loadSqlFile, migrateProfileDown, migrateProfileUp, profileMigrations } from './load-profile-sql.js';
import { parseMysqlSeed, type SeedColumn, type SeedTable } from './mysql-seed.js';
import { CROSSING_SQL, ORGS, crossingFkRows, ownedRowCounts } from './imsop-dataset.js';

/** Seed 000 itself, where DESIGN.md keeps the seeds: ../shared/seeds beside the repository. */
const SEED_000 = `${PACKAGE_ROOT}../shared/seeds/000_e77336caad6aeedc.txt`;
function readSeed(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: this test compares the catalog with the seed document itself; put ../shared/seeds beside the repository.`, { cause: error });
  }
}
const SEED = parseMysqlSeed(readSeed(SEED_000));
const tableOf = (name: string): SeedTable => SEED.tables.find((t) => t.name === name)!;

// The documented translation rules (migrations/imsop/0001_baseline.sql header). These are the
// only places where a catalog name differs from the seed's text.
/** MySQL index names are per table, PostgreSQL's per schema: every inline INDEX gets its table as prefix. */
const indexName = (table: string, seedName: string) => `${table}_${seedName}`;
/** Inline ENUM → one named type per column. */
const enumType = (table: string, column: string) => `${table}_${column}_enum`;
/** ON UPDATE CURRENT_TIMESTAMP → a BEFORE UPDATE trigger. */
const updatedAtTrigger = (table: string) => `${table}_set_updated_at`;
/**
 * The prose's composite indexes name columns, not tables. Our reading: (organization_id,
 * status) on every table with both; (warehouse_id, product_id) is unique_warehouse_product;
 * (created_at, organization_id) on the two analytics tables, the time series that have an
 * organization column.
 */
const compositeTables = (columns: string[]): string[] =>
  columns.join(',') === 'created_at,organization_id'
    ? ['analytics_events', 'analytics_metrics']
    : SEED.tables.filter((t) => columns.every((c) => t.columns.some((col) => col.name === c))).map((t) => t.name);

/** Run fn in a transaction that is always rolled back (a failed statement inside is fine). */
async function inRollback(sql: Sql, fn: (tx: Sql) => Promise<void>): Promise<void> {
  const rollback = new Error('rollback');
  await sql.begin(async (tx) => {
    await fn(tx as unknown as Sql);
    throw rollback;
  }).catch((error: unknown) => {
    if (error !== rollback) throw error;
  });
}

const MYSQL_TYPES: Record<string, string> = {
  UUID: 'uuid', VARCHAR: 'character varying', TEXT: 'text', TIMESTAMP: 'timestamp without time zone', DATE: 'date',
  INT: 'integer', BOOLEAN: 'boolean', DECIMAL: 'numeric', JSON: 'json',
};

function expectedType(table: string, column: SeedColumn): string {
  if (column.type === 'ENUM') return enumType(table, column.name);
  const [, base, args] = /^(\w+)(?:\((.*)\))?$/.exec(column.type)!;
  const pgBase = MYSQL_TYPES[base!];
  if (!pgBase) throw new Error(`no PostgreSQL type for seed type ${column.type} (${table}.${column.name})`);
  return args ? `${pgBase}(${args})` : pgBase;
}

/** A default without casts, keywords in one case, quoted literals as they are: 'UTC'::character varying → 'UTC'. */
const normalDefault = (expr: string) => {
  const bare = expr.replace(/::[a-z_ ]+(\(\d+(,\d+)?\))?/gi, '');
  return bare.startsWith("'") ? bare : bare.toLowerCase();
};

describe('IMSOP profile schema (migrations/imsop) against seed 000', () => {
  let db: TestDatabase;
  let sql: Sql;
  let migrations: Migration[];
  beforeAll(async () => {
    db = await createTestDatabase('imsop');
    sql = db.sql;
    migrations = await profileMigrations('imsop');
    await migrateProfileUp(sql, migrations);
  });
  afterAll(async () => db?.drop());

  it('the seed reader finds the whole seed: 17 tables, 10 enums, 33 inline indexes, 10 UNIQUE KEYs, 9 ON UPDATE columns', () => {
    // The counts POOLED.md §1 gives for this seed: a parser that misses a wrapped clause fails here.
    const columns = SEED.tables.flatMap((t) => t.columns);
    expect(SEED.tables).toHaveLength(17);
    expect(columns.filter((c) => c.type === 'ENUM')).toHaveLength(10);
    expect(SEED.tables.flatMap((t) => t.indexes)).toHaveLength(33);
    expect(SEED.tables.flatMap((t) => t.uniqueKeys)).toHaveLength(10);
    expect(columns.filter((c) => c.onUpdateCurrentTimestamp)).toHaveLength(9);
    expect(SEED.compositeIndexes).toEqual([['organization_id', 'status'], ['warehouse_id', 'product_id'], ['created_at', 'organization_id']]);
  });

  it('has every seed table with exactly its columns, types, NOT NULLs, defaults and generated column', async () => {
    const catalog = await catalogColumns(sql);
    expect(new Set(catalog.map((c) => c.table))).toEqual(new Set(SEED.tables.map((t) => t.name)));
    for (const table of SEED.tables) {
      const actual = catalog.filter((c) => c.table === table.name);
      expect(actual.map((c) => c.column).sort(), table.name).toEqual(table.columns.map((c) => c.name).sort());
      for (const column of table.columns) {
        const where = `${table.name}.${column.name}`;
        const got = actual.find((c) => c.column === column.name)!;
        expect(got.type, where).toBe(expectedType(table.name, column));
        expect(got.not_null, where).toBe(column.notNull || column.primaryKey);
        expect(got.generated, where).toBe(column.generated ? 's' : '');
        if (column.generated) continue;
        if (column.defaultValue === undefined) expect(got.default_expr, where).toBeNull();
        else expect(normalDefault(got.default_expr ?? 'none'), where).toBe(normalDefault(column.defaultValue));
      }
    }
  });

  it('has every seed enum as a named type with the same labels in the same order', async () => {
    const enums = await catalogEnums(sql);
    const expected = SEED.tables.flatMap((t) => t.columns.filter((c) => c.enumLabels).map((c) => [enumType(t.name, c.name), c.enumLabels!] as const));
    expect(new Map(expected)).toEqual(enums);
  });

  it('has exactly the seed indexes: primary keys, UNIQUE KEYs and UNIQUE columns by name, inline INDEXes renamed, and the composite ones', async () => {
    const indexes = await catalogIndexes(sql);
    for (const table of SEED.tables) {
      const actual = indexes.filter((i) => i.table === table.name);
      const expected = new Map<string, string[]>();
      for (const c of table.columns) {
        if (c.primaryKey) expected.set(`${table.name}_pkey`, [c.name]);
        if (c.unique) expected.set(`${table.name}_${c.name}_key`, [c.name]);
      }
      for (const u of table.uniqueKeys) expected.set(u.name, u.columns);
      for (const i of table.indexes) expected.set(indexName(table.name, i.name), i.columns);
      for (const columns of SEED.compositeIndexes) {
        if (!compositeTables(columns).includes(table.name)) continue;
        const covered = [...expected.values()].some((cols) => cols.join() === columns.join());
        if (!covered) expected.set(`${table.name}_${columns.join('_')}_idx`, columns);
      }
      expect(new Map(actual.map((i) => [i.index, i.columns])), table.name).toEqual(expected);
    }
  });

  it('has every seed UNIQUE KEY as a named UNIQUE constraint and every FOREIGN KEY with its ON DELETE action', async () => {
    const constraints = await catalogConstraints(sql);
    const onDelete: Record<string, string> = { 'NO ACTION': 'a', CASCADE: 'c', 'SET NULL': 'n', RESTRICT: 'r' };
    for (const table of SEED.tables) {
      const mine = constraints.filter((c) => c.table === table.name);
      for (const u of table.uniqueKeys) expect(mine.find((c) => c.name === u.name), `${table.name}.${u.name}`).toMatchObject({ type: 'u', columns: u.columns });
      const fks = mine.filter((c) => c.type === 'f').map((c) => ({ column: c.columns.join(), ref: `${c.ref_table}(${c.ref_columns.join()})`, onDelete: c.on_delete }));
      const expected = table.foreignKeys.map((f) => ({ column: f.column, ref: `${f.refTable}(${f.refColumn})`, onDelete: onDelete[f.onDelete] }));
      expect(fks.sort((a, b) => a.column.localeCompare(b.column)), table.name).toEqual(expected.sort((a, b) => a.column.localeCompare(b.column)));
    }
  });

  it('maintains updated_at with a BEFORE UPDATE trigger on exactly the seed tables that say ON UPDATE CURRENT_TIMESTAMP', async () => {
    const triggers = await catalogTriggers(sql);
    const expected = SEED.tables.filter((t) => t.columns.some((c) => c.onUpdateCurrentTimestamp)).map((t) => updatedAtTrigger(t.name));
    expect(triggers.map((t) => t.name).sort()).toEqual(expected.sort());
    for (const t of triggers) expect(t.definition).toMatch(/BEFORE UPDATE ON public\.\w+ FOR EACH ROW EXECUTE FUNCTION set_updated_at_on_change/);
  });

  describe('with the crossing dataset loaded', () => {
    beforeAll(async () => loadSqlFile(sql, CROSSING_SQL));

    it('gives every organization its own rows in every tenant table', async () => {
      const counts = await ownedRowCounts(sql);
      const tenantTables = SEED.tables.map((t) => t.name).filter((t) => t !== 'organizations' && t !== 'permissions');
      expect(Object.keys(counts).sort()).toEqual(tenantTables.sort());
      for (const table of tenantTables) for (const org of Object.values(ORGS)) expect(counts[table]![org], `${table} of ${org}`).toBeGreaterThan(0);
    });

    it('plants every cross-tenant foreign key reference POOLED.md §1 lists, and no crossing that is not tagged', async () => {
      const crossing = await crossingFkRows(sql);
      // POOLED.md §1 "Erasure": the references from another tenant's row it lists.
      expect(new Set(crossing.map((c) => `${c.table}.${c.column}`))).toEqual(new Set([
        'user_roles.role_id', 'warehouses.manager_id', 'inventory_transactions.created_by', 'purchase_orders.created_by',
        'analytics_events.user_id', 'shipments.origin_warehouse_id', 'shipments.destination_warehouse_id',
        'inventory.product_id', 'purchase_orders.supplier_id', 'purchase_order_items.product_id',
      ]));
      const tagged = new Set([...readFileSync(CROSSING_SQL, 'utf8').matchAll(/CROSS (\w+)\.([abc]\d)/g)].map((m) => `${m[1]}.${m[2]}`));
      for (const c of crossing) expect(tagged, `${c.table} ${c.id} crosses untagged`).toContain(`${c.table}.${c.id.slice(-2)}`);
    });

    it('keeps the generated column generated: it follows its inputs and rejects writes', async () => {
      const [row] = await sql`select quantity_on_hand - quantity_reserved as expected, quantity_available from inventory where id = '0000000a-0000-4000-8000-0000000000a1'`;
      expect(row!.quantity_available).toBe(row!.expected);
      await expect(sql`insert into inventory (warehouse_id, product_id, quantity_available) values ('00000009-0000-4000-8000-0000000000a1', '00000008-0000-4000-8000-0000000000a3', 5)`)
        .rejects.toThrow(/cannot insert a non-DEFAULT value into column "quantity_available"/);
      await expect(sql`update inventory set quantity_available = 1`).rejects.toThrow(/can only be updated to DEFAULT/);
    });

    it('moves updated_at only when the row really changed, and keeps a value the UPDATE sets (as MySQL does)', async () => {
      for (const table of SEED.tables.filter((t) => t.columns.some((c) => c.onUpdateCurrentTimestamp))) {
        const [before] = await sql`select id, updated_at from ${sql(table.name)} order by id limit 1`;
        const [noop] = await sql`update ${sql(table.name)} set id = id where id = ${before!.id} returning updated_at`;
        expect(noop!.updated_at, `${table.name}: no change`).toEqual(before!.updated_at);
        const [changed] = await sql`update ${sql(table.name)} set created_at = created_at + interval '1 second' where id = ${before!.id} returning updated_at, localtimestamp as now`;
        expect(changed!.updated_at, `${table.name}: real change`).toEqual(changed!.now);
        const [explicit] = await sql`update ${sql(table.name)} set created_at = created_at - interval '1 second', updated_at = '2001-02-03 04:05:06' where id = ${before!.id} returning updated_at`;
        expect(explicit!.updated_at, `${table.name}: explicit value`).toEqual(new Date('2001-02-03T04:05:06Z'));
      }
    });

    it('keeps the seed\'s unique traps as written: unique_active_user allows one live e-mail in two organizations, unique_active_org never frees a name', async () => {
      // Both live accounts of dana.kowalski@freightconsult.test (A and B) loaded: NULL deleted_at never collides.
      const [dana] = await sql`select count(*)::int as n from users where email = 'dana.kowalski@freightconsult.test' and deleted_at is null`;
      expect(dana!.n).toBe(2);
      await expect(sql`insert into users (organization_id, email, password_hash) values (${ORGS.A}, 'alice.admin@acme-logistics.test', 'x')`)
        .rejects.toThrow(/unique_email_per_org/);
      await inRollback(sql, async (tx) => {
        await tx`insert into organizations (name, deleted_at) values ('Gone Ltd', '2025-01-01')`;
        await expect(tx`insert into organizations (name) values ('Gone Ltd')`).rejects.toThrow(/organizations_name_key/);
      });
    });

    it('rejects a value outside an enum type', async () => {
      await expect(sql`update products set status = 'sold_out' where id = '00000008-0000-4000-8000-0000000000a1'`)
        .rejects.toThrow(/invalid input value for enum products_status_enum: "sold_out"/);
    });
  });

  describe('down', () => {
    it('removes everything the up sections created, and up works a second time', async () => {
      // 0003's down refuses to drop permissions that roles still hold, and changes nothing.
      await expect(migrateProfileDown(sql, migrations)).rejects.toThrow(/role_permissions_permission_id_fkey/);
      expect((await sql`select count(*)::int as n from permissions`)[0]!.n).toBe(40);
      await sql`delete from role_permissions`;
      await migrateProfileDown(sql, migrations);
      expect(await objectsIn(sql)).toEqual([]);
      await migrateProfileUp(sql, migrations);
      await loadSqlFile(sql, CROSSING_SQL);
      const [row] = await sql`select count(*)::int as n from organizations`;
      expect(row!.n).toBe(3);
    });
  });
});
