import { buildFieldCheck } from './field-check-registry';
import { FieldValueError, SchemeProblem } from './field-check';
import { MetadataValue } from './metadata-types';

const check = (type: string, value: MetadataValue, params: Record<string, unknown> = {}): MetadataValue =>
  buildFieldCheck(type, params)(value, 'f');

describe.each(['text', 'keyword'])('%s', (type) => {
  it('accepts any single non-empty value unchanged', () => {
    expect(check(type, 'hello')).toBe('hello');
    expect(check(type, 42)).toBe(42);
    expect(check(type, false)).toBe(false);
  });

  it('refuses empty values and lists', () => {
    expect(() => check(type, '')).toThrow(new FieldValueError('[f] Empty strings are not allowed without defaults'));
    expect(() => check(type, null)).toThrow('[f] Empty strings are not allowed without defaults');
    expect(() => check(type, ['a'])).toThrow('[f] A list was given where a single value is expected');
  });

  it('takes no params', () => {
    expect(() => buildFieldCheck(type, { min: 1 })).toThrow(new SchemeProblem('unknown validation parameter(s) min (this type takes none)'));
  });
});

describe('upper / lower', () => {
  it('normalise the case of the stored value', () => {
    expect(check('upper', 'MixEd')).toBe('MIXED');
    expect(check('lower', 'MixEd')).toBe('mixed');
    expect(check('upper', 5)).toBe('5');
  });

  it('refuse empty values', () => {
    expect(() => check('upper', '')).toThrow('[f] Empty strings are not allowed without defaults');
  });
});

describe('regex', () => {
  it('accepts values the pattern matches at their start (re.match)', () => {
    expect(check('regex', 'bleeblah', { validation_regex: '^blee' })).toBe('bleeblah');
    expect(check('regex', 'bleeblah', { validation_regex: 'blee' })).toBe('bleeblah');
  });

  it('refuses others with Assemblyline\'s message', () => {
    expect(() => check('regex', 'bloo', { validation_regex: '^blee' })).toThrow(
      new FieldValueError("[f] 'bloo' not match the validator: ^blee"),
    );
    expect(() => check('regex', 'xblee', { validation_regex: 'blee' })).toThrow("[f] 'xblee' not match the validator: blee");
  });

  it('needs a usable validation_regex', () => {
    expect(() => buildFieldCheck('regex', {})).toThrow('type regex needs a validation_regex string');
    expect(() => buildFieldCheck('regex', { validation_regex: '(' })).toThrow(SchemeProblem);
    expect(() => buildFieldCheck('regex', { validation_regex: 'a', other: 1 })).toThrow('unknown validation parameter(s) other');
  });
});

describe('enum', () => {
  const values = ['a', 'b'];

  it('accepts listed values only, compared exactly', () => {
    expect(check('enum', 'a', { values })).toBe('a');
    expect(() => check('enum', 'c', { values })).toThrow(new FieldValueError("[f] c not in the possible values: {'a', 'b'}"));
    expect(() => check('enum', 'A', { values })).toThrow("[f] A not in the possible values: {'a', 'b'}");
    expect(() => check('enum', 1, { values: ['1'] })).toThrow("[f] 1 not in the possible values: {'1'}");
  });

  it('refuses empty values', () => {
    expect(() => check('enum', '', { values })).toThrow('[f] Empty enums are not allow without defaults');
  });

  it('needs values', () => {
    expect(() => buildFieldCheck('enum', {})).toThrow('type enum needs a non-empty list of values');
    expect(() => buildFieldCheck('enum', { values: [] })).toThrow('type enum needs a non-empty list of values');
  });
});
