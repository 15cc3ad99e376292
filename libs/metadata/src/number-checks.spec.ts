import { buildFieldCheck } from './field-check-registry';
import { FieldValueError } from './field-check';
import { MetadataValue } from './metadata-types';

const check = (type: string, value: MetadataValue, params: Record<string, unknown> = {}): MetadataValue =>
  buildFieldCheck(type, params)(value, 'f');

describe.each(['integer', 'int'])('%s', (type) => {
  it('accepts whole numbers and their text (as Python int() reads it), unchanged', () => {
    expect(check(type, 12)).toBe(12);
    expect(check(type, ' -12 ')).toBe(' -12 ');
    expect(check(type, '1_000')).toBe('1_000');
  });

  it('refuses other text with Python\'s message', () => {
    expect(() => check(type, 'abc')).toThrow(new FieldValueError("invalid literal for int() with base 10: 'abc'"));
    expect(() => check(type, '1.5')).toThrow("invalid literal for int() with base 10: '1.5'");
    expect(() => check(type, true)).toThrow("invalid literal for int() with base 10: 'true'");
  });

  it('refuses fractions and empty values', () => {
    expect(() => check(type, 1.5)).toThrow('[f] 1.5 is not an integer');
    expect(() => check(type, '')).toThrow('[f] No value provided and no default value set.');
    expect(() => check(type, null)).toThrow('[f] No value provided and no default value set.');
  });

  it('enforces min and max with Assemblyline\'s wording', () => {
    expect(check(type, 5, { min: 5, max: 5 })).toBe(5);
    expect(() => check(type, '7', { max: 5 })).toThrow('[f] Value bigger then the max value. (7 > 5)');
    expect(() => check(type, 3, { min: 5 })).toThrow('[f] Value smaller then the min value. (3 < 5)');
  });

  it('checks its params', () => {
    expect(() => buildFieldCheck(type, { min: 'x' })).toThrow('min must be a number');
    expect(() => buildFieldCheck(type, { step: 1 })).toThrow('unknown validation parameter(s) step');
  });
});

describe('float', () => {
  it('accepts finite numbers and their text', () => {
    expect(check('float', 1.5)).toBe(1.5);
    expect(check('float', '1e3')).toBe('1e3');
    expect(check('float', '.5')).toBe('.5');
  });

  it('refuses other values', () => {
    expect(() => check('float', 'abc')).toThrow(new FieldValueError("could not convert string to float: 'abc'"));
    expect(() => check('float', 'inf')).toThrow("could not convert string to float: 'inf'");
    expect(() => check('float', '')).toThrow('[f] No value provided and no default value set.');
  });

  it('enforces min and max', () => {
    expect(() => check('float', 2.5, { max: 2 })).toThrow('[f] Value bigger then the max value. (2.5 > 2)');
    expect(() => check('float', '-1', { min: 0 })).toThrow('[f] Value smaller then the min value. (-1 < 0)');
  });
});
