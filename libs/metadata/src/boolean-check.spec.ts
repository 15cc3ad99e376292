import { buildFieldCheck } from './field-check-registry';
import { FieldValueError } from './field-check';

describe('boolean', () => {
  const check = buildFieldCheck('boolean', {});

  it.each([true, false, 0, 1, 'true', 'FALSE', ' 1 ', '0'])('accepts %p unchanged', (value) => {
    expect(check(value, 'f')).toBe(value);
  });

  it.each([['yes'], [2], [''], [null]])('refuses %p', (value) => {
    expect(() => check(value, 'f')).toThrow(new FieldValueError(`[f] '${String(value)}' is not a boolean`));
  });
});
