import IORedis from 'ioredis';
import { RateDecision, rateDecision, WindowCounts, windowMs } from './rate-decision';
import type { RateWindow } from './rate-windows';

/**
 * Check-and-take over every window at once. KEYS: one sorted set per window (member → the injected clock's ms).
 * ARGV: now ms, count, commit (1 = take, 0 = peek), member, then per window: samples, window ms, cutoff ms.
 * Drops what has left each window; if `count` more fit in every window and commit is set, adds
 * member#0..count-1 at now to each and sets the key to expire when its newest entry leaves.
 * Answers {fits, then per window: used, oldest score, score whose leaving frees one slot, score whose leaving
 * fits the whole request (on a refusal)}, false (a nil reply) standing for "none". Scores go out as the
 * strings Redis stores, so no Lua number formatting touches them.
 */
const TAKE = `
local now = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local commit = ARGV[3] == '1'
local member = ARGV[4]
local used = {}
local fits = true
for i = 1, #KEYS do
  local base = 2 + 3 * i
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[base + 2])
  used[i] = redis.call('ZCARD', KEYS[i])
  if used[i] + count > tonumber(ARGV[base]) then fits = false end
end
if fits and commit then
  for i = 1, #KEYS do
    local span = tonumber(ARGV[3 + 3 * i])
    local args = {}
    for j = 0, count - 1 do
      args[#args + 1] = ARGV[1]
      args[#args + 1] = member .. '#' .. j
      if #args >= 1000 then
        redis.call('ZADD', KEYS[i], unpack(args))
        args = {}
      end
    end
    if #args > 0 then redis.call('ZADD', KEYS[i], unpack(args)) end
    local newest = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
    local ttl = tonumber(newest[2]) + span - now
    if ttl < 1 then ttl = 1 end
    redis.call('PEXPIRE', KEYS[i], ttl)
    used[i] = redis.call('ZCARD', KEYS[i])
  end
end
local function score_at(key, index)
  local found = redis.call('ZRANGE', key, index, index, 'WITHSCORES')
  if found[2] then return found[2] end
  return false
end
local out = {fits and 1 or 0}
for i = 1, #KEYS do
  local samples = tonumber(ARGV[2 + 3 * i])
  out[#out + 1] = used[i]
  out[#out + 1] = score_at(KEYS[i], 0)
  if used[i] >= samples then out[#out + 1] = score_at(KEYS[i], used[i] - samples) else out[#out + 1] = false end
  local excess = used[i] + count - samples
  if not fits and excess > 0 and count <= samples then
    out[#out + 1] = score_at(KEYS[i], excess - 1)
  else
    out[#out + 1] = false
  end
end
return out
`;

/** Gives back entries a take added. KEYS: the window sets. ARGV: member, count. Answers how many were removed. */
const RELEASE = `
local members = {}
for j = 0, tonumber(ARGV[2]) - 1 do members[#members + 1] = ARGV[1] .. '#' .. j end
local removed = 0
for i = 1, #KEYS do
  for from = 1, #members, 1000 do
    removed = removed + redis.call('ZREM', KEYS[i], unpack(members, from, math.min(from + 999, #members)))
  end
end
return removed
`;

type LimiterRedis = IORedis & {
  hopperTgRateTake(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<Array<number | string | null>>;
  hopperTgRateRelease(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
};

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
  private readonly redis: LimiterRedis;

  /** `prefix` is `redis.prefix` with its hash tag (`{hopper}`): every key is in that tag's cluster slot. */
  constructor(
    redis: IORedis,
    private readonly prefix: string,
  ) {
    if (!(redis as unknown as Partial<LimiterRedis>).hopperTgRateTake) {
      // No numberOfKeys: a submission has as many windows as its user and organization configure.
      redis.defineCommand('hopperTgRateTake', { lua: TAKE });
      redis.defineCommand('hopperTgRateRelease', { lua: RELEASE });
    }
    this.redis = redis as unknown as LimiterRedis;
  }

  /** The sorted set of one window. The prefix comes first, so its hash tag decides the slot whatever the ids hold. */
  keyFor(window: RateWindow): string {
    return `hopper:${this.prefix}:tg:rate:${window.scope}:${window.id}:${window.minutes}`;
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
