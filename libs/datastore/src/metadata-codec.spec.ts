import { decodeMetadata, decodeMetadataKey, encodeMetadata, encodeMetadataKey, withDecodedMetadata } from './metadata-codec';

describe('metadata codec', () => {
  it.each([
    ['a.b', 'a%2Eb'],
    ['a.b.c', 'a%2Eb%2Ec'],
    ['$set', '%24set'],
    ['a$b', 'a%24b'],
    ['100%', '100%25'],
    ['%2E', '%252E'],
    ['%25', '%2525'],
    ['a\u0000b', 'a%00b'],
    ['.$%', '%2E%24%25'],
  ])('stores %j as %j, with no `.`, no `$` and no NUL left', (key, stored) => {
    expect(encodeMetadataKey(key)).toBe(stored);
    expect(stored).not.toMatch(/[.$\u0000]/);
    expect(decodeMetadataKey(stored)).toBe(key);
  });

  it.each(['case', 'ts', 'submitted_url', 'ingest_id', 'émoji 🦠', 'with space', '%', '%%', '%2', '%zz', 'a%2', '2E', ''])(
    'round-trips %j, and leaves a key without `%`, `.`, `$` or NUL as it is',
    (key) => {
      expect(decodeMetadataKey(encodeMetadataKey(key))).toBe(key);
      if (!/[%.$\u0000]/.test(key)) expect(encodeMetadataKey(key)).toBe(key);
    },
  );

  it('round-trips a whole map, values unchanged', () => {
    const metadata = { 'case.id': '42', 'case.owner.team': 'cirt', $leading: 'x', 'per%2Ecent': 'q', plain: 'a.b$c%' };
    const stored = encodeMetadata(metadata);
    expect(Object.keys(stored).some((key) => key.includes('.') || key.startsWith('$'))).toBe(false);
    expect(Object.values(stored)).toEqual(Object.values(metadata));
    expect(decodeMetadata(stored)).toEqual(metadata);
  });

  it('keeps a `__proto__` key as data, never as a prototype', () => {
    const metadata = JSON.parse('{"__proto__": "x", "a.b": "y"}') as Record<string, string>;
    const decoded = decodeMetadata(encodeMetadata(metadata));
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto__', 'a.b']);
  });

  it('reads absent metadata as empty, and decodes a document without touching its other fields', () => {
    expect(decodeMetadata(undefined)).toEqual({});
    expect(decodeMetadata(null)).toEqual({});
    const record = { sid: 's', metadata: { 'a%2Eb': 'c' } };
    expect(withDecodedMetadata(record)).toEqual({ sid: 's', metadata: { 'a.b': 'c' } });
    expect(record.metadata).toEqual({ 'a%2Eb': 'c' });
    expect(withDecodedMetadata(null)).toBeNull();
  });
});
