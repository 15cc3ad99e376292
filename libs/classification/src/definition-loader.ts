import { parse as parseYaml } from 'yaml';
import { ASSEMBLYLINE_DEFAULT_DEFINITION } from './assemblyline-default-definition';
import type {
  ClassificationDefinition,
  DynamicGroupsType,
  GroupEntry,
  LevelEntry,
  NamedEntry,
  RequiredEntry,
  SubgroupEntry,
} from './definition-types';
import { InvalidDefinition } from './errors';
import { checkDefaultMarkings } from './default-markings';
import { MAX_LVL, MIN_LVL, RESERVED_LEVEL_NAMES } from './name-tables';

export interface LoadDefinitionOptions {
  /**
   * Keys the input leaves out come from here, as Assemblyline merges an operator's file over its own
   * default file. Defaults to Assemblyline's default definition; `null` makes every key mandatory.
   */
  base?: Readonly<Record<string, unknown>> | null;
}

const DYNAMIC_GROUP_TYPES: DynamicGroupsType[] = ['email', 'group', 'all'];
type Raw = Record<string, unknown>;

/**
 * Reads and checks a definition in Assemblyline's `classification.yml` format, given as YAML text or an
 * already parsed object. Throws InvalidDefinition naming every bad entry: reserved or duplicate names,
 * duplicate levels, levels outside 1-10000, unknown group or level references, bad default markings.
 */
export function loadClassificationDefinition(
  input: string | Readonly<Record<string, unknown>>,
  options: LoadDefinitionOptions = {},
): ClassificationDefinition {
  const parsed = typeof input === 'string' ? parseText(input) : input;
  if (!isMapping(parsed)) throw new InvalidDefinition(['the definition must be a mapping of keys to values']);
  const base = options.base === undefined ? ASSEMBLYLINE_DEFAULT_DEFINITION : options.base;
  // Assemblyline's recursive update: every top-level value here is a scalar or a list, so it replaces.
  const original: Raw = { ...(base ?? {}), ...parsed };

  const reader = new DefinitionReader(original);
  const definition = reader.read();
  if (reader.problems.length === 0) reader.problems.push(...checkDefaultMarkings(definition));
  if (reader.problems.length > 0) throw new InvalidDefinition(reader.problems);
  return definition;
}

function parseText(text: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new InvalidDefinition([`not valid YAML: ${(error as Error).message}`]);
  }
}

function isMapping(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class DefinitionReader {
  readonly problems: string[] = [];

  constructor(private readonly raw: Raw) {}

  read(): ClassificationDefinition {
    const enforce = this.flag(this.raw, 'enforce', undefined, 'enforce');
    const dynamicGroups = this.flag(this.raw, 'dynamic_groups', undefined, 'dynamic_groups');
    const dynamicGroupsType = this.raw.dynamic_groups_type;
    if (!DYNAMIC_GROUP_TYPES.includes(dynamicGroupsType as DynamicGroupsType)) {
      this.problems.push(
        `dynamic_groups_type: must be one of ${DYNAMIC_GROUP_TYPES.join(' | ')} (got ${JSON.stringify(dynamicGroupsType)})`,
      );
    }

    const levels = this.list('levels', true).map(([entry, label]) => this.level(entry, label));
    const required = this.list('required').map(([entry, label]) => this.requiredMarking(entry, label));
    const groups = this.list('groups').map(([entry, label]) => this.group(entry, label));
    const subgroups = this.list('subgroups').map(([entry, label]) => this.subgroup(entry, label));

    this.checkLevels(levels);
    this.checkCategory('required', required);
    this.checkCategory('groups', groups);
    this.checkCategory('subgroups', subgroups);
    this.checkCrossCategory(required, groups, subgroups);
    this.resolveReferences(levels, required, groups, subgroups);

    return {
      enforce,
      dynamicGroups,
      dynamicGroupsType: dynamicGroupsType as DynamicGroupsType,
      levels,
      required,
      groups,
      subgroups,
      unrestricted: this.text(this.raw, 'unrestricted', 'unrestricted') ?? '',
      restricted: this.text(this.raw, 'restricted', 'restricted') ?? '',
      original: this.raw,
    };
  }

  // ---- entries

  private list(key: string, nonEmpty = false): [Raw, string][] {
    const value = this.raw[key];
    if (value === null && !nonEmpty) return [];
    if (!Array.isArray(value) || (nonEmpty && value.length === 0)) {
      this.problems.push(`${key}: must be a ${nonEmpty ? 'non-empty ' : ''}list`);
      return [];
    }
    const out: [Raw, string][] = [];
    value.forEach((entry, i) => {
      const shortName = isMapping(entry) && typeof entry.short_name === 'string' ? entry.short_name.toUpperCase() : '';
      const label = shortName ? `${key}[${i}] (${shortName})` : `${key}[${i}]`;
      if (isMapping(entry)) out.push([entry, label]);
      else this.problems.push(`${label}: must be a mapping`);
    });
    return out;
  }

  private named(entry: Raw, label: string): NamedEntry {
    const aliasesRaw = entry.aliases ?? [];
    let aliases: string[] = [];
    if (!Array.isArray(aliasesRaw) || aliasesRaw.some((a) => typeof a !== 'string' || a === '')) {
      this.problems.push(`${label}: aliases must be a list of non-empty strings`);
    } else {
      aliases = aliasesRaw.map((a: string) => a.toUpperCase());
    }
    const description = entry.description ?? 'N/A';
    if (typeof description !== 'string') this.problems.push(`${label}: description must be a string`);
    return {
      name: (this.text(entry, 'name', label) ?? '').toUpperCase(),
      shortName: (this.text(entry, 'short_name', label) ?? '').toUpperCase(),
      aliases,
      description: String(description),
      isHidden: this.flag(entry, 'is_hidden', false, label),
      raw: entry,
    };
  }

  private level(entry: Raw, label: string): LevelEntry {
    const named = this.named(entry, label);
    for (const name of [named.shortName, named.name, ...named.aliases]) {
      if (RESERVED_LEVEL_NAMES.includes(name)) {
        this.problems.push(`${label}: ${name} is reserved (NULL, INVALID and INV cannot be used)`);
      }
      if (name.includes('//')) this.problems.push(`${label}: name ${name} cannot contain '//'`);
    }
    const lvl = toInteger(entry.lvl);
    if (lvl === undefined) this.problems.push(`${label}: lvl must be an integer (got ${JSON.stringify(entry.lvl)})`);
    else if (lvl < MIN_LVL || lvl > MAX_LVL) {
      this.problems.push(`${label}: lvl ${lvl} is outside ${MIN_LVL}-${MAX_LVL}`);
    }
    const css = entry.css ?? { color: 'default' };
    if (!isMapping(css)) this.problems.push(`${label}: css must be a mapping`);
    return { ...named, lvl: lvl ?? 0, css: isMapping(css) ? css : {} };
  }

  private requiredMarking(entry: Raw, label: string): RequiredEntry {
    const named = this.named(entry, label);
    this.noSlash(named, label);
    let requireLvl: number | undefined;
    if (entry.require_lvl !== undefined && entry.require_lvl !== null) {
      requireLvl = toInteger(entry.require_lvl);
      if (requireLvl === undefined) this.problems.push(`${label}: require_lvl must be an integer`);
    }
    return { ...named, requireLvl, isRequiredGroup: this.flag(entry, 'is_required_group', false, label) };
  }

  private group(entry: Raw, label: string): GroupEntry {
    const named = this.named(entry, label);
    this.noSlash(named, label);
    const solitary = this.optionalName(entry, 'solitary_display_name', label);
    for (const name of [named.shortName, named.name, ...named.aliases, ...(solitary ? [solitary] : [])]) {
      // Group names are read from comma-separated, trimmed REL lists.
      if (name.includes(',')) this.problems.push(`${label}: name ${name} cannot contain ','`);
      if (name !== name.trim()) this.problems.push(`${label}: name '${name}' cannot start or end with spaces`);
    }
    return { ...named, autoSelect: this.flag(entry, 'auto_select', false, label), solitaryDisplayName: solitary };
  }

  private subgroup(entry: Raw, label: string): SubgroupEntry {
    const named = this.named(entry, label);
    this.noSlash(named, label);
    for (const name of [named.shortName, named.name, ...named.aliases]) {
      if (name.startsWith('REL ')) this.problems.push(`${label}: name ${name} cannot start with 'REL '`);
    }
    return {
      ...named,
      autoSelect: this.flag(entry, 'auto_select', false, label),
      requireGroup: this.optionalName(entry, 'require_group', label),
      limitedToGroup: this.optionalName(entry, 'limited_to_group', label),
      solitaryDisplayName: this.optionalName(entry, 'solitary_display_name', label),
    };
  }

  // ---- cross checks

  private checkLevels(levels: LevelEntry[]): void {
    const byLvl = new Map<number, string>();
    const byName = new Map<string, string>();
    levels.forEach((level, i) => {
      const label = `levels[${i}] (${level.shortName})`;
      const other = byLvl.get(level.lvl);
      if (other) this.problems.push(`${label}: duplicate lvl ${level.lvl} (also ${other})`);
      else byLvl.set(level.lvl, label);
      for (const name of new Set([level.shortName, level.name, ...level.aliases])) {
        const owner = byName.get(name);
        if (owner) this.problems.push(`${label}: duplicate name ${name} (also ${owner})`);
        else byName.set(name, label);
      }
    });
  }

  /** Short and long names are unique in a category; an alias may be shared but may not hide a name. */
  private checkCategory(key: string, entries: NamedEntry[]): void {
    const names = new Map<string, string>();
    entries.forEach((entry, i) => {
      const label = `${key}[${i}] (${entry.shortName})`;
      for (const name of new Set([entry.shortName, entry.name])) {
        const owner = names.get(name);
        if (owner) this.problems.push(`${label}: duplicate name ${name} (also ${owner})`);
        else names.set(name, label);
      }
    });
    entries.forEach((entry, i) => {
      const label = `${key}[${i}] (${entry.shortName})`;
      const aliases = [...entry.aliases];
      const solitary = (entry as GroupEntry).solitaryDisplayName;
      if (solitary) aliases.push(solitary);
      for (const alias of aliases) {
        const owner = names.get(alias);
        if (owner && owner !== label) this.problems.push(`${label}: alias ${alias} is also the name of ${owner}`);
      }
    });
    if (key === 'groups') {
      // A solitary display name is rendered alone and parsed back as an alias, so it must name one group.
      (entries as GroupEntry[]).forEach((entry, i) => {
        const solitary = entry.solitaryDisplayName;
        if (!solitary) return;
        const sharers = entries.filter((e, j) => j !== i && e.aliases.includes(solitary));
        for (const other of sharers) {
          this.problems.push(
            `groups[${i}] (${entry.shortName}): solitary_display_name ${solitary} is also an alias of ${other.shortName}`,
          );
        }
      });
    }
  }

  /**
   * Pieces outside REL are tried as required markings first, then subgroups, then single-owner group
   * aliases; a name that an earlier kind already takes could never be reached.
   */
  private checkCrossCategory(required: RequiredEntry[], groups: GroupEntry[], subgroups: SubgroupEntry[]): void {
    const requiredNames = new Map<string, string>();
    required.forEach((r, i) => {
      for (const name of [r.shortName, r.name, ...r.aliases]) requiredNames.set(name, `required[${i}] (${r.shortName})`);
    });
    const subgroupNames = new Map<string, string>();
    subgroups.forEach((s, i) => {
      const label = `subgroups[${i}] (${s.shortName})`;
      for (const name of new Set([s.shortName, s.name, ...s.aliases])) {
        subgroupNames.set(name, label);
        const owner = requiredNames.get(name);
        if (owner) this.problems.push(`${label}: name ${name} is also a required marking name of ${owner}`);
      }
    });
    groups.forEach((g, i) => {
      const solitary = g.solitaryDisplayName;
      if (!solitary) return;
      const owner = requiredNames.get(solitary) ?? subgroupNames.get(solitary);
      if (owner) {
        this.problems.push(`groups[${i}] (${g.shortName}): solitary_display_name ${solitary} is also a name of ${owner}`);
      }
    });
  }

  private resolveReferences(
    levels: LevelEntry[],
    required: RequiredEntry[],
    groups: GroupEntry[],
    subgroups: SubgroupEntry[],
  ): void {
    const lvls = new Set(levels.map((l) => l.lvl));
    required.forEach((r, i) => {
      if (r.requireLvl !== undefined && !lvls.has(r.requireLvl)) {
        this.problems.push(`required[${i}] (${r.shortName}): require_lvl ${r.requireLvl} is not the lvl of any level`);
      }
    });
    const groupShort = new Map<string, string>();
    groups.forEach((g) => {
      groupShort.set(g.name, g.shortName);
      groupShort.set(g.shortName, g.shortName);
    });
    subgroups.forEach((s, i) => {
      for (const key of ['requireGroup', 'limitedToGroup'] as const) {
        const ref = s[key];
        if (ref === undefined) continue;
        const short = groupShort.get(ref);
        if (short) s[key] = short;
        else {
          const field = key === 'requireGroup' ? 'require_group' : 'limited_to_group';
          this.problems.push(`subgroups[${i}] (${s.shortName}): ${field} ${ref} is not a known group`);
        }
      }
      // Parsing adds the required group, then refuses any group but the limited one.
      if (s.requireGroup && s.limitedToGroup && s.requireGroup !== s.limitedToGroup) {
        this.problems.push(
          `subgroups[${i}] (${s.shortName}): require_group ${s.requireGroup} and limited_to_group ${s.limitedToGroup} ` +
            'exclude each other',
        );
      }
    });
  }

  // ---- scalars

  private noSlash(entry: NamedEntry, label: string): void {
    for (const name of [entry.shortName, entry.name, ...entry.aliases]) {
      if (name.includes('/')) this.problems.push(`${label}: name ${name} cannot contain '/'`);
    }
  }

  private text(obj: Raw, key: string, label: string): string | undefined {
    const value = obj[key];
    if (typeof value === 'string' && value !== '') return value;
    this.problems.push(`${label === key ? key : `${label}: ${key}`} must be a non-empty string`);
    return undefined;
  }

  private optionalName(obj: Raw, key: string, label: string): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && value !== '') return value.toUpperCase();
    this.problems.push(`${label}: ${key} must be a non-empty string`);
    return undefined;
  }

  private flag(obj: Raw, key: string, fallback: boolean | undefined, label: string): boolean {
    const value = obj[key] ?? fallback;
    if (typeof value === 'boolean') return value;
    this.problems.push(`${label === key ? key : `${label}: ${key}`} must be true or false`);
    return false;
  }
}

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}
