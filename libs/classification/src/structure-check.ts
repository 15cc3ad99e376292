import type { ClassificationTables } from './name-tables';

/**
 * The case-sensitive layout checks `is_valid` makes on the raw string after the parse comparison:
 * at most three `//` parts, a level name first, required markings before any group or subgroup, and
 * nothing after the part where groups start. Normalization is more forgiving than this.
 */
export function hasValidStructure(tables: ClassificationTables, c12n: string): boolean {
  const parts = c12n.replaceAll('REL TO ', '').replaceAll('REL ', '').split('//');
  if (parts.length > 3) return false;
  if (!tables.levels.knows(parts[0])) return false;

  let inGroups = false;
  for (const part of parts.slice(1)) {
    if (inGroups) return false;
    const items = part.split('/');
    // The last piece holding a comma is the group list: split it and move its names to the end.
    let commaAt = -1;
    items.forEach((item, i) => {
      if (item.includes(',')) commaAt = i;
    });
    if (commaAt >= 0) items.push(...items.splice(commaAt, 1)[0].split(',').map((n) => n.trim()));

    for (const item of items) {
      if (!inGroups && !tables.required.knows(item)) inGroups = true;
      if (inGroups && !tables.definition.dynamicGroups && !tables.groups.knows(item) && !tables.subgroups.knows(item)) {
        return false;
      }
    }
  }
  return true;
}
