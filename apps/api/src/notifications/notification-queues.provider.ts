import { Provider } from '@nestjs/common';
import IORedis from 'ioredis';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { NotificationQueues, REDIS_CONNECTION } from '@hopper/queues';

/** The notification queues on the shared connection, under `redis.prefix`. */
export const notificationQueuesProvider: Provider = {
  provide: NotificationQueues,
  inject: [HOPPER_CONFIG, REDIS_CONNECTION],
  useFactory: (config: HopperConfig, redis: IORedis) => new NotificationQueues(redis, config.redis.prefix),
};
