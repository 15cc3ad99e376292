import IORedis, { RedisOptions } from 'ioredis';

/**
 * One ioredis connection to `url`. BullMQ requires `maxRetriesPerRequest: null` on the connections
 * its workers block on; commands then wait for a reconnect instead of failing mid-job.
 */
export function createRedisConnection(url: string, options: RedisOptions = {}): IORedis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}

/** A connection for health probes: fails fast instead of queueing commands while Redis is down. */
export function createProbeConnection(url: string): IORedis {
  return new IORedis(url, {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}
