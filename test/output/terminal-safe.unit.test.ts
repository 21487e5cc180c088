import { describe, expect, it } from 'vitest';
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
});
