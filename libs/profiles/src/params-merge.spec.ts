import { deepEqual, recursiveDelta, recursiveUpdate, stripNulls } from './params-merge';

describe('recursiveUpdate', () => {
  it('merges objects key by key and replaces lists and scalars, leaving inputs untouched', () => {
    const base = { a: 1, services: { selected: ['x'], excluded: ['y'] }, spec: { S: { p: 1 } } };
    const out = recursiveUpdate(base, { services: { selected: ['z'] }, spec: { S: { q: 2 } }, b: [1] });
    expect(out).toEqual({ a: 1, services: { selected: ['z'], excluded: ['y'] }, spec: { S: { p: 1, q: 2 } }, b: [1] });
    expect(base).toEqual({ a: 1, services: { selected: ['x'], excluded: ['y'] }, spec: { S: { p: 1 } } });
    (out.services.excluded as string[]).push('mutated');
    expect(base.services.excluded).toEqual(['y']);
  });

  it('keeps a "__proto__" key of a JSON body as data, never as the prototype', () => {
    const requested = JSON.parse('{"__proto__": {"polluted": true}, "service_spec": {"__proto__": {"p": 1}}}') as Record<string, unknown>;
    const out = recursiveUpdate({ service_spec: {} }, stripNulls(requested));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(out.service_spec)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"service_spec":{"__proto__":{"p":1}},"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('recursiveDelta', () => {
  it('keeps only what differs, recursing into objects', () => {
    const base = { a: 1, b: [1, 2], services: { selected: ['x'], excluded: [] }, service_spec: {} };
    const update = { a: 1, b: [2, 1], services: { selected: ['x'], excluded: ['e'] }, service_spec: { S: { p: true } }, c: 'new' };
    expect(recursiveDelta(base, update)).toEqual({ b: [2, 1], services: { excluded: ['e'] }, service_spec: { S: { p: true } }, c: 'new' });
    expect(recursiveDelta(base, { a: 1, services: { selected: ['x'] } })).toEqual({});
  });
});

describe('stripNulls', () => {
  it('drops null and undefined at every level', () => {
    expect(stripNulls({ a: null, b: undefined, c: 0, d: { e: null, f: false }, g: [null] })).toEqual({ c: 0, d: { f: false }, g: [null] });
  });
});

describe('deepEqual', () => {
  it('compares JSON values structurally', () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
  });
});
