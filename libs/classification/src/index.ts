export { ClassificationEngine } from './classification-engine';
export type { FormatOptions, NormalizeOptions, PartsOptions } from './classification-engine';
export { loadClassificationDefinition } from './definition-loader';
export type { LoadDefinitionOptions } from './definition-loader';
export { loadClassificationFile } from './classification-file';
export { ASSEMBLYLINE_DEFAULT_DEFINITION } from './assemblyline-default-definition';
export type {
  ClassificationDefinition,
  DynamicGroupsType,
  GroupEntry,
  LevelEntry,
  RequiredEntry,
  SubgroupEntry,
} from './definition-types';
export type { FormattedParts } from './classification-parts';
export { InvalidClassification, InvalidDefinition } from './errors';
export {
  ACCESS_CONTROL_SCHEMA_FIELDS,
  ACCESS_EMPTY,
  ACCESS_GROUPS_FIELD,
  ACCESS_LEVEL_FIELD,
  ACCESS_REQUIRED_FIELD,
  ACCESS_SUBGROUPS_FIELD,
} from './access-control';
export type { AccessControlParts } from './access-control';
export { accessControlFieldsFor } from './document-access-fields';
export { buildMongoAccessFilter } from './mongo-filter';
export type { MongoFilter } from './mongo-filter';
export { INVALID_LVL, MAX_LVL, MIN_LVL, NULL_LVL } from './name-tables';
