import type { ClassificationDefinition, NamedEntry } from './definition-types';

/** Keys Assemblyline leaves out of `params_map` (the rest of an entry is its parameters). */
const NOT_PARAMS = new Set(['name', 'short_name', 'lvl', 'aliases', 'auto_select', 'css', 'description']);

/**
 * The engine's lookup maps in Assemblyline's `get_parsed_classification_definition` shape, which the
 * `/api/v4/help/classification_definition/` route returns and Assemblyline's UI reads.
 */
export function parsedDefinitionDump(
  definition: ClassificationDefinition,
  unrestricted: string,
  restricted: string,
): Record<string, unknown> {
  const levelsMap: Record<string, number | string> = {};
  const levelsStl: Record<string, string> = {};
  const levelsLts: Record<string, string> = {};
  const styles: Record<string, unknown> = {};
  const levelAliases: Record<string, string> = {};
  const params: Record<string, Record<string, unknown>> = {};
  const description: Record<string, string> = {};

  const describe = (entry: NamedEntry) => {
    const p = Object.fromEntries(Object.entries(entry.raw).filter(([k]) => !NOT_PARAMS.has(k)));
    params[entry.shortName] = p;
    params[entry.name] = p;
    description[entry.shortName] = entry.description;
    description[entry.name] = entry.description;
  };

  for (const level of definition.levels) {
    levelsMap[level.shortName] = level.lvl;
    levelsMap[String(level.lvl)] = level.shortName;
    levelsStl[level.shortName] = level.name;
    levelsLts[level.name] = level.shortName;
    styles[level.shortName] = level.css;
    styles[level.name] = level.css;
    for (const alias of level.aliases) levelAliases[alias] = level.shortName;
    describe(level);
  }

  const category = <E extends NamedEntry & { autoSelect?: boolean }>(entries: E[], extraAlias: (e: E) => string[]) => {
    const lts: Record<string, string> = {};
    const stl: Record<string, string> = {};
    const aliases: Record<string, string[]> = {};
    for (const entry of entries) {
      lts[entry.name] = entry.shortName;
      stl[entry.shortName] = entry.name;
      for (const alias of [...entry.aliases, ...extraAlias(entry)]) {
        aliases[alias] = [...new Set([...(aliases[alias] ?? []), entry.shortName])];
      }
      describe(entry);
    }
    const auto = entries.filter((e) => e.autoSelect);
    return { lts, stl, aliases, autoLong: auto.map((e) => e.name), autoShort: auto.map((e) => e.shortName) };
  };
  const req = category(definition.required, () => []);
  const grp = category(definition.groups, (g) => (g.solitaryDisplayName ? [g.solitaryDisplayName] : []));
  const sub = category(definition.subgroups, (s) => (s.solitaryDisplayName ? [s.solitaryDisplayName] : []));

  return {
    original_definition: definition.original,
    levels_map: levelsMap,
    levels_map_stl: levelsStl,
    levels_map_lts: levelsLts,
    levels_styles_map: styles,
    levels_aliases: levelAliases,
    access_req_map_lts: req.lts,
    access_req_map_stl: req.stl,
    access_req_aliases: req.aliases,
    groups_map_lts: grp.lts,
    groups_map_stl: grp.stl,
    groups_aliases: grp.aliases,
    groups_auto_select: grp.autoLong,
    groups_auto_select_short: grp.autoShort,
    subgroups_map_lts: sub.lts,
    subgroups_map_stl: sub.stl,
    subgroups_aliases: sub.aliases,
    subgroups_auto_select: sub.autoLong,
    subgroups_auto_select_short: sub.autoShort,
    params_map: params,
    description,
    invalid_mode: false,
    enforce: definition.enforce,
    dynamic_groups: definition.dynamicGroups,
    dynamic_groups_type: definition.dynamicGroupsType,
    UNRESTRICTED: unrestricted,
    RESTRICTED: restricted,
  };
}
