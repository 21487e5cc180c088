import { describe, expect, it } from 'vitest';
import { isEmail } from '../../src/tenants/input.js';

describe('isEmail', () => {
  it("takes an apostrophe inside the local part (O'Brien's address is a real one)", () => {
    expect(isEmail("o'brien@example.test")).toBe(true);
    expect(isEmail('first.last+tag@example.test')).toBe(true);
  });

  it('refuses what an erasure could not find quoted inside a note: an apostrophe or dot at either end of the local part', () => {
    for (const bad of ["'bob@example.test", "bob'@example.test", '.bob@example.test', 'bob.@example.test', 'bob@example', 'bob smith@example.test', '"bob"@example.test']) {
      expect(isEmail(bad), bad).toBe(false);
    }
  });
});
