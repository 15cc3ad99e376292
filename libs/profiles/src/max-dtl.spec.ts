import { enforceMaxDtl } from './max-dtl';

describe('enforceMaxDtl', () => {
  it('leaves ttl alone when no maximum is set', () => {
    expect(enforceMaxDtl(400, 0)).toBe(400);
    expect(enforceMaxDtl(0, 0)).toBe(0);
  });

  it('caps ttl at the maximum and turns "never expire" into the maximum', () => {
    expect(enforceMaxDtl(400, 90)).toBe(90);
    expect(enforceMaxDtl(30, 90)).toBe(30);
    expect(enforceMaxDtl(0, 90)).toBe(90);
  });
});
