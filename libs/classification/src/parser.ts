import { ClassificationParts, sortedNames } from './classification-parts';
import { InvalidClassification } from './errors';
import type { ClassificationTables } from './name-tables';

export interface ParseOptions {
  /** Turn unknown names inside REL into groups when the definition allows dynamic groups (default true). */
  getDynamicGroups?: boolean;
  /** Add the auto-select groups and subgroups when any are present (items, not users). */
  autoSelect?: boolean;
  /** Drop unknown names inside REL instead of raising. */
  ignoreUnused?: boolean;
}

/** Level text before the first `//`, and the rest, upper-cased as every comparison is. */
export function splitLevel(c12n: string): [string, string] {
  const upper = c12n.toUpperCase();
  const at = upper.indexOf('//');
  return at < 0 ? [upper, ''] : [upper.slice(0, at), upper.slice(at + 2)];
}

export function levelNotFound(levelText: string): InvalidClassification {
  return new InvalidClassification(`Classification level '${levelText}' was not found in your classification definition.`);
}

/**
 * Parses a classification string the way Assemblyline's engine does: the level is the text before the
 * first `//`; the rest is split on `/` (so `/` and `//` are interchangeable and order does not matter),
 * and each piece is a required marking, a `REL` group list, a subgroup, or a single-owner group alias.
 */
export function parseClassification(
  tables: ClassificationTables,
  c12n: string,
  options: ParseOptions = {},
): ClassificationParts {
  const [levelText, rest] = splitLevel(c12n);
  const lvl = tables.levels.lvlOf(levelText);
  if (lvl === undefined) throw levelNotFound(levelText);

  const pieces = [...new Set(rest.split('/'))].filter((p) => p !== '');
  const required = new Set<string>();
  const groups = new Set<string>();
  const subgroups = new Set<string>();
  const unused: string[] = [];
  const notRequired: string[] = [];

  for (const piece of pieces) {
    const owners = tables.required.resolve(piece);
    if (owners) owners.forEach((r) => required.add(r));
    else notRequired.push(piece);
  }

  const groupNames: string[] = [];
  const subgroupPieces: string[] = [];
  for (const piece of notRequired) {
    if (piece.startsWith('REL ')) {
      const names = piece.replaceAll('REL TO ', '').replaceAll('REL ', '').split(',');
      groupNames.push(...names.map((n) => n.trim()));
    } else {
      subgroupPieces.push(piece);
    }
  }

  for (const name of groupNames) {
    const owners = name === '' ? undefined : tables.groups.resolve(name);
    if (owners) owners.forEach((g) => groups.add(g));
    else if (!unused.includes(name)) unused.push(name);
  }

  for (const piece of subgroupPieces) {
    const owners = tables.subgroups.resolve(piece);
    if (owners) {
      owners.forEach((s) => subgroups.add(s));
      continue;
    }
    // Outside REL, only an alias that names exactly one group (a solitary display name) is a group.
    const groupOwners = tables.groups.aliases.get(piece);
    if (!groupOwners) throw new InvalidClassification(`Unknown Subgroup: ${piece}`);
    if (groupOwners.length > 1) throw new InvalidClassification(`Unclear use of alias: ${piece}`);
    groups.add(groupOwners[0]);
  }

  // Unknown REL names become groups when dynamic groups are on; an empty name (`REL A,`) never does,
  // it would render as an empty entry.
  const dynamic = tables.definition.dynamicGroups && (options.getDynamicGroups ?? true);
  const unparsable = dynamic ? unused.filter((n) => n === '') : unused;
  if (dynamic) unused.filter((n) => n !== '').forEach((n) => groups.add(n));

  const sortedSubgroups = sortedNames(subgroups);
  for (const sg of sortedSubgroups) {
    const requireGroup = tables.subgroups.entry(sg)?.requireGroup;
    if (requireGroup) groups.add(requireGroup);
  }
  for (const sg of sortedSubgroups) {
    const limitedTo = tables.subgroups.entry(sg)?.limitedToGroup;
    if (limitedTo && (groups.size > 1 || (groups.size === 1 && !groups.has(limitedTo)))) {
      throw new InvalidClassification(
        `Subgroup ${sg} is limited to group ${limitedTo} (found: ${sortedNames(groups).join(', ')})`,
      );
    }
  }

  if (options.autoSelect) {
    if (groups.size > 0) tables.definition.groups.filter((g) => g.autoSelect).forEach((g) => groups.add(g.shortName));
    if (subgroups.size > 0) {
      tables.definition.subgroups.filter((s) => s.autoSelect).forEach((s) => subgroups.add(s.shortName));
    }
  }

  if (unparsable.length > 0 && !options.ignoreUnused) {
    throw new InvalidClassification(`Unparsable classification parts: ${unparsable.join('')}`);
  }

  return { lvl, required, groups, subgroups };
}
