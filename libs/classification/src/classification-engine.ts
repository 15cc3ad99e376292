import {
  ACCESS_EMPTY,
  ACCESS_GROUPS_FIELD,
  ACCESS_LEVEL_FIELD,
  ACCESS_REQUIRED_FIELD,
  ACCESS_SUBGROUPS_FIELD,
  AccessControlParts,
} from './access-control';
import { ClassificationParts, FormattedParts, formatParts } from './classification-parts';
import { buildUserParts, intersectUserParts, maxParts, minParts } from './combine';
import type { ClassificationDefinition, DynamicGroupsType } from './definition-types';
import { loadClassificationDefinition, LoadDefinitionOptions } from './definition-loader';
import { InvalidClassification } from './errors';
import { buildMongoAccessFilter, MongoFilter } from './mongo-filter';
import { buildTables, ClassificationTables } from './name-tables';
import { normalizeWith, NormalizeOptions } from './normalize';
import { parsedDefinitionDump } from './parsed-definition';
import { levelNotFound, parseClassification, ParseOptions, splitLevel } from './parser';
import { renderClassification } from './renderer';
import { isValidWith } from './validity';

export type { NormalizeOptions } from './normalize';

export interface FormatOptions {
  longFormat?: boolean;
}

export interface PartsOptions extends ParseOptions {
  longFormat?: boolean;
}

type Maybe = string | null | undefined;

/**
 * Assemblyline's classification engine (assemblyline-base `Classification`), same results for the same
 * definition and input. Pure: build it from a loaded definition.
 *
 * Differences on purpose: a bad definition is refused at load instead of switching to an "invalid
 * mode"; input Assemblyline crashes on (null, non-strings, level numbers such as "100") raises
 * InvalidClassification; normalize keeps no cache of past answers.
 */
export class ClassificationEngine {
  private readonly tables: ClassificationTables;
  private readonly unrestricted: string;
  private readonly restricted: string;

  constructor(readonly definition: ClassificationDefinition) {
    this.tables = buildTables(definition);
    // With enforce off both are the raw `unrestricted` value, as in Assemblyline.
    this.unrestricted = definition.enforce ? normalizeWith(this.tables, definition.unrestricted) : definition.unrestricted;
    this.restricted = definition.enforce ? normalizeWith(this.tables, definition.restricted) : definition.unrestricted;
  }

  /** Loads a definition (YAML text or parsed object) and builds the engine. */
  static fromDefinition(
    input: string | Readonly<Record<string, unknown>>,
    options?: LoadDefinitionOptions,
  ): ClassificationEngine {
    return new ClassificationEngine(loadClassificationDefinition(input, options));
  }

  get UNRESTRICTED(): string {
    return this.unrestricted;
  }

  get RESTRICTED(): string {
    return this.restricted;
  }

  get enforce(): boolean {
    return this.definition.enforce;
  }

  get dynamicGroups(): boolean {
    return this.definition.dynamicGroups;
  }

  get dynamicGroupsType(): DynamicGroupsType {
    return this.definition.dynamicGroupsType;
  }

  /** Always false: a definition that would put Assemblyline in invalid mode is refused at load. */
  get invalidMode(): boolean {
    return false;
  }

  normalize(c12n: string, options: NormalizeOptions = {}): string {
    if (!this.enforce) return this.unrestricted;
    return normalizeWith(this.tables, this.checked(c12n), options);
  }

  isValid(c12n: string, options: { skipAutoSelect?: boolean } = {}): boolean {
    if (!this.enforce) return true;
    return isValidWith(this.tables, this.checked(c12n), options.skipAutoSelect ?? false);
  }

  /** Whether a user with clearance `user` may see an item marked `item` (null: unmarked, visible). */
  isAccessible(user: string, item: Maybe, options: { ignoreInvalid?: boolean } = {}): boolean {
    if (!this.enforce) return true;
    if (item === null || item === undefined) return true;
    const userText = this.checked(user);
    const itemText = this.checked(item);
    let u: ClassificationParts;
    let it: ClassificationParts;
    try {
      // Parsed only: require_lvl does not apply, auto-select groups are not demanded.
      u = parseClassification(this.tables, userText);
      it = parseClassification(this.tables, itemText);
    } catch (error) {
      if (options.ignoreInvalid && error instanceof InvalidClassification) return false;
      throw error;
    }
    if (u.lvl < it.lvl) return false;
    if (![...it.required].every((r) => u.required.has(r))) return false;
    if (it.groups.size > 0 && ![...u.groups].some((g) => it.groups.has(g))) return false;
    if (it.subgroups.size > 0 && ![...u.subgroups].some((s) => it.subgroups.has(s))) return false;
    return true;
  }

  /** The most restrictive combination of two item markings; a null side returns the other verbatim. */
  max(a: string, b: string, options?: FormatOptions): string;
  max(a: Maybe, b: Maybe, options?: FormatOptions): string | null;
  max(a: Maybe, b: Maybe, options: FormatOptions = {}): string | null {
    return this.combine(a, b, options, true, false, (x, y, long) => maxParts(this.tables, x, y, long));
  }

  /** The least restrictive combination of two item markings. */
  min(a: string, b: string, options?: FormatOptions): string;
  min(a: Maybe, b: Maybe, options?: FormatOptions): string | null;
  min(a: Maybe, b: Maybe, options: FormatOptions = {}): string | null {
    return this.combine(a, b, options, true, false, minParts);
  }

  /** The clearance of what two users could both see. */
  intersectUser(a: string, b: string, options?: FormatOptions): string;
  intersectUser(a: Maybe, b: Maybe, options?: FormatOptions): string | null;
  intersectUser(a: Maybe, b: Maybe, options: FormatOptions = {}): string | null {
    return this.combine(a, b, options, false, true, intersectUserParts);
  }

  /** A user clearance covering both; disjoint groups are fine here. */
  buildUser(a: string, b: string, options?: FormatOptions): string;
  buildUser(a: Maybe, b: Maybe, options?: FormatOptions): string | null;
  buildUser(a: Maybe, b: Maybe, options: FormatOptions = {}): string | null {
    return this.combine(a, b, options, false, true, buildUserParts);
  }

  /** UNRESTRICTED, whatever the user and format (Assemblyline ignores both arguments). */
  defaultUserClassification(_user?: unknown, _options?: FormatOptions): string {
    return this.unrestricted;
  }

  /**
   * The parts a document stores (or, with `userClassification`, a user's clearance in the same terms):
   * numeric level and short names, `['__EMPTY__']` for no groups or subgroups. Parsed, not rendered, so
   * require_lvl is not applied; items get their auto-select groups, users do not.
   */
  accessControlParts(c12n: string, options: { userClassification?: boolean } = {}): AccessControlParts {
    const text = this.enforce ? this.checked(c12n) : this.unrestricted;
    const parts = formatParts(
      this.tables,
      parseClassification(this.tables, text, { autoSelect: !options.userClassification }),
      false,
    );
    return {
      [ACCESS_LEVEL_FIELD]: parts.lvl,
      [ACCESS_REQUIRED_FIELD]: parts.required,
      [ACCESS_GROUPS_FIELD]: parts.groups.length ? parts.groups : [ACCESS_EMPTY],
      [ACCESS_SUBGROUPS_FIELD]: parts.subgroups.length ? parts.subgroups : [ACCESS_EMPTY],
    };
  }

  /** A MongoDB filter returning only the documents (storing accessControlParts) the user may see. */
  mongoAccessFilter(userC12n: string): MongoFilter {
    if (!this.enforce) return {};
    const user = this.accessControlParts(userC12n, { userClassification: true });
    return buildMongoAccessFilter(user, this.tables.required.shortNames);
  }

  /** Short names of every required marking, in definition order ([] with enforce off). */
  accessControlReq(): string[] {
    return this.enforce ? this.tables.required.shortNames : [];
  }

  accessControlGroups(): string[] {
    return this.enforce ? this.tables.groups.shortNames : [];
  }

  accessControlSubgroups(): string[] {
    return this.enforce ? this.tables.subgroups.shortNames : [];
  }

  /** The parser's view (Assemblyline's `_get_classification_parts`), in the output format's names. */
  classificationParts(c12n: string, options: PartsOptions = {}): FormattedParts {
    const parts = parseClassification(this.tables, this.checked(c12n), options);
    return formatParts(this.tables, parts, options.longFormat ?? true);
  }

  /** Assemblyline's `get_parsed_classification_definition` material. */
  parsedDefinition(): Record<string, unknown> {
    return parsedDefinitionDump(this.definition, this.unrestricted, this.restricted);
  }

  private combine(
    a: Maybe,
    b: Maybe,
    options: FormatOptions,
    autoSelect: boolean,
    skipAutoSelect: boolean,
    merge: (x: ClassificationParts, y: ClassificationParts, longFormat: boolean) => ClassificationParts,
  ): string | null {
    if (!this.enforce) return this.unrestricted;
    if (a === null || a === undefined) return b ?? null;
    if (b === null || b === undefined) return a;
    const longFormat = options.longFormat ?? true;
    const x = parseClassification(this.tables, this.checked(a), { autoSelect });
    const y = parseClassification(this.tables, this.checked(b), { autoSelect });
    return renderClassification(this.tables, merge(x, y, longFormat), { longFormat, skipAutoSelect });
  }

  /**
   * Input Assemblyline crashes on (a TypeError or AttributeError there) raises InvalidClassification
   * here, even where other bad input only makes the answer false: null and non-strings, and level
   * numbers, which hit Assemblyline's number-to-name table.
   */
  private checked(value: unknown): string {
    if (typeof value !== 'string') {
      throw new InvalidClassification(`A classification must be a string (got ${value === null ? 'null' : typeof value})`);
    }
    const [levelText] = splitLevel(value);
    if (this.tables.levels.lvlOf(levelText) === undefined && this.tables.levels.isLevelNumber(levelText)) {
      throw levelNotFound(levelText);
    }
    return value;
  }
}
