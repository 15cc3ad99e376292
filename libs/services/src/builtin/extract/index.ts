// The built-in Extract service: zip, gzip, tar and 7z, one level deep, with passwords and bomb limits.
export { EXTRACT_ACCEPTS, EXTRACT_MANIFEST } from './extract-manifest';
export { DEFAULT_EXTRACT_OPTIONS } from './extract-options';
export type { ExtractLimits, ExtractOptions } from './extract-options';
export { ExtractService } from './extract-service';
export { EXTRACT_HEURISTICS } from './heuristics';
export { MAX_ENTRY_NAME_LENGTH, sanitiseEntryName } from './entry-name';
