/**
 * Submission metadata as the MongoDB-wire server stores it. Assemblyline flattens metadata to dotted keys
 * (`{a: {b: 'c'}}` is `{'a.b': 'c'}`) and takes any key, `$` included; MongoDB refuses a `.` or a leading `$`
 * in a field name (FerretDB on every write) and NUL anywhere. So keys are stored percent-escaped: the escape
 * character `%` itself, `.`, `$` and NUL become `%25`, `%2E`, `%24` and `%00`; every other key is stored as
 * it is. Repositories encode on write and decode on read, so the rest of Hopper only sees the real keys.
 * Values are stored unchanged (a NUL in a value is refused at intake: the server cannot store it).
 */
const ESCAPED_CHARACTERS = /[%.$\u0000]/g;
const ESCAPE_SEQUENCES = /%(25|2E|24|00)/g;

const escape = (character: string): string => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

export function encodeMetadataKey(key: string): string {
  return key.replace(ESCAPED_CHARACTERS, escape);
}

export function decodeMetadataKey(stored: string): string {
  return stored.replace(ESCAPE_SEQUENCES, (_sequence, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The metadata to write: every key encoded (Object.fromEntries keeps a `__proto__` key as data). */
export function encodeMetadata(metadata: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [encodeMetadataKey(key), value]));
}

/** The metadata a stored document holds, keys decoded; absent metadata reads as empty. */
export function decodeMetadata(stored: Readonly<Record<string, string>> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(stored ?? {}).map(([key, value]) => [decodeMetadataKey(key), value]));
}

/** A document with its metadata decoded (the same document when it has none). */
export function withDecodedMetadata<T extends { metadata?: Record<string, string> }>(record: T): T;
export function withDecodedMetadata<T extends { metadata?: Record<string, string> }>(record: T | null): T | null;
export function withDecodedMetadata<T extends { metadata?: Record<string, string> }>(record: T | null): T | null {
  if (!record || record.metadata === undefined) return record;
  return { ...record, metadata: decodeMetadata(record.metadata) };
}
