import { describe, expect, it } from 'vitest';
import { formatTable, wrapCell } from '../../src/output/format.js';

describe('tables for people', () => {
  it('wrapCell wraps on spaces and breaks a word longer than the column, losing no character', () => {
    expect(wrapCell('short words stay whole here', 12)).toBe('short words\nstay whole\nhere');
    expect(wrapCell('support.engineer@example-company.test', 12)).toBe('support.engi\nneer@example\n-company.tes\nt');
    expect(wrapCell('a\nb', 5)).toBe('a\nb');
  });

  it('a table squeezed into 100 columns keeps every character of a long id, e-mail or ticket', () => {
    const rows = [{ id: 'b516bac5-c959-4a95-b702-edee1fb48372', actor: 'support.engineer@example-company.test', ticket: 'SUP-2026-000123-ERASURE-REQUEST', note: 'a note that goes on for a while in plain words' }];
    const text = formatTable(rows, [{ key: 'id' }, { key: 'actor' }, { key: 'ticket' }, { key: 'note' }], false, 100);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
    // Read each column back down the body lines, as a person would.
    const bodyLines = text.split('\n').filter((l) => l.startsWith('│')).slice(1);
    const columns = Object.keys(rows[0]!).map((_, i) => bodyLines.map((l) => l.split('│')[i + 1]!.replace(/\s+/g, '')).join(''));
    expect(columns).toEqual(Object.values(rows[0]!).map((v) => v.replace(/\s+/g, '')));
  });
});
