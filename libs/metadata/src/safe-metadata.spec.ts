import { InvalidMetadata } from './metadata-errors';
import { flattenMetadata } from './flatten-metadata';
import { assertSafeMetadata } from './safe-metadata';

function refusal(metadata: Record<string, unknown>): InvalidMetadata {
  try {
    assertSafeMetadata(metadata);
  } catch (caught) {
    expect(caught).toBeInstanceOf(InvalidMetadata);
    return caught as InvalidMetadata;
  }
  throw new Error('not refused');
}

describe('assertSafeMetadata', () => {
  it("accepts dotted keys and keys with '$' anywhere (the datastore stores keys encoded), and control characters other than NUL", () => {
    expect(() => assertSafeMetadata({ 'a.b': 1, x$y: 2, $where: 3, 'a.$gt': 4, constructor: 5, '%2E': 6, tab: 'a\tb', bell: '\u0007' })).not.toThrow();
  });

  it('refuses __proto__ at any level', () => {
    const metadata = JSON.parse('{"a": {"__proto__": ["x"]}}');
    expect(() => assertSafeMetadata(flattenMetadata(metadata))).toThrow(
      new InvalidMetadata('Invalid metadata key "a.__proto__": __proto__ is a reserved name', 'invalid_key', 'a.__proto__'),
    );
  });

  it('refuses a key with a NUL, naming it', () => {
    const error = refusal({ ok: 1, 'nul\u0000key': 2 });
    expect(error).toMatchObject({ kind: 'invalid_key', field: 'nul\u0000key' });
    expect(error.message).toBe('Invalid metadata key "nul\\u0000key": a key may not contain a NUL character');
  });

  it('refuses a text value with a NUL, naming its key', () => {
    const error = refusal(flattenMetadata({ ok: 'fine', outer: { inner: 'a\u0000b' } }));
    expect(error).toMatchObject({ kind: 'invalid_value', field: 'outer.inner' });
    expect(error.message).toBe('Invalid metadata value for key "outer.inner": a value may not contain a NUL character');
  });

  it('lets a NUL inside a list through: lists are stored as JSON text, which escapes it', () => {
    expect(() => assertSafeMetadata({ list: ['a\u0000b'] })).not.toThrow();
  });
});
