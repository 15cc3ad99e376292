import { flattenMetadata } from './flatten-metadata';
import { InvalidMetadata } from './metadata-errors';

describe('flattenMetadata', () => {
  it('flattens nested objects to dotted keys and keeps lists whole', () => {
    expect(flattenMetadata({ a: { b: { c: 1 }, d: 'x' }, e: [1, { f: 2 }], g: null })).toEqual({
      'a.b.c': 1,
      'a.d': 'x',
      e: [1, { f: 2 }],
      g: null,
    });
  });

  it('keeps a __proto__ key as data rather than as the prototype', () => {
    const flat = flattenMetadata(JSON.parse('{"__proto__": ["x"], "a": 1}'));
    expect(Object.getPrototypeOf(flat)).toBe(Object.prototype);
    expect(Object.keys(flat)).toEqual(['__proto__', 'a']);
  });

  it('drops empty objects, as Assemblyline does', () => {
    expect(flattenMetadata({ a: {}, b: 1 })).toEqual({ b: 1 });
  });

  it('treats absent metadata as empty', () => {
    expect(flattenMetadata(undefined)).toEqual({});
    expect(flattenMetadata(null)).toEqual({});
  });

  it.each([['a string'], [[1, 2]], [42]])('refuses %p', (value) => {
    expect(() => flattenMetadata(value)).toThrow(new InvalidMetadata('Metadata must be an object of key/value pairs', 'not_an_object'));
  });
});
