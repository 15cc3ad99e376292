import { acceptsFileType } from '@hopper/services';
import { extractServiceFor } from './extract-service-for';

// The manifest does not depend on the options; any valid limits give it.
const EXTRACT_MANIFEST = extractServiceFor({ default_passwords: [], max_entries: 1, max_total_bytes: 1, max_ratio: 1 }).manifest;

/**
 * Whether intake opens a file of this Assemblyline type: exactly the types Extract accepts (plain zip, gzip,
 * tar, 7z). Office documents, jars and apks are zips too, but are samples in their own right.
 */
export function isArchiveType(type: string): boolean {
  return acceptsFileType(EXTRACT_MANIFEST, type);
}
