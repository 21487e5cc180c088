/**
 * Findings that repeat across schemas read as one line with a count: a schema-per-tenant
 * database has the same `orders` table (and the same NOT VALID constraint, the same
 * duplicate index) in every tenant schema, and 312 lines for one cause hide the others.
 */
export interface SchemaObject {
  schema: string;
  name: string;
}

/** One group: an object name and every schema it stands in. */
export interface SchemaGroup {
  name: string;
  schemas: string[];
}

/** Group objects by name, largest group first (then by name), keeping each group's schemas sorted. */
export function groupAcrossSchemas(items: readonly SchemaObject[]): SchemaGroup[] {
  const byName = new Map<string, string[]>();
  for (const item of items) byName.set(item.name, [...(byName.get(item.name) ?? []), item.schema]);
  return [...byName]
    .map(([name, schemas]) => ({ name, schemas: [...new Set(schemas)].sort() }))
    .sort((a, b) => b.schemas.length - a.schemas.length || a.name.localeCompare(b.name));
}

/** "orders in 200 schemas (tenant_a, tenant_b, …), public.users": at most `shown` groups, then "and N more". */
export function describeGroups(groups: readonly SchemaGroup[], shown = 5): string {
  const text = groups.slice(0, shown).map((g) =>
    g.schemas.length === 1 ? `${g.schemas[0]}.${g.name}` : `${g.name} in ${g.schemas.length} schemas (${g.schemas.slice(0, 2).join(', ')}${g.schemas.length > 2 ? ', …' : ''})`,
  );
  if (groups.length > shown) text.push(`and ${groups.length - shown} more`);
  return text.join(', ');
}
