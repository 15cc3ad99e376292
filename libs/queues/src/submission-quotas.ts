import IORedis from 'ioredis';
import {
  concurrentQuotaMessage,
  dailyQuotaMessage,
  endOfUtcDay,
  QuotaLimits,
  QuotaPool,
  remainingDaily,
  utcDay,
} from './quota-limits';

export interface SubmissionQuotasOptions {
  /** `redis.prefix` of the configuration, hash tag included: the keys live in its cluster slot (see `keysFor`). */
  prefix: string;
  /** `ui.enforce_quota`: when false, nothing is checked or counted. */
  enforce: boolean;
  /**
   * A held slot lapses after this long even if nobody releases it (a crashed process), so a user is never
   * locked out for good. Default one day.
   */
  holdSeconds?: number;
  /**
   * A slot taken by a request is only leased for this long (`api.request_timeout_seconds`) until `confirm`
   * extends it to `holdSeconds` once its work is queued; a lease nobody confirmed (the process died
   * mid-request) is dropped, with its day's count, by the next acquire or usage read. Absent: no lease, the
   * slot is held for `holdSeconds` at once.
   */
  leaseSeconds?: number;
  /** The clock (injectable for tests). */
  now?: () => Date;
}

export type QuotaDecision =
  | { ok: true; /** Daily submissions left after this one; null = unlimited or not enforced. */ remainingDaily: number | null }
  | { ok: false; error: string; remainingDaily: number | null };

export interface QuotaUsage {
  /** Submissions holding a slot of the pool asked about now. */
  concurrent: number;
  /** Submissions accepted today (UTC). */
  daily: number;
}

/**
 * Drops what lapsed, before anything is counted: unconfirmed leases first (each one still held gives back
 * its count of the day: its request never reached a queue), then every slot past its time.
 * KEYS (in scope): held zset, daily counter, leases zset (id -> lease end). `now` in ms.
 */
const REAP = `
local function reap(held, daily, leases, now)
  local lapsed = redis.call('ZRANGEBYSCORE', leases, '-inf', now)
  if #lapsed > 0 then
    local refunds = 0
    for _, id in ipairs(lapsed) do
      local score = redis.call('ZSCORE', held, id)
      if score and tonumber(score) <= tonumber(now) then
        redis.call('ZREM', held, id)
        refunds = refunds + 1
      end
    end
    redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
    local count = tonumber(redis.call('GET', daily) or '0')
    local back = math.min(refunds, count)
    if back > 0 then redis.call('DECRBY', daily, back) end
  end
  redis.call('ZREMRANGEBYSCORE', held, '-inf', now)
end
`;

/**
 * Check-and-take in one step. KEYS: held (zset: submission id → lapse time), daily counter, leases.
 * ARGV: now ms, lapse ms, concurrent limit, daily limit, submission id, daily expiry ms, held key ttl ms,
 * leased ('1': the lapse is a lease that `confirm` must extend, recorded in the leases zset).
 * Answers {status, daily count}: 1 taken (or already held by this id), -1 daily full, -2 concurrent full.
 * Daily is checked first, as Assemblyline does, and a refusal takes nothing.
 */
const ACQUIRE = `${REAP}
reap(KEYS[1], KEYS[2], KEYS[3], ARGV[1])
local daily = tonumber(redis.call('GET', KEYS[2]) or '0')
if redis.call('ZSCORE', KEYS[1], ARGV[5]) then
  return {1, daily}
end
local concurrent_limit = tonumber(ARGV[3])
local daily_limit = tonumber(ARGV[4])
if daily_limit > 0 and daily >= daily_limit then
  return {-1, daily}
end
if concurrent_limit > 0 and redis.call('ZCARD', KEYS[1]) >= concurrent_limit then
  return {-2, daily}
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
if ARGV[8] == '1' then
  redis.call('ZADD', KEYS[3], ARGV[2], ARGV[5])
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
end
daily = redis.call('INCR', KEYS[2])
redis.call('PEXPIREAT', KEYS[2], ARGV[6])
return {1, daily}
`;

/**
 * Turns a lease into a hold once the work is queued. KEYS: held, leases. ARGV: submission id, hold end ms,
 * held key ttl ms. A slot released meanwhile (the work already ended) is not taken again. Answers 1 if held.
 */
const CONFIRM = `
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0
`;

/** Drops lapsed holds, then counts. KEYS: held, daily counter, leases. ARGV: now ms. */
const USAGE = `${REAP}
reap(KEYS[1], KEYS[2], KEYS[3], ARGV[1])
return {redis.call('ZCARD', KEYS[1]), tonumber(redis.call('GET', KEYS[2]) or '0')}
`;

/**
 * Undoes an acquire whose work never started. KEYS: held, daily counter, leases. ARGV: submission id.
 * Only a slot this id holds is undone, so a refund never frees someone else's count.
 */
const REFUND = `
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  local daily = tonumber(redis.call('GET', KEYS[2]) or '0')
  if daily > 0 then redis.call('DECR', KEYS[2]) end
  return 1
end
return 0
`;

type QuotaRedis = IORedis & {
  hopperQuotaRefund(held: string, daily: string, leases: string, submissionId: string): Promise<number>;
  hopperQuotaAcquire(held: string, daily: string, leases: string, ...args: (string | number)[]): Promise<[number, number]>;
  hopperQuotaConfirm(held: string, leases: string, submissionId: string, holdUntil: number, ttl: number): Promise<number>;
  hopperQuotaUsage(held: string, daily: string, leases: string, now: number): Promise<[number, number]>;
};

/**
 * Per-user submission quotas in Redis (Assemblyline's `check_submission_quota` and
 * `check_async_submission_quota`): two concurrent pools, submit and async (ingest), and one count of
 * submissions per UTC day for both. One Lua call per acquire, so concurrent callers never overshoot; the
 * keys of one user share a hash tag, so the script runs on Redis Cluster too.
 *
 * A slot is held by submission id (a sorted set member), which makes `release` idempotent: releasing twice,
 * or releasing an id that never held a slot, frees nothing. Acquiring again with an id that already holds a
 * slot succeeds without taking a second one (a retried request). The daily counter only goes up, except for
 * a refund or a lease that lapsed. Every method takes the pool; it is `submit` unless said otherwise, since
 * only ingest is async.
 *
 * With `leaseSeconds`, a request's slot cannot leak: it is a lease until the request `confirm`s it right after
 * queueing its work, and a lease left by a process killed mid-request lapses within a request's time-out.
 */
export class SubmissionQuotas {
  private readonly redis: QuotaRedis;
  private readonly base: string;
  private readonly holdMs: number;
  private readonly leaseMs: number | null;
  private readonly now: () => Date;

  constructor(
    redis: IORedis,
    private readonly options: SubmissionQuotasOptions,
  ) {
    this.base = options.prefix;
    this.holdMs = (options.holdSeconds ?? 24 * 3600) * 1000;
    this.leaseMs = options.leaseSeconds ? Math.min(options.leaseSeconds * 1000, this.holdMs) : null;
    this.now = options.now ?? (() => new Date());
    if (!(redis as unknown as Partial<QuotaRedis>).hopperQuotaConfirm) {
      redis.defineCommand('hopperQuotaAcquire', { numberOfKeys: 3, lua: ACQUIRE });
      redis.defineCommand('hopperQuotaConfirm', { numberOfKeys: 2, lua: CONFIRM });
      redis.defineCommand('hopperQuotaUsage', { numberOfKeys: 3, lua: USAGE });
      redis.defineCommand('hopperQuotaRefund', { numberOfKeys: 3, lua: REFUND });
    }
    this.redis = redis as unknown as QuotaRedis;
  }

  get enforced(): boolean {
    return this.options.enforce;
  }

  /**
   * The keys of one user's pool on one day. They carry the deployment's hash tag (`{hopper}`), like the
   * queues and the ingester's state, so the ingester can release a slot in the same script that delivers the
   * ingest. The submit pool keeps the key it had before the async pool existed.
   */
  keysFor(uname: string, at: Date, pool: QuotaPool = 'submit'): { held: string; daily: string; leases: string } {
    const user = `${this.base}:quota:${uname}`;
    const held = pool === 'async' ? `${user}:async` : `${user}:held`;
    return { held, daily: `${user}:daily:${utcDay(at)}`, leases: `${held}:leases` };
  }

  /** Takes a slot of `pool` for `submissionId`, or says why not (Assemblyline's texts). */
  async tryAcquire(uname: string, limits: QuotaLimits, submissionId: string, pool: QuotaPool = 'submit'): Promise<QuotaDecision> {
    if (!this.options.enforce) return { ok: true, remainingDaily: null };
    const at = this.now();
    const { held, daily, leases } = this.keysFor(uname, at, pool);
    const nowMs = at.getTime();
    const [status, used] = await this.redis.hopperQuotaAcquire(
      held,
      daily,
      leases,
      nowMs,
      nowMs + (this.leaseMs ?? this.holdMs),
      limits.concurrent,
      limits.daily,
      submissionId,
      endOfUtcDay(at),
      this.holdMs,
      this.leaseMs === null ? '0' : '1',
    );
    const remaining = remainingDaily(limits.daily, used);
    if (status === -1) return { ok: false, error: dailyQuotaMessage(limits.daily), remainingDaily: remaining };
    if (status === -2) return { ok: false, error: concurrentQuotaMessage(limits.concurrent, pool), remainingDaily: remaining };
    return { ok: true, remainingDaily: remaining };
  }

  /** null when the slot is taken, else the error message to answer with (HTTP 503). */
  async acquire(uname: string, limits: QuotaLimits, submissionId: string, pool: QuotaPool = 'submit'): Promise<string | null> {
    const decision = await this.tryAcquire(uname, limits, submissionId, pool);
    return decision.ok ? null : decision.error;
  }

  /**
   * Holds the leased slot of `pool` for `submissionId` for the long lapse, once its work is queued (the
   * submission dispatched, the ingest task added). Every path that takes a slot calls it right after
   * queueing. True if the slot is held; false when there was nothing to confirm (no lease configured, quotas
   * not enforced, the work already ended and released it, or the lease lapsed first). Never throws: the work
   * is queued whatever happens here, and a slot not confirmed only lapses early.
   */
  async confirm(uname: string, submissionId: string, pool: QuotaPool = 'submit'): Promise<boolean> {
    if (!this.options.enforce || this.leaseMs === null) return false;
    const at = this.now();
    const { held, leases } = this.keysFor(uname, at, pool);
    try {
      return (await this.redis.hopperQuotaConfirm(held, leases, submissionId, at.getTime() + this.holdMs, this.holdMs)) === 1;
    } catch {
      return false;
    }
  }

  /** Frees the slot of `pool` `submissionId` holds; true if it held one (so a second release is false). */
  async release(uname: string, submissionId: string, pool: QuotaPool = 'submit'): Promise<boolean> {
    const { held } = this.keysFor(uname, this.now(), pool);
    return (await this.redis.zrem(held, submissionId)) === 1;
  }

  /**
   * Gives back what `acquire` took for work that was refused before it started (the slot of `pool` and the
   * day's count), so a refused request consumes no quota. True if `submissionId` held a slot.
   */
  async refund(uname: string, submissionId: string, pool: QuotaPool = 'submit'): Promise<boolean> {
    if (!this.options.enforce) return false;
    const { held, daily, leases } = this.keysFor(uname, this.now(), pool);
    return (await this.redis.hopperQuotaRefund(held, daily, leases, submissionId)) === 1;
  }

  /** Current use: slots of `pool` held and today's submissions (both pools). */
  async usage(uname: string, pool: QuotaPool = 'submit'): Promise<QuotaUsage> {
    const at = this.now();
    const { held, daily, leases } = this.keysFor(uname, at, pool);
    const [concurrent, count] = await this.redis.hopperQuotaUsage(held, daily, leases, at.getTime());
    return { concurrent, daily: count };
  }
}
