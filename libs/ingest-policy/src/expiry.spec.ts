import { isExpired, isStale, isTaskExpired } from './expiry';

const limits = {
  expire_after: 15 * 24 * 3600,
  stale_after_seconds: 24 * 3600,
  incomplete_expire_after_seconds: 3600,
  incomplete_stale_after_seconds: 1800,
};

describe('isExpired / isStale', () => {
  it('are true at exactly the limit (>=) and false just before it', () => {
    expect(isExpired(limits.expire_after, false, limits)).toBe(true);
    expect(isExpired(limits.expire_after - 0.001, false, limits)).toBe(false);
    expect(isStale(limits.stale_after_seconds, false, limits)).toBe(true);
    expect(isStale(limits.stale_after_seconds - 0.001, false, limits)).toBe(false);
  });

  it('use the incomplete limits when there were errors', () => {
    expect(isExpired(3600, true, limits)).toBe(true);
    expect(isExpired(3599, true, limits)).toBe(false);
    expect(isExpired(3600, false, limits)).toBe(false);
    expect(isStale(1800, true, limits)).toBe(true);
    expect(isStale(1799, true, limits)).toBe(false);
    expect(isStale(1800, false, limits)).toBe(false);
  });
});

describe('isTaskExpired', () => {
  it('compares the age with expire_after only (>=)', () => {
    expect(isTaskExpired(1000, { expire_after: 1000 })).toBe(true);
    expect(isTaskExpired(999, { expire_after: 1000 })).toBe(false);
  });
});
