import IORedis from 'ioredis';
import { DedupeWindow } from '../apps/api/src/threatgrid/controls/dedupe-window';
import type { RateWindow } from '../apps/api/src/threatgrid/controls/rate-windows';
import { RollingRateLimiter } from '../apps/api/src/threatgrid/controls/rolling-rate-limiter';
import { isolatedConfig, uniqueId } from './support/test-env';

const T0 = new Date('2026-11-23T12:00:00.000Z');
const MIN = 60_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

/** The part of a key Redis Cluster hashes: the first non-empty {…}, else the whole key. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('Threat Grid submission controls in Redis', () => {
  let redis: IORedis;
  let redisUrl: string;
  let prefix: string;

  beforeAll(() => {
    const config = isolatedConfig('tgctl');
    redisUrl = config.redis.url;
    redis = new IORedis(redisUrl);
    prefix = config.redis.prefix;
  });
  afterAll(() => redis.quit());

  describe('RollingRateLimiter', () => {
    let limiter: RollingRateLimiter;
    beforeAll(() => {
      limiter = new RollingRateLimiter(redis, prefix);
    });

    const userWindow = (samples: number, minutes: number, id = uniqueId('u')): RateWindow => ({ scope: 'user', id, samples, minutes });
    const orgWindow = (samples: number, minutes: number, id = uniqueId('o')): RateWindow => ({ scope: 'organization', id, samples, minutes });
    const members = (window: RateWindow) => redis.zrange(limiter.keyFor(window), 0, -1);

    it('allows up to the limit, then refuses and adds nothing', async () => {
      const w = userWindow(3, 60);
      expect((await limiter.take([w], 1, 's1', T0)).remaining).toBe(2);
      expect((await limiter.take([w], 1, 's2', at(MIN))).remaining).toBe(1);
      expect(await limiter.take([w], 1, 's3', at(2 * MIN))).toEqual({
        allowed: true,
        windows: [{ ...w, used: 3, available: 0, waitSeconds: 3600 - 2 * 60 }],
        limit: 3,
        remaining: 0,
        resetSeconds: 3600 - 2 * 60,
        retryAfterSeconds: null,
      });
      expect(await limiter.take([w], 1, 's4', at(10 * MIN))).toEqual({
        allowed: false,
        windows: [{ ...w, used: 3, available: 0, waitSeconds: 50 * 60 }],
        limit: 3,
        remaining: 0,
        resetSeconds: 50 * 60,
        retryAfterSeconds: 50 * 60,
      });
      expect(await members(w)).toEqual(['s1#0', 's2#0', 's3#0']);
    });

    it('enforces user and organization windows together, either one binding', async () => {
      const org = uniqueId('acme');
      const windowsOf = (uname: string) => [userWindow(2, 60, uname), orgWindow(5, 1440, org)];
      const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map((name) => uniqueId(name));

      expect((await limiter.take(windowsOf(alice), 1, 'a1', T0)).allowed).toBe(true);
      expect((await limiter.take(windowsOf(alice), 1, 'a2', T0)).allowed).toBe(true);
      // Alice's own window binds: 0 of 2 left, while the organization still has 3 of 5.
      const aliceRefused = await limiter.take(windowsOf(alice), 1, 'a3', at(5 * MIN));
      expect(aliceRefused).toMatchObject({ allowed: false, limit: 2, remaining: 0, resetSeconds: 55 * 60, retryAfterSeconds: 55 * 60 });
      expect(aliceRefused.windows.map((w) => [w.used, w.available])).toEqual([
        [2, 0],
        [2, 3],
      ]);

      expect((await limiter.take(windowsOf(bob), 2, 'b1', at(10 * MIN))).allowed).toBe(true);
      const carolTakes = await limiter.take(windowsOf(carol), 1, 'c1', at(20 * MIN));
      // Now the organization binds: none of its 5 left, while Carol still has 1 of her 2.
      expect(carolTakes).toMatchObject({ allowed: true, limit: 5, remaining: 0, resetSeconds: (1440 - 20) * 60 });

      // The organization binds for Dave, whose own window is empty.
      const daveRefused = await limiter.take(windowsOf(dave), 1, 'd1', at(30 * MIN));
      expect(daveRefused).toMatchObject({ allowed: false, limit: 5, remaining: 0, retryAfterSeconds: (1440 - 30) * 60 });
      expect(daveRefused.windows.map((w) => [w.used, w.available])).toEqual([
        [0, 2],
        [5, 0],
      ]);
      expect(await redis.exists(limiter.keyFor(windowsOf(dave)[0]))).toBe(0);

      // An hour on, Alice's own window is free again, but the organization's day is still full.
      const aliceLater = await limiter.take(windowsOf(alice), 1, 'a4', at(61 * MIN));
      expect(aliceLater).toMatchObject({ allowed: false, limit: 5, remaining: 0, retryAfterSeconds: (1440 - 61) * 60 });
      expect(aliceLater.windows[0]).toMatchObject({ used: 0, available: 2 });
    });

    it('takes a count of several samples in every window or in none', async () => {
      const user = userWindow(10, 60);
      const org = orgWindow(5, 60);
      expect((await limiter.take([user, org], 2, 'x', T0)).windows.map((w) => w.used)).toEqual([2, 2]);
      expect((await limiter.take([user, org], 2, 'y', at(10 * MIN))).windows.map((w) => w.used)).toEqual([4, 4]);

      // 3 more do not fit the organization's 5: nothing is counted anywhere. The 2nd-oldest entry (x#1, at
      // T0) must leave for 3 to fit: at T0 + 60 min, 40 minutes from now.
      const refused = await limiter.take([user, org], 3, 'z', at(20 * MIN));
      expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 40 * 60 });
      expect(refused.windows.map((w) => w.used)).toEqual([4, 4]);
      expect(await members(user)).toEqual(['x#0', 'x#1', 'y#0', 'y#1']);
      expect(await members(org)).toEqual(['x#0', 'x#1', 'y#0', 'y#1']);

      // 5 need all 4 entries gone: the newest leaves at T0 + 70 min. 6 never fit in 5.
      expect((await limiter.take([user, org], 5, 'z', at(20 * MIN))).retryAfterSeconds).toBe(50 * 60);
      expect(await limiter.take([user, org], 6, 'z', at(20 * MIN))).toMatchObject({ allowed: false, retryAfterSeconds: null });

      const last = await limiter.take([user, org], 1, 'w', at(20 * MIN));
      expect(last).toMatchObject({ allowed: true, limit: 5, remaining: 0 });
      expect(last.windows.map((w) => w.used)).toEqual([5, 5]);
    });

    it('lets entries leave the window as the injected clock moves', async () => {
      const w = userWindow(2, 60);
      await limiter.take([w], 2, 'early', T0);
      expect((await limiter.take([w], 1, 'late', at(60 * MIN - 1))).allowed).toBe(false);
      // An entry is counted while its score is above now - window: at exactly T0 + 60 min it is gone.
      expect(await limiter.take([w], 1, 'edge', at(60 * MIN))).toMatchObject({ allowed: true, remaining: 1, resetSeconds: 3600 });
      expect(await members(w)).toEqual(['edge#0']);
      expect(await limiter.take([w], 1, 'next', at(61 * MIN))).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 59 * 60 });
      // Two hours later everything has left; the take counts only itself.
      expect((await limiter.take([w], 1, 'much-later', at(181 * MIN))).windows[0].used).toBe(1);
    });

    it('rounds reset and retry times up to whole seconds from the entries’ exact times', async () => {
      const w = userWindow(1, 60);
      await limiter.take([w], 1, 'a', at(500));
      const refused = await limiter.take([w], 1, 'b', at(30 * MIN));
      // The entry leaves at T0 + 0.5 s + 60 min: 1800.5 s after now, so 1801.
      expect(refused).toEqual({
        allowed: false,
        windows: [{ ...w, used: 1, available: 0, waitSeconds: 1801 }],
        limit: 1,
        remaining: 0,
        resetSeconds: 1801,
        retryAfterSeconds: 1801,
      });
    });

    it('peeks without counting', async () => {
      const w = userWindow(2, 60);
      await limiter.take([w], 1, 'a', T0);
      const peeked = await limiter.peek([w], at(10 * MIN));
      expect(peeked).toEqual({
        allowed: true,
        windows: [{ ...w, used: 1, available: 1, waitSeconds: 0 }],
        limit: 2,
        remaining: 1,
        resetSeconds: 50 * 60,
        retryAfterSeconds: null,
      });
      expect(await limiter.peek([w], at(10 * MIN), 2)).toMatchObject({ allowed: false, retryAfterSeconds: 50 * 60 });
      expect(await members(w)).toEqual(['a#0']);
    });

    it('releases what one submission took, and only that', async () => {
      const windows = [userWindow(3, 60), orgWindow(3, 1440)];
      await limiter.take(windows, 2, 'refused-later', T0);
      await limiter.take(windows, 1, 'kept', T0);
      expect((await limiter.take(windows, 1, 'blocked', T0)).allowed).toBe(false);

      expect(await limiter.release(windows, 'refused-later', 2)).toBe(4);
      expect(await limiter.release(windows, 'refused-later', 2)).toBe(0);
      expect(await limiter.release(windows, 'never-took', 1)).toBe(0);
      expect(await members(windows[0])).toEqual(['kept#0']);
      expect(await members(windows[1])).toEqual(['kept#0']);
      expect(await limiter.take(windows, 2, 'fits-now', T0)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('allows everything without touching Redis when there are no windows', async () => {
      // A client that connects on its first command: still "wait" afterwards means no command was sent.
      const untouched = new IORedis(redisUrl, { lazyConnect: true });
      const offline = new RollingRateLimiter(untouched, prefix);
      expect(await offline.take([], 5, 'm', T0)).toEqual({
        allowed: true,
        windows: [],
        limit: null,
        remaining: null,
        resetSeconds: 0,
        retryAfterSeconds: null,
      });
      expect(await offline.release([], 'm', 5)).toBe(0);
      expect(untouched.status).toBe('wait');
      untouched.disconnect();
    });

    it('keeps every key of a call in the prefix hash tag, and expires it with the window', async () => {
      expect(prefix).toMatch(/^\{[^{}]+\}$/);
      // Ids with braces of their own must not move a key to another slot.
      const windows = [userWindow(5, 60, 'we{ird}'), orgWindow(9, 1440, '{org}'), userWindow(5, 10, uniqueId('u'))];
      await limiter.take(windows, 1, 'm', T0);
      for (const window of windows) {
        const key = limiter.keyFor(window);
        expect(key.startsWith(`${prefix}:tg:rate:${window.scope}:`)).toBe(true);
        expect(hashTag(key)).toBe(prefix.slice(1, -1));
        expect(await redis.zcard(key)).toBe(1);
        const ttl = await redis.pttl(key);
        expect(ttl).toBeGreaterThan(window.minutes * MIN - 10_000);
        expect(ttl).toBeLessThanOrEqual(window.minutes * MIN);
      }
      await limiter.release(windows, 'm', 1);
    });
  });

  describe('DedupeWindow', () => {
    let dedupe: DedupeWindow;
    beforeAll(() => {
      dedupe = new DedupeWindow(redis, prefix);
    });
    const sha = () => uniqueId('sha').padEnd(64, '0');

    it('claims a sha256, answers the first sample within the window, and lets a new claim win after it', async () => {
      const org = uniqueId('acme');
      const digest = sha();
      const key = dedupe.keyFor(org, digest);
      expect(await dedupe.claim(org, digest, 's1', T0, 60)).toBeNull();
      expect(await redis.get(key)).toBe(`s1|${T0.getTime()}`);
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(60 * MIN - 10_000);
      expect(ttl).toBeLessThanOrEqual(60 * MIN);

      expect(await dedupe.claim(org, digest, 's2', at(60 * MIN - 1), 60)).toBe('s1');
      expect(await dedupe.claim(org, digest.toUpperCase(), 's2', at(MIN), 60)).toBe('s1');
      expect(await redis.get(key)).toBe(`s1|${T0.getTime()}`);

      expect(await dedupe.claim(org, digest, 's3', at(60 * MIN), 60)).toBeNull();
      expect(await redis.get(key)).toBe(`s3|${at(60 * MIN).getTime()}`);
      expect(await dedupe.claim(org, digest, 's4', at(61 * MIN), 60)).toBe('s3');
    });

    it('treats a repeated claim by the holder as its own (a retry), changing nothing', async () => {
      const org = uniqueId('acme');
      const digest = sha();
      expect(await dedupe.claim(org, digest, 's|1', T0, 15)).toBeNull();
      expect(await dedupe.claim(org, digest, 's|1', at(MIN), 15)).toBeNull();
      expect(await redis.get(dedupe.keyFor(org, digest))).toBe(`s|1|${T0.getTime()}`);
      expect(await dedupe.claim(org, digest, 's2', at(14 * MIN), 15)).toBe('s|1');
    });

    it('decides freshness from the stored time, not from the key’s TTL', async () => {
      const org = uniqueId('acme');
      const digest = sha();
      const key = dedupe.keyFor(org, digest);
      await redis.set(key, `old|${at(-61 * MIN).getTime()}`, 'PX', 24 * 60 * MIN);
      expect(await dedupe.claim(org, digest, 'new', T0, 60)).toBeNull();
      expect(await redis.get(key)).toBe(`new|${T0.getTime()}`);
    });

    it('releases only for the sample holding the claim', async () => {
      const org = uniqueId('acme');
      const digest = sha();
      await dedupe.claim(org, digest, 'owner', T0, 60);
      expect(await dedupe.release(org, digest, 'someone-else')).toBe(false);
      expect(await dedupe.claim(org, digest, 'other', at(MIN), 60)).toBe('owner');
      expect(await dedupe.release(org, digest, 'owner')).toBe(true);
      expect(await redis.exists(dedupe.keyFor(org, digest))).toBe(0);
      expect(await dedupe.release(org, digest, 'owner')).toBe(false);
      expect(await dedupe.claim(org, digest, 'other', at(MIN), 60)).toBeNull();
    });

    it('keeps organizations apart, and their keys in the prefix hash tag', async () => {
      const [acme, globex] = [uniqueId('acme'), uniqueId('glo{bex}')];
      const digest = sha();
      expect(await dedupe.claim(acme, digest, 'a', T0, 60)).toBeNull();
      expect(await dedupe.claim(globex, digest, 'g', T0, 60)).toBeNull();
      expect(await dedupe.claim(acme, digest, 'a2', at(MIN), 60)).toBe('a');
      expect(await dedupe.claim(globex, digest, 'g2', at(MIN), 60)).toBe('g');
      for (const org of [acme, globex]) {
        const key = dedupe.keyFor(org, digest);
        expect(key).toBe(`${prefix}:tg:dedupe:${org}:${digest}`);
        expect(hashTag(key)).toBe(prefix.slice(1, -1));
      }
    });
  });
});
