import { deepMerge } from './deep-merge';

describe('deepMerge', () => {
  it('merges nested objects key by key and replaces scalars and arrays', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 'x' };
    const merged = deepMerge(base, { a: { c: [3] }, e: true });
    expect(merged).toEqual({ a: { b: 1, c: [3] }, d: 'x', e: true });
  });

  it('leaves its inputs untouched', () => {
    const base = { a: { b: 1 } };
    deepMerge(base, { a: { b: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
  });

  it('lets an object replace a scalar and a scalar replace an object', () => {
    expect(deepMerge({ a: 1, b: { c: 1 } }, { a: { x: 1 }, b: null })).toEqual({ a: { x: 1 }, b: null });
  });
});
