import type { FileSourceDefinition } from './file-source';

/** Assemblyline's hash patterns, by hash type. */
export const DEFAULT_HASH_PATTERNS: Record<string, RegExp> = {
  md5: /^[a-f0-9]{32}$/i,
  sha1: /^[a-f0-9]{40}$/i,
  sha256: /^[a-f0-9]{64}$/i,
  ssdeep: /^[0-9]{1,18}:[a-zA-Z0-9/+]{0,64}:[a-zA-Z0-9/+]{0,64}$/,
  tlsh: /^(?:T1)?[0-9a-fA-F]{70}$/,
};

/**
 * The name of the pattern the input matches for this source (a hash type, or a key of `hash_patterns`), or
 * null when the source does not take this input. Custom patterns are tried first, then the hash types.
 */
export function matchInput(input: string, source: Pick<FileSourceDefinition, 'hash_types' | 'hash_patterns'>): string | null {
  for (const [name, pattern] of Object.entries(source.hash_patterns ?? {})) {
    if (new RegExp(pattern).test(input)) return name;
  }
  for (const type of source.hash_types ?? ['sha256']) {
    if (DEFAULT_HASH_PATTERNS[type]?.test(input)) return type;
  }
  return null;
}
