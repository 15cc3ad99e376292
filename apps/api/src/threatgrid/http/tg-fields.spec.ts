import { TgFields } from './tg-fields';

const fields = (query: Record<string, unknown>, form: Record<string, string[]> = {}) => new TgFields(new Map(Object.entries(form)), query);

describe('TgFields', () => {
  it('reads Threat Grid booleans in any case; anything else is false', () => {
    for (const value of ['True', 'true', 'TRUE', '1', 'yes', ' True ']) expect(fields({ org_only: value }).flag('org_only')).toBe(true);
    for (const value of ['False', 'false', '0', 'no', 'perhaps', '']) expect(fields({ org_only: value }).flag('org_only')).toBe(false);
    expect(fields({}).flag('org_only')).toBe(false);
  });

  it('gives a value trimmed, and nothing for a blank one; the form first', () => {
    expect(fields({ q: '  x ' }).given('q')).toBe('x');
    expect(fields({ q: '   ' }).given('q')).toBeUndefined();
    expect(fields({ q: 'query' }, { q: ['form'] }).given('q')).toBe('form');
  });
});
