/**
 * File names of an export's CSV files, from table names read from the catalog. A table may be
 * named "../x", "/tmp/enc/abs" or "a\b": written as is, the name would reach into other folders
 * (or fail, as a folder that does not exist). `/`, `\`, NUL, `%` and a leading dot are
 * percent-encoded, so every name stays one file in its folder and distinct names stay distinct;
 * a name that still clashes (folders that ignore case: "Orders" and "orders") gets `~2`, `~3`….
 * manifest.json maps each file to its table, so nothing needs to decode these names.
 */
const encode = (name: string): string =>
  name.replace(/[/\\\0%]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`).replace(/^\./, '%2E');

/** A namer for one export: each call gives a new, safe `<base>.csv` (base from the name parts, joined by "."). */
export function exportFileNamer(): (folder: string, ...parts: string[]) => string {
  const taken = new Set<string>();
  return (folder, ...parts) => {
    const base = parts.map(encode).join('.');
    let name = `${base}.csv`;
    for (let n = 2; taken.has(`${folder}/${name}`.toLowerCase()); n += 1) name = `${base}~${n}.csv`;
    taken.add(`${folder}/${name}`.toLowerCase());
    return `${folder}/${name}`;
  };
}
