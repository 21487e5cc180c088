import type { SharedIdentityDeclaration } from '../../pooled/declarations.js';
import { linkChain, type Classification, type OwnerLink } from '../../pooled/index.js';

/**
 * Keys held per parent table before a table falls back to the server-side filter: with
 * uuid keys about 100 bytes each, so at most ~50 MB a set. Only the organization's own rows
 * are recorded, so an ordinary organization never comes near it.
 */
export const MAX_KEYS = 500_000;

/** How a table's kept rows are told apart in Node: which fields, matched against which set of kept parent keys. */
export interface LinkTest {
  fields: number[];
  keys: Set<string>;
  /** While every field is NULL (`\N`): the declared fallback link (and its own fallback). */
  orElse?: LinkTest;
}

const NULL = '\\N';

/**
 * The keys of the organization's kept rows that later tables' ownership is decided by (an
 * owner link's parent columns, a shared person's membership column), as COPY text (fields
 * joined by a tab, which COPY escapes inside values). A child row is the organization's when
 * its link fields are one of them: the same test as the owner path's `IN (select …)`,
 * without sending other organizations' rows to the server. A set that grows past MAX_KEYS,
 * or a parent kept by the server-side filter, is unavailable: its children are filtered by
 * the server instead.
 */
export class KeptKeys {
  private readonly wanted = new Map<string, string[][]>();
  private readonly sets = new Map<string, Set<string> | null>();

  /** @param maxKeys keys per set before it is dropped (0: none held, the server filters every linked table). @default MAX_KEYS */
  constructor(private readonly cls: Classification, private readonly identity: SharedIdentityDeclaration | undefined, private readonly maxKeys = MAX_KEYS) {
    const want = (table: string, columns: string[]) => {
      const list = this.wanted.get(table) ?? [];
      if (!list.some((c) => c.join() === columns.join())) list.push(columns);
      this.wanted.set(table, list);
    };
    for (const t of cls.tables) {
      if (t.class === 'indirect' && t.owner) {
        for (const link of linkChain(t.owner)) want(link.parent, link.parentColumns);
      }
    }
    if (identity) want(identity.membership.table, [identity.membership.personColumn]);
  }

  private name = (table: string, columns: readonly string[]): string => `${table}\u0000${columns.join('\u0000')}`;

  /** What to call on each kept row of `table` (with the block's `columns`): records the keys its children need. */
  recorder(table: string, columns: readonly string[]): ((fields: string[]) => void) | undefined {
    const wanted = this.wanted.get(table);
    if (!wanted) return undefined;
    const slots = wanted.map((cols) => {
      const name = this.name(table, cols);
      const fields = cols.map((c) => columns.indexOf(c));
      if (fields.some((i) => i < 0) || this.maxKeys === 0) this.sets.set(name, null);
      else if (!this.sets.has(name)) this.sets.set(name, new Set());
      return { name, fields };
    });
    return (fields) => {
      for (const slot of slots) {
        const set = this.sets.get(slot.name);
        if (!set) continue;
        const values = slot.fields.map((i) => fields[i]!);
        if (values.includes(NULL)) continue;
        set.add(values.join('\t'));
        if (set.size > this.maxKeys) this.sets.set(slot.name, null);
      }
    };
  }

  /** `table`'s rows were kept by the server: none of its keys are in memory. */
  unrecorded(table: string): void {
    for (const cols of this.wanted.get(table) ?? []) this.sets.set(this.name(table, cols), null);
  }

  /** The Node-side test of `table`'s rows (block `columns`), or undefined when the server must filter them. */
  test(table: string, columns: readonly string[]): LinkTest | undefined {
    const t = this.cls.tables.find((x) => x.table === table);
    const set = (parent: string, cols: readonly string[]) => this.sets.get(this.name(parent, cols)) ?? undefined;
    const index = (cols: readonly string[]) => cols.map((c) => columns.indexOf(c));
    const fieldsOf = (test: LinkTest): number[] => [...test.fields, ...(test.orElse ? fieldsOf(test.orElse) : [])];
    const found = (test: LinkTest | undefined) => (test && fieldsOf(test).every((i) => i >= 0) ? test : undefined);
    if (t?.class === 'shared-identity' && this.identity) {
      const m = this.identity.membership;
      // The membership rows kept are the organization's only when they were kept by the membership's tenant column.
      if (this.cls.tables.find((x) => x.table === m.table)?.tenantColumn !== m.tenantColumn) return undefined;
      const keys = set(m.table, [m.personColumn]);
      return found(keys && { fields: index([this.identity.key]), keys });
    }
    if (t?.class !== 'indirect' || !t.owner) return undefined;
    // Every link of the chain needs its parent's keys in memory, else the server filters the table.
    const testOf = (link: OwnerLink): LinkTest | undefined => {
      const keys = set(link.parent, link.parentColumns);
      const fallback = link.orElse && testOf(link.orElse);
      if (!keys || (link.orElse && !fallback)) return undefined;
      return { fields: index(link.columns), keys, ...(fallback ? { orElse: fallback } : {}) };
    };
    return found(testOf(t.owner));
  }
}

/** Whether a row's fields pass the test (MATCH SIMPLE as in SQL: a NULL in the link matches nothing). */
export function passes(test: LinkTest, fields: readonly string[]): boolean {
  const values = test.fields.map((i) => fields[i]!);
  if (test.orElse && values.every((v) => v === NULL)) return passes(test.orElse, fields);
  return !values.includes(NULL) && test.keys.has(values.join('\t'));
}
