import { buildFieldCheck } from './field-check-registry';
import { FieldValueError } from './field-check';

describe.each([
  ['md5', 32],
  ['sha1', 40],
  ['sha256', 64],
])('%s', (type, length) => {
  const check = buildFieldCheck(type, {});

  it('accepts hexadecimal of the right length, either case', () => {
    expect(check('a'.repeat(length), 'f')).toBe('a'.repeat(length));
    expect(check('F'.repeat(length), 'f')).toBe('F'.repeat(length));
  });

  it('refuses anything else', () => {
    const bad = 'a'.repeat(length - 1);
    expect(() => check(bad, 'f')).toThrow(new FieldValueError(`[f] '${bad}' not match the validator: ^[a-fA-F0-9]{${length}}$`));
    expect(() => check('g'.repeat(length), 'f')).toThrow('not match the validator');
  });
});
