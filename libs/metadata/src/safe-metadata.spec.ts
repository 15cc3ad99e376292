import { InvalidMetadata } from './metadata-errors';
import { flattenMetadata } from './flatten-metadata';
import { assertSafeMetadataKeys } from './metadata-keys';

describe('assertSafeMetadataKeys', () => {
  it('accepts ordinary dotted keys', () => {
    expect(() => assertSafeMetadataKeys({ 'a.b': 1, 'x$y': 2, c: 3, constructor: 4 })).not.toThrow();
  });

  it('refuses __proto__ at any level', () => {
    const metadata = JSON.parse('{"a": {"__proto__": ["x"]}}');
    expect(() => assertSafeMetadataKeys(flattenMetadata(metadata))).toThrow(
      new InvalidMetadata('Invalid metadata key "a.__proto__": __proto__ is a reserved name', 'invalid_key', 'a.__proto__'),
    );
  });

  it.each(['$where', 'a.$gt', 'nul\u0000key'])('refuses %p, naming it', (key) => {
    let error: unknown;
    try {
      assertSafeMetadataKeys({ ok: 1, [key]: 2 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidMetadata);
    expect((error as InvalidMetadata).kind).toBe('invalid_key');
    expect((error as InvalidMetadata).field).toBe(key);
    expect((error as InvalidMetadata).message).toBe(
      `Invalid metadata key ${JSON.stringify(key)}: a key may not start with '$' or contain a NUL character`,
    );
  });
});
