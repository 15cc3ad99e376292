import { cacheEntryTtlSeconds, cacheFreshness } from './cache-freshness';

const limits = {
  expire_after: 15 * 24 * 3600,
  stale_after_seconds: 24 * 3600,
  incomplete_expire_after_seconds: 3600,
  incomplete_stale_after_seconds: 1800,
};
const now = new Date('2025-06-01T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('cacheFreshness', () => {
  it('answers fresh, then stale at exactly stale_after_seconds, then expired at exactly expire_after', () => {
    expect(cacheFreshness({ completedAt: ago(0), errors: 0 }, now, limits)).toBe('fresh');
    expect(cacheFreshness({ completedAt: ago(86399.999), errors: 0 }, now, limits)).toBe('fresh');
    expect(cacheFreshness({ completedAt: ago(86400), errors: 0 }, now, limits)).toBe('stale');
    expect(cacheFreshness({ completedAt: ago(15 * 86400 - 1), errors: 0 }, now, limits)).toBe('stale');
    expect(cacheFreshness({ completedAt: ago(15 * 86400), errors: 0 }, now, limits)).toBe('expired');
  });

  it('uses the incomplete limits (30 minutes, 1 hour) for a result with errors', () => {
    expect(cacheFreshness({ completedAt: ago(1799), errors: 2 }, now, limits)).toBe('fresh');
    expect(cacheFreshness({ completedAt: ago(1800), errors: 2 }, now, limits)).toBe('stale');
    expect(cacheFreshness({ completedAt: ago(3599), errors: true }, now, limits)).toBe('stale');
    expect(cacheFreshness({ completedAt: ago(3600), errors: true }, now, limits)).toBe('expired');
    expect(cacheFreshness({ completedAt: ago(3600), errors: false }, now, limits)).toBe('fresh');
  });

  it('checks expiry before staleness', () => {
    const inverted = { ...limits, stale_after_seconds: 200, expire_after: 100 };
    expect(cacheFreshness({ completedAt: ago(150), errors: 0 }, now, inverted)).toBe('expired');
  });
});

describe('cacheEntryTtlSeconds', () => {
  it('turns cache_dtl days into seconds', () => {
    expect(cacheEntryTtlSeconds(2)).toBe(172_800);
    expect(cacheEntryTtlSeconds(0)).toBe(0);
  });
});
