import { CredentialCache } from './credential-cache';

describe('CredentialCache', () => {
  it('answers a remembered success until it lapses', () => {
    let now = 1000;
    const cache = new CredentialCache<string>(5000, 10, () => now);
    cache.set('alice', 'key:secret', 'alice-auth');
    expect(cache.get('alice', 'key:secret')).toBe('alice-auth');
    expect(cache.get('alice', 'key:other')).toBeNull();
    expect(cache.get('bob', 'key:secret')).toBeNull();
    now += 4999;
    expect(cache.get('alice', 'key:secret')).toBe('alice-auth');
    now += 1;
    expect(cache.get('alice', 'key:secret')).toBeNull();
  });

  it('keeps nothing when its lifetime is 0', () => {
    const cache = new CredentialCache<string>(0);
    cache.set('alice', 's', 'x');
    expect(cache.get('alice', 's')).toBeNull();
  });

  it('forgets the oldest entry when full', () => {
    const cache = new CredentialCache<number>(60_000, 2);
    cache.set('a', 's', 1);
    cache.set('b', 's', 2);
    cache.set('c', 's', 3);
    expect([cache.get('a', 's'), cache.get('b', 's'), cache.get('c', 's')]).toEqual([null, 2, 3]);
  });

  it('does not confuse a user name and secret split differently', () => {
    const cache = new CredentialCache<string>(60_000);
    cache.set('ab', 'c', 'first');
    expect(cache.get('a', 'bc')).toBeNull();
  });
});
