import { buildFieldCheck } from './field-check-registry';
import { FieldValueError } from './field-check';

describe('date', () => {
  const check = buildFieldCheck('date', {});

  it.each(['2024-02-29', '2024-02-29T10:00:00Z', '2024-02-29T10:00:00.123456Z', '2024-02-29T10:00:00+02:00', 'NOW', 1700000000])(
    'accepts %p unchanged',
    (value) => {
      expect(check(value, 'f')).toBe(value);
    },
  );

  it.each(['2023-02-29', 'yesterday', '', 'now'])('refuses %p', (value) => {
    expect(() => check(value, 'f')).toThrow(new FieldValueError(`[f] '${value}' is not a date (ISO 8601 expected)`));
  });
});
