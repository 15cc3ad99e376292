import { randomId } from './random-id';

describe('randomId', () => {
  it('is 22 base-62 characters, as Assemblyline ids are', () => {
    for (let i = 0; i < 200; i++) expect(randomId()).toMatch(/^[0-9A-Za-z]{22}$/);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => randomId()));
    expect(ids.size).toBe(10_000);
  });
});
