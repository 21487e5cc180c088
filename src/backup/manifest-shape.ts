/**
 * The shape of a manifest as the readers use it: every field verify, restore-tenant and prune
 * read without looking first. An incomplete or hand-made manifest.json
 * (`{"format":"tenantctl-backup/1"}`) otherwise broke them with raw JavaScript errors ("Cannot
 * read properties of undefined"); this says which field is missing or wrong instead. The pooled
 * section is checked when present; the other optional fields (checksumFormula, registry,
 * source, consistency, duringRun, tables' relfilenode, tenants' node) where they are read.
 */

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object';

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** A kind with its article: "an array", "a string", "null". */
const named = (kind: string): string => (kind === 'null' ? 'null' : `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`);

/** One field's rule: its kind and, for objects and array items, the rules of their fields. */
interface Rule {
  kind: Kind;
  /** For arrays: the rule of every item. */
  items?: Rule;
  /** For objects: their fields. */
  fields?: Record<string, Rule>;
  /** Allowed values, for strings. */
  oneOf?: readonly string[];
  /** May be absent (a section only some backups have); checked whole when present. */
  optional?: boolean;
}

const str: Rule = { kind: 'string' };
const num: Rule = { kind: 'number' };
const strings: Rule = { kind: 'array', items: str };
const object = (fields: Record<string, Rule>): Rule => ({ kind: 'object', fields });
const array = (items: Rule): Rule => ({ kind: 'array', items });

const MANIFEST_SHAPE: Rule = object({
  id: str,
  createdAt: str,
  database: str,
  tool: object({ version: str, major: num }),
  chunks: array(object({ name: str, path: str, kind: { kind: 'string', oneOf: ['base', 'schemas'] }, schemas: strings })),
  tables: array(object({ schema: str, table: str, chunk: str, rows: num, checksum: str })),
  tenants: array(object({ id: str, slug: str, schema: str, version: str, chunk: str })),
  files: array(object({ path: str, bytes: num, sha256: str })),
  checksum: str,
  // A pooled database's section: what restore-tenant and verify read of it.
  pooled: {
    ...object({
      profile: str,
      schema: str,
      declarations: object({ registry: object({ table: str, key: str, handle: str }) }),
      tables: array(object({ table: str, class: str, ownerPath: str })),
      tenants: array(object({ id: str, handle: str, rows: { kind: 'object' } })),
    }),
    optional: true,
  },
});

/** The first way `value` breaks `rule`, as `field: what is wrong`; undefined when it fits. */
function fault(value: unknown, rule: Rule, at: string): string | undefined {
  const found = kindOf(value);
  if (value === undefined) return rule.optional ? undefined : `${at} is missing (expected ${named(rule.kind)})`;
  if (found !== rule.kind) return `${at} is ${named(found)}, expected ${named(rule.kind)}`;
  if (rule.oneOf && !rule.oneOf.includes(value as string)) return `${at} is ${JSON.stringify(value)}, expected one of ${rule.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
  if (rule.items) {
    for (const [i, item] of (value as unknown[]).entries()) {
      const inner = fault(item, rule.items, `${at}[${i}]`);
      if (inner) return inner;
    }
  }
  if (rule.fields) {
    for (const [name, inner] of Object.entries(rule.fields)) {
      const wrong = fault((value as Record<string, unknown>)[name], inner, at ? `${at}.${name}` : name);
      if (wrong) return wrong;
    }
  }
  return undefined;
}

/** What is wrong with a parsed manifest's shape (`"chunks" is missing (expected an array)`), or undefined. */
export function manifestShapeFault(manifest: unknown): string | undefined {
  return fault(manifest, MANIFEST_SHAPE, '');
}
