import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';

const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * "One sweeper at a time" across every process: a Redis key holding the holder's token, which lapses unless
 * the holder renews it (between batches), so a sweeper that died blocks the next for `ttlMs` at most.
 */
export class SweepLock {
  readonly token = randomUUID();

  constructor(
    private readonly redis: IORedis,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  async acquire(): Promise<boolean> {
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  /** Renews the lease; false when it lapsed and another sweeper may hold it (this one must stop). */
  async extend(): Promise<boolean> {
    return Number(await this.redis.eval(EXTEND, 1, this.key, this.token, this.ttlMs)) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}
