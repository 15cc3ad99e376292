import { ClassificationParts, sortedNames } from './classification-parts';
import { InvalidClassification } from './errors';
import type { ClassificationTables, NameTable } from './name-tables';
import type { NamedEntry } from './definition-types';
import { pythonListRepr } from './python-repr';

const union = (a: Set<string>, b: Set<string>) => new Set([...a, ...b]);
const intersection = (a: Set<string>, b: Set<string>) => new Set([...a].filter((x) => b.has(x)));

/**
 * The most restrictive marking of two items: the higher level, every required marking, and for groups
 * and subgroups the intersection when both sides have some (an empty intersection is an error),
 * otherwise the side that has them.
 */
export function maxParts(
  tables: ClassificationTables,
  a: ClassificationParts,
  b: ClassificationParts,
  longFormat: boolean,
): ClassificationParts {
  return {
    lvl: Math.max(a.lvl, b.lvl),
    required: union(a.required, b.required),
    groups: narrowest(tables.groups, a.groups, b.groups, longFormat),
    subgroups: narrowest(tables.subgroups, a.subgroups, b.subgroups, longFormat),
  };
}

/** The least restrictive marking: lower level, shared required markings, groups only if both have some. */
export function minParts(a: ClassificationParts, b: ClassificationParts): ClassificationParts {
  return {
    lvl: Math.min(a.lvl, b.lvl),
    required: intersection(a.required, b.required),
    groups: a.groups.size > 0 && b.groups.size > 0 ? union(a.groups, b.groups) : new Set(),
    subgroups: a.subgroups.size > 0 && b.subgroups.size > 0 ? union(a.subgroups, b.subgroups) : new Set(),
  };
}

/** What two users could both see. */
export function intersectUserParts(a: ClassificationParts, b: ClassificationParts): ClassificationParts {
  return {
    lvl: Math.min(a.lvl, b.lvl),
    required: intersection(a.required, b.required),
    groups: intersection(a.groups, b.groups),
    subgroups: intersection(a.subgroups, b.subgroups),
  };
}

/** A user clearance covering both: the higher level and every marking, group and subgroup. */
export function buildUserParts(a: ClassificationParts, b: ClassificationParts): ClassificationParts {
  return {
    lvl: Math.max(a.lvl, b.lvl),
    required: union(a.required, b.required),
    groups: union(a.groups, b.groups),
    subgroups: union(a.subgroups, b.subgroups),
  };
}

function narrowest<E extends NamedEntry>(
  table: NameTable<E>,
  a: Set<string>,
  b: Set<string>,
  longFormat: boolean,
): Set<string> {
  if (a.size === 0 || b.size === 0) return union(a, b);
  const common = intersection(a, b);
  if (common.size === 0) {
    const show = (s: Set<string>) => pythonListRepr(sortedNames([...s].map((n) => table.display(n, longFormat))));
    throw new InvalidClassification(`Could not find any intersection between the groups. ${show(a)} & ${show(b)}`);
  }
  return common;
}
