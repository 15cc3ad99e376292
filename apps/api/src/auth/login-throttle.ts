import type { RedisConnection } from '@hopper/queues';
import type { RedisKeys } from '@hopper/queues';

/**
 * Slows password and key guessing: failed logins are counted per user and per client address over a
 * window; past a limit, logins for that user or from that address are refused until the window ends.
 * An address gets a higher limit than a user, since many users may share one (NAT, proxies).
 */
export class LoginThrottle {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    readonly maxUserFailures = 10,
    readonly maxAddressFailures = 100,
    readonly windowSeconds = 300,
  ) {}

  async isBlocked(uname: string, ip: string): Promise<boolean> {
    const [user, address] = await this.redis.mget(this.userKey(uname), this.ipKey(ip));
    return Number(user ?? 0) >= this.maxUserFailures || Number(address ?? 0) >= this.maxAddressFailures;
  }

  /** Counts one failure against both; one round trip. */
  async recordFailure(uname: string, ip: string): Promise<void> {
    await this.redis
      .multi()
      .incr(this.userKey(uname))
      .expire(this.userKey(uname), this.windowSeconds, 'NX')
      .incr(this.ipKey(ip))
      .expire(this.ipKey(ip), this.windowSeconds, 'NX')
      .exec();
  }

  private userKey(uname: string): string {
    return this.keys.loginFailuresOfUser(uname);
  }

  private ipKey(ip: string): string {
    return this.keys.loginFailuresOfAddress(ip);
  }
}
