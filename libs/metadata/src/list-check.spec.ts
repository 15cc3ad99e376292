import { buildFieldCheck } from './field-check-registry';
import { FieldValueError, SchemeProblem } from './field-check';

describe('list', () => {
  it('checks every element as text by default', () => {
    const check = buildFieldCheck('list', {});
    expect(check(['a', 'b'], 'f')).toEqual(['a', 'b']);
    expect(check([], 'f')).toEqual([]);
    expect(() => check(['a', ''], 'f')).toThrow(new FieldValueError('[f] Empty strings are not allowed without defaults'));
  });

  it('passes the other params to the child type', () => {
    const check = buildFieldCheck('list', { child_type: 'integer', max: 10 });
    expect(check([1, '2'], 'f')).toEqual([1, '2']);
    expect(() => check([1, 11], 'f')).toThrow('[f] Value bigger then the max value. (11 > 10)');
  });

  it('normalises elements when the child type does', () => {
    expect(buildFieldCheck('list', { child_type: 'upper' })(['a', 'b'], 'f')).toEqual(['A', 'B']);
  });

  it('checks a single value as a one-element list and keeps it single', () => {
    const check = buildFieldCheck('list', { child_type: 'lower' });
    expect(check('ABC', 'f')).toBe('abc');
  });

  it('refuses lists of lists and unknown children', () => {
    expect(() => buildFieldCheck('list', { child_type: 'list' })).toThrow(new SchemeProblem('List of Lists are not supported'));
    expect(() => buildFieldCheck('list', { child_type: 'nope' })).toThrow('unknown validation type nope');
    expect(() => buildFieldCheck('list', { child_type: 3 })).toThrow('child_type must be a type name');
  });
});
