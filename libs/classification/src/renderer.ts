import { ClassificationParts, sortedNames } from './classification-parts';
import { InvalidClassification } from './errors';
import type { ClassificationTables } from './name-tables';

export interface RenderOptions {
  longFormat?: boolean;
  /** Leave out the auto-select groups and subgroups (user classifications). */
  skipAutoSelect?: boolean;
}

/**
 * Renders parts as Assemblyline's engine does:
 * `LEVEL[//REQ/REQ][//REQGRP/REQGRP][ sep GROUPS][ sep SUBGROUPS]`, every list sorted by its output name.
 */
export function renderClassification(
  tables: ClassificationTables,
  parts: ClassificationParts,
  options: RenderOptions = {},
): string {
  const longFormat = options.longFormat ?? true;
  const skipAutoSelect = options.skipAutoSelect ?? false;
  const { definition } = tables;

  // 1. A required marking can raise the level.
  let lvl = parts.lvl;
  for (const r of parts.required) lvl = Math.max(lvl, tables.required.entry(r)?.requireLvl ?? 0);
  const levelText = tables.levels.text(lvl, longFormat);
  if (levelText === undefined) {
    throw new InvalidClassification(`Classification level number '${lvl}' was not found in your classification definition.`);
  }
  let out = levelText;

  // 2. Plain required markings, then the ones shown as a group part, each in its own `//` part.
  const plain: string[] = [];
  const asGroup: string[] = [];
  for (const r of parts.required) {
    (tables.required.entry(r)?.isRequiredGroup ? asGroup : plain).push(tables.required.display(r, longFormat));
  }
  if (plain.length) out += '//' + sortedNames(plain).join('/');
  if (asGroup.length) out += '//' + sortedNames(asGroup).join('/');

  // 3. Auto-select subgroups.
  const subgroups = new Set(parts.subgroups);
  if (subgroups.size > 0 && !skipAutoSelect) {
    definition.subgroups.filter((s) => s.autoSelect).forEach((s) => subgroups.add(s.shortName));
  }
  const subgroupNames = sortByDisplay([...subgroups], (s) => tables.subgroups.display(s, longFormat));

  // 4. Groups the subgroups require; a limited_to_group keeps only its group, or none if it is absent.
  let implied: string[] = [];
  for (const sg of subgroupNames) {
    const entry = tables.subgroups.entry(sg);
    if (entry?.requireGroup) implied.push(entry.requireGroup);
    if (entry?.limitedToGroup) implied = implied.includes(entry.limitedToGroup) ? [entry.limitedToGroup] : [];
  }
  const groups = new Set([...parts.groups, ...implied]);

  // 5. Auto-select groups.
  if (groups.size > 0 && !skipAutoSelect) {
    definition.groups.filter((g) => g.autoSelect).forEach((g) => groups.add(g.shortName));
  }

  // 6. Groups: a solitary display name, a shared alias (short form), or the REL list.
  const groupDisplay = sortedNames([...groups].map((g) => tables.groups.display(g, longFormat)));
  if (groupDisplay.length > 0) {
    out += asGroup.length > 0 ? '/' : '//';
    out += renderGroups(tables, [...groups], groupDisplay, longFormat);
  }

  // 7. Subgroups.
  if (subgroupNames.length > 0) {
    out += groupDisplay.length > 0 || asGroup.length > 0 ? '/' : '//';
    out += sortedNames(subgroupNames.map((s) => tables.subgroups.display(s, longFormat))).join('/');
  }
  return out;
}

function renderGroups(tables: ClassificationTables, shortNames: string[], display: string[], longFormat: boolean): string {
  const prefix = longFormat ? 'REL TO ' : 'REL ';
  if (shortNames.length === 1) {
    const solitary = tables.groups.entry(shortNames[0])?.solitaryDisplayName;
    return solitary && solitary !== display[0] ? solitary : prefix + display[0];
  }
  if (!longFormat) {
    // First alias (in definition order) shared by several groups whose members are exactly these groups.
    const wanted = sortedNames(shortNames).join('\u0000');
    for (const [alias, owners] of tables.groups.aliases) {
      if (owners.length > 1 && sortedNames(owners).join('\u0000') === wanted) return prefix + alias;
    }
  }
  return prefix + display.join(', ');
}

function sortByDisplay(shortNames: string[], display: (s: string) => string): string[] {
  return [...shortNames].sort((a, b) => {
    const x = display(a);
    const y = display(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
