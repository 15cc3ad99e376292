// Submission metadata validation against `submission.metadata` (pure: no I/O).
export { checkMetadata } from './check-metadata';
export type { CheckOptions } from './check-metadata';
export { compileScheme, mergeSchemes } from './compiled-scheme';
export type { CompiledField, CompiledScheme } from './compiled-scheme';
export { METADATA_FIELD_TYPES } from './field-check-registry';
export { flattenMetadata } from './flatten-metadata';
export type { MetadataConfigInput, MetadataFieldInput, MetadataSchemeInput } from './metadata-config';
export { InvalidMetadata, InvalidMetadataScheme } from './metadata-errors';
export type { InvalidMetadataKind } from './metadata-errors';
export { assertSafeMetadata } from './safe-metadata';
export { enforceMetadataLength, metadataValueLength } from './metadata-length';
export type { OverLengthPolicy } from './metadata-length';
export type { FlatMetadata, MetadataValue } from './metadata-types';
export { DEFAULT_INGEST_TYPE, INGEST_SYSTEM_METADATA_KEYS, MetadataValidator } from './metadata-validator';
export type { MetadataValidatorConfig, ValidatedMetadata, ValidateMetadataOptions } from './metadata-validator';
export { pyListRepr, pyRepr, pySetRepr, pyStrRepr } from './python-repr';
