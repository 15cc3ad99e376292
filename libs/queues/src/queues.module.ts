import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { RedisConnection } from './redis-connection';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { createQueue } from './queue-factory';
import { ALL_QUEUES, QueueName } from './queue-names';
import { createRedisConnection } from './redis-connection';
import { FILE_RECORD_MIRROR } from '@hopper/datastore';
import { FileGuard } from './file-guard';
import { FileRecords } from './file-records';
import { SubmissionProgress } from './submission-progress';
import { ExternalTaskWaits } from './external-task-waits';

/** Injection token of the process's shared ioredis connection. */
export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');
/** Injection token of the producer side of every queue, by name. */
export const QUEUES = Symbol('QUEUES');

export type Queues = ReadonlyMap<QueueName, Queue>;

@Global()
@Module({
  providers: [
    { provide: REDIS_CONNECTION, inject: [HOPPER_CONFIG], useFactory: (config: HopperConfig) => createRedisConnection(config.redis) },
    {
      provide: QUEUES,
      inject: [HOPPER_CONFIG, REDIS_CONNECTION],
      useFactory: (config: HopperConfig, connection: RedisConnection): Queues =>
        new Map(ALL_QUEUES.map((name) => [name, createQueue(name, { connection, prefix: config.redis.prefix })])),
    },
    // Here rather than in each app's modules: the dispatcher writes it, several API routes read it.
    {
      provide: SubmissionProgress,
      inject: [HOPPER_CONFIG, REDIS_CONNECTION],
      useFactory: (config: HopperConfig, connection: RedisConnection) => new SubmissionProgress(connection, config.redis.prefix),
    },
    // Every process that records files (API, dispatcher) or deletes them (ingester's sweeper, API) takes it.
    {
      provide: FileGuard,
      inject: [HOPPER_CONFIG, REDIS_CONNECTION],
      useFactory: (config: HopperConfig, connection: RedisConnection) => new FileGuard(connection, config.redis.prefix),
    },
    // FilesRepository keeps it on every write of `files`; the API's lookups by sha256 read it.
    {
      provide: FileRecords,
      inject: [HOPPER_CONFIG, REDIS_CONNECTION],
      useFactory: (config: HopperConfig, connection: RedisConnection) =>
        new FileRecords(connection, { prefix: config.redis.prefix, ttlSeconds: config.redis.file_record_ttl_seconds }),
    },
    { provide: FILE_RECORD_MIRROR, useExisting: FileRecords },
    // The dispatcher waits on it, the API's service-task routes settle and wake through it.
    {
      provide: ExternalTaskWaits,
      inject: [HOPPER_CONFIG, REDIS_CONNECTION, QUEUES],
      useFactory: (config: HopperConfig, connection: RedisConnection, queues: Queues) =>
        new ExternalTaskWaits(connection, config.redis.prefix, queues.get(QueueName.Dispatch)!),
    },
  ],
  exports: [REDIS_CONNECTION, QUEUES, SubmissionProgress, FileGuard, FileRecords, FILE_RECORD_MIRROR, ExternalTaskWaits],
})
export class QueuesModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CONNECTION) private readonly connection: RedisConnection,
    @Inject(QUEUES) private readonly queues: Queues,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
