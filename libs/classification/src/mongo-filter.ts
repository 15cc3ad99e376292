import {
  ACCESS_EMPTY,
  ACCESS_GROUPS_FIELD,
  ACCESS_LEVEL_FIELD,
  ACCESS_REQUIRED_FIELD,
  ACCESS_SUBGROUPS_FIELD,
  AccessControlParts,
} from './access-control';

export type MongoFilter = Record<string, unknown>;

/**
 * A MongoDB filter matching the documents a user may see, from the user's access-control parts and every
 * required marking the definition has: level at most the user's, no required marking the user lacks,
 * and at least one shared group and subgroup unless the document has none.
 *
 * Required markings are excluded with `$nin` over the markings the user lacks (as Assemblyline's query
 * does) rather than `$not`/`$elemMatch`, which FerretDB v1 evaluates wrongly on arrays.
 */
export function buildMongoAccessFilter(user: AccessControlParts, allRequired: readonly string[]): MongoFilter {
  const held = new Set(user[ACCESS_REQUIRED_FIELD]);
  const lacking = allRequired.filter((r) => !held.has(r));
  const clauses: MongoFilter[] = [{ [ACCESS_LEVEL_FIELD]: { $lte: user[ACCESS_LEVEL_FIELD] } }];
  if (lacking.length > 0) clauses.push({ [ACCESS_REQUIRED_FIELD]: { $nin: lacking } });
  clauses.push({ [ACCESS_GROUPS_FIELD]: { $in: withEmpty(user[ACCESS_GROUPS_FIELD]) } });
  clauses.push({ [ACCESS_SUBGROUPS_FIELD]: { $in: withEmpty(user[ACCESS_SUBGROUPS_FIELD]) } });
  return { $and: clauses };
}

function withEmpty(names: string[]): string[] {
  return [ACCESS_EMPTY, ...names.filter((n) => n !== ACCESS_EMPTY)];
}
