import { describe, expect, it } from 'vitest';
import { formatRecord, formatTable } from '../../src/output/format.js';
import { terminalSafe } from '../../src/output/terminal-safe.js';

describe('terminalSafe', () => {
  it('shows control characters instead of sending them: window title, bell, cursor moves, carriage return', () => {
    expect(terminalSafe('app\u001b]0;pwned\u0007inserted', true)).toBe('app\\x1b]0;pwned\\x07inserted');
    expect(terminalSafe('a\u001b[2J\u001b[Hb\rc\u009bd\u007f', true)).toBe('a\\x1b[2J\\x1b[Hb\\x0dc\\x9bd\\x7f');
  });

  it('keeps newlines and tabs, and colour sequences only when colour is on', () => {
    expect(terminalSafe('a\tb\nc', false)).toBe('a\tb\nc');
    expect(terminalSafe('\u001b[31mred\u001b[0m', true)).toBe('\u001b[31mred\u001b[0m');
    expect(terminalSafe('\u001b[31mred\u001b[0m', false)).toBe('\\x1b[31mred\\x1b[0m');
  });
  it('shows the characters that reorder or hide text (bidi overrides, marks, zero-width space), and keeps the joiners emoji need', () => {
    expect(terminalSafe('acme\u202Egnp.exe', true)).toBe('acme\\u202egnp.exe');
    expect(terminalSafe('ac\u200Bme \u2066x\u2069 \uFEFF', true)).toBe('ac\\u200bme \\u2066x\\u2069 \\ufeff');
    expect(terminalSafe('\u{1F468}\u200D\u{1F469}', true)).toBe('\u{1F468}\u200D\u{1F469}');
    expect(terminalSafe('a\u061Cb\u2028c\u00ADd', true)).toBe('a\\u061cb\\u2028c\\xadd');
  });

  it('keeps only the colours tenantctl writes: a name cannot conceal what follows it (ESC[8m) or paint black on black', () => {
    expect(terminalSafe('\u001b[8m HIDDEN\u001b[28m', true)).toBe('\\x1b[8m HIDDEN\\x1b[28m');
    expect(terminalSafe('\u001b[30;40mx\u001b[0m', true)).toBe('\\x1b[30;40mx\u001b[0m');
    expect(terminalSafe('\u001b[1m\u001b[36mok\u001b[39m\u001b[22m \u001b[90mgrey\u001b[39m', true)).toBe('\u001b[1m\u001b[36mok\u001b[39m\u001b[22m \u001b[90mgrey\u001b[39m');
  });
});

describe('a value inside one line of human output', () => {
  it('cannot forge a line: its line breaks are shown in key: value lines and table cells', () => {
    const reason = 'x\nFAKE LINE: resumed by admin';
    expect(formatRecord({ reason, actor: 'ops' })).toBe('reason  x\\nFAKE LINE: resumed by admin\nactor   ops');
    const table = formatTable([{ name: 'a\r\nb' }], [{ key: 'name' }]);
    expect(table).toContain('a\\r\\nb');
    expect(table.split('\n')).toHaveLength(5);
  });
});
