export { ALL_QUEUES, QueueName } from './queue-names';
export { createProbeConnection, createRedisConnection } from './redis-connection';
export { closeWorkerGracefully, createQueue, createWorker, DEFAULT_JOB_OPTIONS } from './queue-factory';
export type { QueueConnection } from './queue-factory';
export { queueDepth } from './queue-depth';
export type { QueueDepth } from './queue-depth';
export { QUEUES, QueuesModule, REDIS_CONNECTION } from './queues.module';
export type { Queues } from './queues.module';
