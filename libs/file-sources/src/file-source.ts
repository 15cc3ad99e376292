import type { FileSourceConfig } from '@hopper/config';

/**
 * A file source as configured (`submission.file_sources`, Assemblyline's field names). Everything but name
 * and url is optional here so the fetcher can also take sources built by hand; defaults are Assemblyline's.
 */
export type FileSourceDefinition = Pick<FileSourceConfig, 'name' | 'url'> & Partial<Omit<FileSourceConfig, 'name' | 'url'>>;

export const DEFAULT_REPLACE_PATTERN = '{INPUT}';
