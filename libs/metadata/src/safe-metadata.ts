import { InvalidMetadata } from './metadata-errors';

// Keys are stored encoded (`.` and `$` are fine: see the datastore's metadata codec), but the server can hold
// no NUL at all, in a key or in a value: refused here, naming the key, rather than failing the write. A
// `__proto__` key is refused too: kept as data here, it would turn into a prototype in any code that
// assigns it later.
function keyProblem(key: string): string | undefined {
  if (key.includes('\u0000')) return 'a key may not contain a NUL character';
  if (key.split('.').includes('__proto__')) return '__proto__ is a reserved name';
  return undefined;
}

/**
 * Refuses metadata the datastore cannot hold: a key with a NUL or a `__proto__` segment, or a text value
 * with a NUL (lists and numbers are stored as JSON text, which escapes it).
 */
export function assertSafeMetadata(metadata: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(metadata)) {
    const reason = keyProblem(key);
    if (reason) throw new InvalidMetadata(`Invalid metadata key ${JSON.stringify(key)}: ${reason}`, 'invalid_key', key);
    if (typeof value === 'string' && value.includes('\u0000')) {
      throw new InvalidMetadata(`Invalid metadata value for key ${JSON.stringify(key)}: a value may not contain a NUL character`, 'invalid_value', key);
    }
  }
}
