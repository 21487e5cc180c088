import { describe, expect, it } from 'vitest';
import type { Catalog, CatalogTable, ForeignKey } from '../../src/pooled/catalog.js';
import { classifyCatalog } from '../../src/pooled/classify.js';
import { deleteOrder } from '../../src/pooled/order.js';

const table = (name: string, columns: [string, boolean][]): CatalogTable => ({
  name, partitioned: false, rls: { enabled: false, forced: false, policies: 0 }, primaryKey: ['id'],
  columns: [['id', false] as [string, boolean], ...columns].map(([c, nullable]) => ({ name: c, type: 'uuid', display: 'uuid', category: 'U', nullable, generated: false, indexed: false })),
});
const fk = (t: string, c: string, parent: string, nullable: boolean): ForeignKey =>
  ({ name: `${t}_${c}_fkey`, table: t, columns: [c], parent, parentColumns: ['id'], onDelete: 'no action', nullable, indexed: true });

const registry = { table: 'orgs', key: 'id', handle: 'id', status: null };

describe('deleteOrder()', () => {
  it('deletes children first, breaks a cycle at its nullable key, and leaves self-references to one statement', () => {
    const catalog: Catalog = {
      schema: 's',
      tables: [table('orgs', []), table('departments', [['org_id', false], ['head_id', true]]), table('employees', [['org_id', false], ['department_id', false], ['manager_id', true]]), table('tasks', [['employee_id', false]])],
      foreignKeys: [fk('departments', 'org_id', 'orgs', false), fk('employees', 'org_id', 'orgs', false), fk('departments', 'head_id', 'employees', true), fk('employees', 'department_id', 'departments', false), fk('employees', 'manager_id', 'employees', true), fk('tasks', 'employee_id', 'employees', false)],
    };
    const order = deleteOrder(classifyCatalog(catalog, { registry }), { registry });
    expect(order).toEqual({
      tables: ['tasks', 'employees', 'departments', 'orgs'],
      breakers: [{ table: 'departments', columns: ['head_id'], parent: 'employees', via: 'foreign key departments_head_id_fkey' }],
      unbreakable: [],
    });
  });

  it('reports a cycle of NOT NULL keys instead of looping or guessing', () => {
    const catalog: Catalog = {
      schema: 's',
      tables: [table('orgs', []), table('a', [['org_id', false], ['b_id', false]]), table('b', [['org_id', false], ['a_id', false]])],
      foreignKeys: [fk('a', 'org_id', 'orgs', false), fk('b', 'org_id', 'orgs', false), fk('a', 'b_id', 'b', false), fk('b', 'a_id', 'a', false)],
    };
    const order = deleteOrder(classifyCatalog(catalog, { registry }), { registry });
    expect(order.breakers).toEqual([]);
    expect(order.unbreakable).toEqual([['a', 'b']]);
    expect(order.tables.at(-1)).toBe('orgs');
  });
});
