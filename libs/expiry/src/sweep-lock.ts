import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '@hopper/queues';
import { hopperScripts, ScriptedRedis } from '@hopper/queues';

/**
 * "One sweeper at a time" across every process: a Redis key holding the holder's token, which lapses unless
 * the holder renews it (between batches), so a sweeper that died blocks the next for `ttlMs` at most.
 */
export class SweepLock {
  readonly token = randomUUID();
  private readonly redis: ScriptedRedis;

  constructor(
    redis: RedisConnection,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {
    this.redis = hopperScripts(redis);
  }

  async acquire(): Promise<boolean> {
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  /** Renews the lease; false when it lapsed and another sweeper may hold it (this one must stop). */
  async extend(): Promise<boolean> {
    return (await this.redis.hopperLeaseExtend(this.key, this.token, this.ttlMs)) === 1;
  }

  async release(): Promise<void> {
    await this.redis.hopperLeaseRelease(this.key, this.token);
  }
}
