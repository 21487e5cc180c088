/**
 * The length of text as PostgreSQL's varchar(n) counts it: characters (code points), not
 * JavaScript's UTF-16 units, in which an emoji or any character beyond the BMP counts twice.
 */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
