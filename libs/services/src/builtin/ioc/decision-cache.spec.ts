import { DecisionCache } from './decision-cache';

describe('DecisionCache', () => {
  it('decides each key once while it is remembered, null decisions included', () => {
    const cache = new DecisionCache<string | null>();
    const decide = jest.fn((key: string) => (key.endsWith('.com') ? key : null));
    expect(cache.get('a.com', decide)).toBe('a.com');
    expect(cache.get('a.com', decide)).toBe('a.com');
    expect(cache.get('a.dll', decide)).toBeNull();
    expect(cache.get('a.dll', decide)).toBeNull();
    expect(decide).toHaveBeenCalledTimes(2);
  });

  it('stays bounded: when full it forgets and decides again', () => {
    const cache = new DecisionCache<number>(2);
    const decide = jest.fn((key: string) => key.length);
    for (const key of ['a', 'bb', 'ccc', 'a']) cache.get(key, decide);
    expect(decide).toHaveBeenCalledTimes(4);
  });
});
