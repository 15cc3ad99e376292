import type { RedisConnection } from './redis-connection';
import { hopperScripts, ScriptedRedis } from './lua-scripts';
import { RedisKeys } from './redis-keys';
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
  private readonly redis: ScriptedRedis;
  private readonly keys: RedisKeys;
  private readonly holdMs: number;
  private readonly leaseMs: number | null;
  private readonly now: () => Date;

  constructor(
    redis: RedisConnection,
    private readonly options: SubmissionQuotasOptions,
  ) {
    this.holdMs = (options.holdSeconds ?? 24 * 3600) * 1000;
    this.leaseMs = options.leaseSeconds ? Math.min(options.leaseSeconds * 1000, this.holdMs) : null;
    this.now = options.now ?? (() => new Date());
    this.redis = hopperScripts(redis);
    this.keys = new RedisKeys(options.prefix);
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
    return { held: this.keys.quotaHeld(uname, pool), daily: this.keys.quotaDaily(uname, utcDay(at)), leases: this.keys.quotaLeases(uname, pool) };
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

  /**
   * Frees the slot of `pool` `submissionId` holds (script `quota-release`, whose function the ingester's
   * notify script shares for an ingest's slot); true if it held one (so a second release is false). Called by
   * the dispatcher when it ends a submission, whoever started it.
   */
  async release(uname: string, submissionId: string, pool: QuotaPool = 'submit'): Promise<boolean> {
    const { held, leases } = this.keysFor(uname, this.now(), pool);
    return (await this.redis.hopperQuotaRelease(held, leases, submissionId)) === 1;
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
