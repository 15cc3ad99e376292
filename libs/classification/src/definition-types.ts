/** How users' own attributes turn into groups when `dynamic_groups` is on (checked, never used). */
export type DynamicGroupsType = 'email' | 'group' | 'all';

/** Fields every named entry shares. Names and aliases are stored upper-cased, as the engine compares them. */
export interface NamedEntry {
  name: string;
  shortName: string;
  aliases: string[];
  description: string;
  isHidden: boolean;
  /** The entry exactly as the file gave it, for the definition dump the UI reads. */
  raw: Record<string, unknown>;
}

export interface LevelEntry extends NamedEntry {
  lvl: number;
  css: Record<string, unknown>;
}

export interface RequiredEntry extends NamedEntry {
  /** The level a marking carrying this token is raised to when rendered. */
  requireLvl?: number;
  /** Rendered in its own `//` part after the plain required markings. */
  isRequiredGroup: boolean;
}

export interface GroupEntry extends NamedEntry {
  autoSelect: boolean;
  solitaryDisplayName?: string;
}

export interface SubgroupEntry extends NamedEntry {
  autoSelect: boolean;
  /** Short name of the group this subgroup adds. */
  requireGroup?: string;
  /** Short name of the only group this subgroup may be combined with. */
  limitedToGroup?: string;
  /** Accepted as an alias, as Assemblyline does; never rendered. */
  solitaryDisplayName?: string;
}

/** A validated classification definition (Assemblyline's classification.yml). */
export interface ClassificationDefinition {
  enforce: boolean;
  dynamicGroups: boolean;
  dynamicGroupsType: DynamicGroupsType;
  levels: LevelEntry[];
  required: RequiredEntry[];
  groups: GroupEntry[];
  subgroups: SubgroupEntry[];
  /** As written in the file; the engine normalizes them when enforce is on. */
  unrestricted: string;
  restricted: string;
  /** The merged input the definition was read from. */
  original: Record<string, unknown>;
}
