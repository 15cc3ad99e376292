import type {
  ClassificationDefinition,
  GroupEntry,
  LevelEntry,
  NamedEntry,
  RequiredEntry,
  SubgroupEntry,
} from './definition-types';

/** Reserved levels every engine knows: NULL (0) and INV/INVALID (10001). */
export const NULL_LVL = 0;
export const INVALID_LVL = 10001;
export const MIN_LVL = 1;
export const MAX_LVL = 10000;
export const RESERVED_LEVEL_NAMES = ['NULL', 'INV', 'INVALID'];

/** Name lookups for one category (required markings, groups or subgroups). */
export class NameTable<E extends NamedEntry> {
  private readonly byShort = new Map<string, E>();
  private readonly byLong = new Map<string, E>();
  /** Alias -> short names of every entry sharing it, in definition order. */
  readonly aliases = new Map<string, string[]>();

  constructor(
    readonly entries: E[],
    extraAliases: (entry: E) => string[] = () => [],
  ) {
    for (const entry of entries) {
      this.byShort.set(entry.shortName, entry);
      this.byLong.set(entry.name, entry);
      for (const alias of [...entry.aliases, ...extraAliases(entry)]) {
        const owners = this.aliases.get(alias) ?? [];
        if (!owners.includes(entry.shortName)) owners.push(entry.shortName);
        this.aliases.set(alias, owners);
      }
    }
  }

  /** Short names a long name, short name or alias stands for; undefined if it names nothing. */
  resolve(name: string): string[] | undefined {
    const entry = this.byLong.get(name) ?? this.byShort.get(name);
    if (entry) return [entry.shortName];
    return this.aliases.get(name);
  }

  /** The entry for a short or long name. */
  entry(name: string): E | undefined {
    return this.byShort.get(name) ?? this.byLong.get(name);
  }

  /** True for a short name, long name or alias, exactly as stored (upper case). */
  knows(name: string): boolean {
    return this.byShort.has(name) || this.byLong.has(name) || this.aliases.has(name);
  }

  /** The output-format name of a short name; unknown (dynamic) names pass through unchanged. */
  display(shortName: string, longFormat: boolean): string {
    const entry = this.byShort.get(shortName);
    if (!entry) return shortName;
    return longFormat ? entry.name : entry.shortName;
  }

  get shortNames(): string[] {
    return this.entries.map((e) => e.shortName);
  }
}

/** Level lookups, including the reserved NULL and INVALID levels. */
export class LevelTable {
  private readonly byName = new Map<string, number>();
  private readonly byLvl = new Map<number, { shortName: string; name: string }>();
  /** Names the `is_valid` structure check accepts as a first part. */
  private readonly exactNames = new Set<string>();

  constructor(readonly entries: LevelEntry[]) {
    this.add(INVALID_LVL, 'INV', 'INVALID', []);
    this.add(NULL_LVL, 'NULL', 'NULL', []);
    for (const level of entries) this.add(level.lvl, level.shortName, level.name, level.aliases);
  }

  private add(lvl: number, shortName: string, name: string, aliases: string[]): void {
    this.byLvl.set(lvl, { shortName, name });
    for (const n of [shortName, name, ...aliases]) {
      this.byName.set(n, lvl);
      this.exactNames.add(n);
    }
  }

  lvlOf(name: string): number | undefined {
    return this.byName.get(name);
  }

  /** Short or long name of a level number; undefined if no level has that number. */
  text(lvl: number, longFormat: boolean): string | undefined {
    const level = this.byLvl.get(lvl);
    if (!level) return undefined;
    return longFormat ? level.name : level.shortName;
  }

  isLevelNumber(text: string): boolean {
    return /^\d+$/.test(text) && this.byLvl.has(Number(text));
  }

  knows(name: string): boolean {
    return this.exactNames.has(name);
  }
}

/** Every lookup the parser, renderer and validity check need, built once per definition. */
export interface ClassificationTables {
  definition: ClassificationDefinition;
  levels: LevelTable;
  required: NameTable<RequiredEntry>;
  groups: NameTable<GroupEntry>;
  subgroups: NameTable<SubgroupEntry>;
}

export function buildTables(definition: ClassificationDefinition): ClassificationTables {
  return {
    definition,
    levels: new LevelTable(definition.levels),
    required: new NameTable(definition.required),
    // Assemblyline makes a solitary display name an alias of its group (and of its subgroup).
    groups: new NameTable(definition.groups, (g) => (g.solitaryDisplayName ? [g.solitaryDisplayName] : [])),
    subgroups: new NameTable(definition.subgroups, (s) => (s.solitaryDisplayName ? [s.solitaryDisplayName] : [])),
  };
}
