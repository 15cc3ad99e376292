import { InvalidMetadata } from './metadata-errors';
import { FlatMetadata } from './metadata-types';

// MongoDB reads a `$` at the start of a field name as an operator and cuts names at NUL; a submitter must
// not be able to smuggle either into the stored document, at any level of the dotted path. `__proto__`
// is refused too: kept as data here, it would turn into a prototype in any code that assigns it later.
function problem(key: string): string | undefined {
  const segments = key.split('.');
  if (key.includes('\u0000') || segments.some((segment) => segment.startsWith('$'))) {
    return "a key may not start with '$' or contain a NUL character";
  }
  if (segments.includes('__proto__')) return '__proto__ is a reserved name';
  return undefined;
}

/** Refuses keys (or dotted segments of keys) that start with `$`, contain NUL, or are `__proto__`. */
export function assertSafeMetadataKeys(metadata: FlatMetadata): void {
  for (const key of Object.keys(metadata)) {
    const reason = problem(key);
    if (reason) throw new InvalidMetadata(`Invalid metadata key ${JSON.stringify(key)}: ${reason}`, 'invalid_key', key);
  }
}
