import IORedis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import type { HopperConfig } from '@hopper/config';

/** One Redis, or a Redis Cluster (`redis.cluster.nodes`): every process talks to either through this type. */
export type RedisConnection = IORedis | Cluster;

type RedisSettings = Pick<HopperConfig['redis'], 'url' | 'cluster'>;

/** `host:port` (host may be a bracketed IPv6 address) as ioredis takes a cluster's seed node. */
export function clusterNode(hostPort: string): { host: string; port: number } {
  const colon = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(hostPort.slice(colon + 1)) };
}

function connect(redis: RedisSettings, options: RedisOptions, clusterOptions: ClusterOptions = {}): RedisConnection {
  if (redis.cluster.nodes.length === 0) return new IORedis(redis.url, options);
  // Per-node options go in redisOptions; the cluster's own queue and retry settings mirror them.
  return new Cluster(redis.cluster.nodes.map(clusterNode), {
    redisOptions: options,
    enableReadyCheck: options.enableReadyCheck,
    enableOfflineQueue: options.enableOfflineQueue,
    ...clusterOptions,
  });
}

/**
 * The process's connection to Redis or the cluster. BullMQ requires `maxRetriesPerRequest: null` on the
 * connections its workers block on; commands then wait for a reconnect instead of failing mid-job.
 */
export function createRedisConnection(redis: RedisSettings, options: RedisOptions = {}): RedisConnection {
  return connect(redis, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}

/** A connection for health probes: fails fast instead of queueing commands while Redis is down. */
export function createProbeConnection(redis: RedisSettings): RedisConnection {
  const retry = (attempt: number) => Math.min(attempt * 200, 2000);
  return connect(
    redis,
    { maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2000, retryStrategy: retry },
    { clusterRetryStrategy: retry },
  );
}
