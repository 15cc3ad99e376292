import { Provider } from '@nestjs/common';
import type { RedisConnection } from './redis-connection';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { NotificationQueues } from './notification-queues';
import { PendingFiles } from './pending-files';
import { REDIS_CONNECTION } from './queues.module';
import { ScanRegistry } from './scan-registry';
import { SubmissionQuotas } from './submission-quotas';

/**
 * The process's submission quotas: `ui.enforce_quota`, keys under `redis.prefix`, on the shared connection.
 * `acquire` before a submission starts (a lease of `api.request_timeout_seconds`), `confirm` right after its
 * work is queued; `release` when it ends or fails.
 */
export const submissionQuotasProvider: Provider = {
  provide: SubmissionQuotas,
  inject: [HOPPER_CONFIG, REDIS_CONNECTION],
  useFactory: (config: HopperConfig, redis: RedisConnection) =>
    new SubmissionQuotas(redis, {
      prefix: config.redis.prefix,
      enforce: config.ui.enforce_quota,
      leaseSeconds: config.api.request_timeout_seconds,
    }),
};

/** The notification queues on the shared connection, under `redis.prefix`. */
export const notificationQueuesProvider: Provider = {
  provide: NotificationQueues,
  inject: [HOPPER_CONFIG, REDIS_CONNECTION],
  useFactory: (config: HopperConfig, redis: RedisConnection) => new NotificationQueues(redis, config.redis.prefix),
};

/** The ingester's shared state (cache, scans in flight, ingest status), on the shared connection. */
export const scanRegistryProvider: Provider = {
  provide: ScanRegistry,
  inject: [HOPPER_CONFIG, REDIS_CONNECTION],
  useFactory: (config: HopperConfig, redis: RedisConnection) => new ScanRegistry(redis, { prefix: config.redis.prefix }),
};

/**
 * Files accepted and not yet recorded by the ingester, under `redis.prefix`. A record lapses with the longest
 * an ingest may wait (`core.ingester.dispatch_timeout_seconds`) if the ingester never removes it.
 */
export const pendingFilesProvider: Provider = {
  provide: PendingFiles,
  inject: [HOPPER_CONFIG, REDIS_CONNECTION],
  useFactory: (config: HopperConfig, redis: RedisConnection) =>
    new PendingFiles(redis, { prefix: config.redis.prefix, ttlSeconds: config.core.ingester.dispatch_timeout_seconds }),
};
