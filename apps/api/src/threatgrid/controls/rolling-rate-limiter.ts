import type { RedisConnection } from '@hopper/queues';
import { hopperScripts, RedisKeys, ScriptedRedis } from '@hopper/queues';
import { RateDecision, rateDecision, WindowCounts, windowMs } from './rate-decision';
import type { RateWindow } from './rate-windows';


/**
 * Threat Grid's submission rate limits as rolling windows in Redis: one sorted set per window, one entry per
 * sample counted. Taking checks every window of a submission (the user's and the organization's) and counts
 * the samples in all of them in one Lua call, or in none, so concurrent API processes never overshoot.
 * Time is the caller's `now` alone (not Redis TIME), so tests can move the clock and so the entries' scores
 * and the windows they are measured against come from the same clock.
 *
 * Entries are named `<member>#<i>`: use a member unique to the submission (its sample id), so `release` gives
 * back exactly what that submission took.
 */
export class RollingRateLimiter {
  private readonly redis: ScriptedRedis;
  private readonly keys: RedisKeys;

  /** `prefix` is `redis.prefix` with its hash tag (`{hopper}`): every key is in that tag's cluster slot. */
  constructor(redis: RedisConnection, prefix: string) {
    // The scripts take no fixed number of keys: a submission has as many windows as its user and
    // organization configure (lua/tg-rate-take.lua).
    this.redis = hopperScripts(redis);
    this.keys = new RedisKeys(prefix);
  }

  /** The sorted set of one window. The prefix comes first, so its hash tag decides the slot whatever the ids hold. */
  keyFor(window: RateWindow): string {
    return this.keys.tgRateWindow(window.scope, window.id, window.minutes);
  }

  /** Counts `count` samples under `member` in every window if they fit in all of them; else counts nothing. */
  take(windows: RateWindow[], count: number, member: string, now: Date): Promise<RateDecision> {
    return this.run(windows, count, member, now, true);
  }

  /** What a take of `count` would answer now, counting nothing. */
  peek(windows: RateWindow[], now: Date, count = 1): Promise<RateDecision> {
    return this.run(windows, count, '', now, false);
  }

  /** Removes what a take under `member` added (its submission was refused later). Answers the entries removed. */
  async release(windows: RateWindow[], member: string, count: number): Promise<number> {
    assertCount(count);
    if (!windows.length) return 0;
    return this.redis.hopperTgRateRelease(windows.length, ...windows.map((w) => this.keyFor(w)), member, count);
  }

  private async run(windows: RateWindow[], count: number, member: string, now: Date, commit: boolean): Promise<RateDecision> {
    assertCount(count);
    const nowMs = now.getTime();
    if (!windows.length) return rateDecision([], [], true, count, nowMs);
    const perWindow = windows.flatMap((w) => [w.samples, windowMs(w), nowMs - windowMs(w)]);
    const reply = await this.redis.hopperTgRateTake(
      windows.length,
      ...windows.map((w) => this.keyFor(w)),
      nowMs,
      count,
      commit ? '1' : '0',
      member,
      ...perWindow,
    );
    const score = (value: number | string | null): number | null => (value === null ? null : Number(value));
    const counts: WindowCounts[] = windows.map((_, i) => ({
      used: Number(reply[1 + 4 * i]),
      oldestMs: score(reply[2 + 4 * i]),
      nextFitMs: score(reply[3 + 4 * i]),
      requestFitMs: score(reply[4 + 4 * i]),
    }));
    return rateDecision(windows, counts, reply[0] === 1, count, nowMs);
  }
}

function assertCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a whole number of at least 1, not ${count}`);
}
