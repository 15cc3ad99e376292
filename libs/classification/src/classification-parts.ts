import type { ClassificationTables } from './name-tables';

/**
 * A parsed classification, in canonical short names. Dynamic groups keep the name they were written
 * with (upper-cased): they have no short or long form.
 */
export interface ClassificationParts {
  lvl: number;
  required: Set<string>;
  groups: Set<string>;
  subgroups: Set<string>;
}

/** The parts as Assemblyline's `_get_classification_parts` returns them: output-format names, sorted. */
export interface FormattedParts {
  lvl: number;
  required: string[];
  groups: string[];
  subgroups: string[];
}

/** Plain code-unit order, as Python's `sorted` (not localeCompare). */
export function sortedNames(names: Iterable<string>): string[] {
  return [...new Set(names)].sort();
}

export function formatParts(tables: ClassificationTables, parts: ClassificationParts, longFormat: boolean): FormattedParts {
  return {
    lvl: parts.lvl,
    required: sortedNames([...parts.required].map((r) => tables.required.display(r, longFormat))),
    groups: sortedNames([...parts.groups].map((g) => tables.groups.display(g, longFormat))),
    subgroups: sortedNames([...parts.subgroups].map((s) => tables.subgroups.display(s, longFormat))),
  };
}

export function sameParts(a: FormattedParts, b: FormattedParts): boolean {
  const same = (x: string[], y: string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return a.lvl === b.lvl && same(a.required, b.required) && same(a.groups, b.groups) && same(a.subgroups, b.subgroups);
}
