/** Field names a classified document stores its access-control parts under (Assemblyline's names). */
export const ACCESS_LEVEL_FIELD = '__access_lvl__';
export const ACCESS_REQUIRED_FIELD = '__access_req__';
export const ACCESS_GROUPS_FIELD = '__access_grp1__';
export const ACCESS_SUBGROUPS_FIELD = '__access_grp2__';

/** Stored instead of an empty group or subgroup list, so "no restriction" is a value an index can match. */
export const ACCESS_EMPTY = '__EMPTY__';

/** The access-control parts of a classification, shaped as they are stored on a document. */
export interface AccessControlParts {
  __access_lvl__: number;
  /** Short names of the required markings. */
  __access_req__: string[];
  /** Short names of the groups, or `['__EMPTY__']`. */
  __access_grp1__: string[];
  /** Short names of the subgroups, or `['__EMPTY__']`. */
  __access_grp2__: string[];
}

/**
 * Mongoose schema paths for the four fields, to spread into a collection's schema. Plain constructors,
 * so this lib does not depend on mongoose.
 */
export const ACCESS_CONTROL_SCHEMA_FIELDS = {
  [ACCESS_LEVEL_FIELD]: { type: Number, required: true },
  [ACCESS_REQUIRED_FIELD]: { type: [String], default: [] },
  [ACCESS_GROUPS_FIELD]: { type: [String], default: [ACCESS_EMPTY] },
  [ACCESS_SUBGROUPS_FIELD]: { type: [String], default: [ACCESS_EMPTY] },
} as const;
