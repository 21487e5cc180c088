import { usageError } from '../../errors.js';
import { characterCount } from '../characters.js';

/**
 * An organization name as IMSOP and ABParts key their tenants: any text of 1–255 characters
 * (organizations.name VARCHAR(255), globally unique). Returns it trimmed, as stored.
 */
export function validateOrganizationName(handle: string, flag = 'name'): string {
  const name = handle.trim();
  if (!name) throw usageError(`The organization ${flag} is empty.`, 'Example: "Org A" (any text of 1–255 characters).');
  if (characterCount(name) > 255) throw usageError(`The organization ${flag} is ${characterCount(name)} characters; at most 255 are allowed.`);
  return name;
}
