import { Provider } from '@nestjs/common';
import IORedis from 'ioredis';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { REDIS_CONNECTION, SubmissionQuotas } from '@hopper/queues';

/**
 * The process's submission quotas: `ui.enforce_quota`, keys under `redis.prefix`, on the shared connection.
 * Inject `SubmissionQuotas`; call `acquire` before a submission starts and `release` when it ends or fails.
 */
export const submissionQuotasProvider: Provider = {
  provide: SubmissionQuotas,
  inject: [HOPPER_CONFIG, REDIS_CONNECTION],
  useFactory: (config: HopperConfig, redis: IORedis) =>
    new SubmissionQuotas(redis, { prefix: config.redis.prefix, enforce: config.ui.enforce_quota }),
};
