import { checkMetadata } from './check-metadata';
import { compileScheme } from './compiled-scheme';
import { MetadataSchemeInput } from './metadata-config';
import { InvalidMetadata } from './metadata-errors';

function scheme(input: MetadataSchemeInput) {
  const problems: string[] = [];
  const compiled = compileScheme(input, 'test', problems);
  expect(problems).toEqual([]);
  return compiled;
}

function failure(run: () => unknown): InvalidMetadata {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidMetadata) return error;
    throw error;
  }
  throw new Error('expected InvalidMetadata');
}

describe('checkMetadata', () => {
  it('passes metadata that fits the scheme and leaves the input untouched', () => {
    const input = { name: 'x', other: 1 };
    expect(checkMetadata(input, scheme({ name: { validation_type: 'text' } }), { strict: false })).toEqual({ name: 'x', other: 1 });
    expect(input).toEqual({ name: 'x', other: 1 });
  });

  it('renames an alias to its field', () => {
    const out = checkMetadata({ src: 'feed' }, scheme({ source: { validation_type: 'text', aliases: ['origin', 'src'] } }), { strict: true });
    expect(out).toEqual({ source: 'feed' });
  });

  it('keeps the field\'s own value when both the field and an alias are given', () => {
    const out = checkMetadata({ source: 'a', src: 'b' }, scheme({ source: { aliases: ['src'] } }), { strict: false });
    expect(out).toEqual({ source: 'a', src: 'b' });
  });

  it('lists every missing required field in Assemblyline\'s words', () => {
    const error = failure(() =>
      checkMetadata({ c: 1 }, scheme({ a: { required: true }, b: { required: true }, c: { required: true } }), { strict: false }),
    );
    expect(error.message).toBe("Required metadata is missing from submission: ['a', 'b']");
    expect(error.kind).toBe('missing');
  });

  it('fills a missing required field from its default, then validates it', () => {
    expect(checkMetadata({}, scheme({ owner: { validation_type: 'text', required: true, default: 'team' } }), { strict: false })).toEqual({
      owner: 'team',
    });
    const error = failure(() => checkMetadata({}, scheme({ n: { validation_type: 'int', required: true, default: 'x' } }), { strict: false }));
    expect(error.message).toBe("Validation of 'n' of type int failed: invalid literal for int() with base 10: 'x'");
  });

  it('does not fill optional fields from their default (as Assemblyline)', () => {
    expect(checkMetadata({}, scheme({ owner: { default: 'team' } }), { strict: false })).toEqual({});
  });

  it('refuses undeclared keys in a strict scheme, except tolerated ones', () => {
    const s = scheme({ epoch: { validation_type: 'int' }, name: { validation_type: 'text' } });
    const error = failure(() => checkMetadata({ epoch: 1, blah: 'x', "it's": 'y' }, s, { strict: true }));
    expect(error.message).toBe(`Extra metadata found from submission: ['blah', "it's"]`);
    expect(error.kind).toBe('extra');
    expect(checkMetadata({ epoch: 1, ts: 'NOW' }, s, { strict: true, allowExtra: ['ts'] })).toEqual({ epoch: 1, ts: 'NOW' });
    expect(checkMetadata({ epoch: 1, blah: 'x' }, s, { strict: false })).toEqual({ epoch: 1, blah: 'x' });
  });

  it('in a strict scheme without fields, refuses every key', () => {
    expect(failure(() => checkMetadata({ a: 1 }, scheme({}), { strict: true })).message).toBe("Extra metadata found from submission: ['a']");
  });

  it('reports a bad value in Assemblyline\'s words, naming field and type', () => {
    const error = failure(() =>
      checkMetadata({ bloo: 'bla' }, scheme({ bloo: { validation_type: 'regex', validation_params: { validation_regex: '^blee' } } }), {
        strict: false,
      }),
    );
    expect(error.message).toBe("Validation of 'bloo' of type regex failed: [bloo] 'bla' not match the validator: ^blee");
    expect(error.kind).toBe('invalid_value');
    expect(error.field).toBe('bloo');
  });

  it('skips absent or null optional fields but checks a null required one', () => {
    const s = scheme({ a: { validation_type: 'int' }, b: { validation_type: 'int' } });
    expect(checkMetadata({ b: null }, s, { strict: false })).toEqual({ b: null });
    const error = failure(() => checkMetadata({ a: null }, scheme({ a: { validation_type: 'text', required: true } }), { strict: false }));
    expect(error.message).toBe("Validation of 'a' of type text failed: [a] Empty strings are not allowed without defaults");
  });

  it('stores case-normalised values', () => {
    expect(checkMetadata({ tlp: 'amber' }, scheme({ tlp: { validation_type: 'upper' } }), { strict: false })).toEqual({ tlp: 'AMBER' });
  });

  it('accepts any value for a field that declares no type', () => {
    expect(checkMetadata({ a: [1, 2] }, scheme({ a: { required: true } }), { strict: true })).toEqual({ a: [1, 2] });
  });
});
