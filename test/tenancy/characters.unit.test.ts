import { describe, expect, it } from 'vitest';
import { characterCount } from '../../src/tenancy/characters.js';
import { validateOrganizationName } from '../../src/tenancy/profiles/organization-name.js';
import { isEmail, validateTenantInput } from '../../src/tenants/input.js';

/** varchar(255) holds 255 characters (code points); an emoji is two UTF-16 units but one character. */
describe('length limits count characters as PostgreSQL does', () => {
  const emoji = (n: number): string => '😀'.repeat(n);
  const base = { slug: 'acme', plan: 'starter', ownerEmail: 'a@acme.test' };

  it('counts code points', () => {
    expect(characterCount(emoji(200))).toBe(200);
    expect(characterCount('Café')).toBe(4);
  });

  it('--name, --owner-name and an organization name of 200 emoji are accepted; 256 characters are not, counted as characters', () => {
    expect(validateTenantInput({ ...base, name: emoji(200), ownerName: emoji(255) }).name).toBe(emoji(200));
    expect(() => validateTenantInput({ ...base, name: emoji(256) })).toThrow('--name is 256 characters; at most 255 are allowed.');
    expect(() => validateTenantInput({ ...base, name: 'x', ownerName: emoji(256) })).toThrow(/--owner-name must be 1–255 characters/);
    expect(validateOrganizationName(emoji(255))).toBe(emoji(255));
    expect(() => validateOrganizationName(emoji(256))).toThrow('is 256 characters');
  });

  it('an e-mail of 255 characters with non-BMP ones is not refused for its UTF-16 length', () => {
    const local = emoji(200);
    expect(isEmail(`${local}@acme.test`)).toBe(true);
  });
});
