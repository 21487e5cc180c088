import { describe, expect, it } from 'vitest';
import { parseIdentifiers } from '../../src/backup/pooled/archive-data.js';
import { passes } from '../../src/backup/pooled/kept-keys.js';
import { copyText, fieldIs } from '../../src/backup/pooled/row-filter.js';

describe('reading one organization\'s rows out of pg_restore\'s COPY text', () => {
  it('reads a COPY header\'s column list, quoted names included', () => {
    expect(parseIdentifiers('id, organization_id, "Order", "a ""b"", c", name')).toEqual(['id', 'organization_id', 'Order', 'a "b", c', 'name']);
    expect(parseIdentifiers('id')).toEqual(['id']);
  });

  it('keeps a row only when the tenant field is exactly the organization\'s key', () => {
    const org = '00000001-0000-4000-8000-0000000000c0';
    expect(fieldIs(`row-1\t${org}\tname`, 1, org)).toBe(true);
    expect(fieldIs(`${org}`, 0, org)).toBe(true);
    expect(fieldIs(`row-1\t${org}0\tname`, 1, org)).toBe(false);
    expect(fieldIs(`row-1\t\\N\tname`, 1, org)).toBe(false);
    expect(fieldIs(`row-1\t${org}`, 2, org)).toBe(false);
    expect(fieldIs(`${org}\trow-1`, 1, org)).toBe(false);
  });

  it('compares a text key as COPY writes it (backslash escapes)', () => {
    expect(copyText('a\tb\\c\nd')).toBe('a\\tb\\\\c\\nd');
    expect(fieldIs(`1\t${copyText('Org\tA')}\tx`, 1, copyText('Org\tA'))).toBe(true);
  });
});

describe('passes: an indirect row kept in Node by its link fields against the kept parents\' keys', () => {
  const keys = new Set(['w1', 'w2']);
  it('keeps a row whose link is a kept key, and no other', () => {
    expect(passes({ fields: [1], keys }, ['r1', 'w1', 'x'])).toBe(true);
    expect(passes({ fields: [1], keys }, ['r1', 'w9', 'x'])).toBe(false);
  });

  it('matches composite links on every field; a NULL in one matches nothing (MATCH SIMPLE)', () => {
    const pairs = new Set(['org\tPO-1']);
    expect(passes({ fields: [0, 2], keys: pairs }, ['org', 'n', 'PO-1'])).toBe(true);
    expect(passes({ fields: [0, 2], keys: pairs }, ['org', 'n', '\\N'])).toBe(false);
  });

  it('takes the fallback link only while every field of the link is NULL', () => {
    const test = { fields: [0], keys, orElse: { fields: [1], keys: new Set(['m1']) } };
    expect(passes(test, ['\\N', 'm1'])).toBe(true);
    expect(passes(test, ['w9', 'm1'])).toBe(false);
    expect(passes(test, ['\\N', 'm2'])).toBe(false);
  });

  it('follows a chain of fallbacks in order, each only while every link before it is NULL', () => {
    // ABParts transactions: from-warehouse, else to-warehouse, else machine, else performer.
    const test = { fields: [0], keys: new Set(['w1']), orElse: { fields: [1], keys: new Set(['w1']), orElse: { fields: [2], keys: new Set(['m1']), orElse: { fields: [3], keys: new Set(['u1']) } } } };
    expect(passes(test, ['\\N', '\\N', '\\N', 'u1'])).toBe(true);
    expect(passes(test, ['\\N', '\\N', 'm1', 'u9'])).toBe(true);
    expect(passes(test, ['\\N', '\\N', 'm9', 'u1'])).toBe(false);
    expect(passes(test, ['w9', '\\N', '\\N', 'u1'])).toBe(false);
    expect(passes(test, ['\\N', '\\N', '\\N', '\\N'])).toBe(false);
  });
});
