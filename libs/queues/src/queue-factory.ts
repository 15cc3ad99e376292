import { JobsOptions, Processor, Queue, Worker, WorkerOptions } from 'bullmq';
import IORedis from 'ioredis';
import { QueueName } from './queue-names';

export interface QueueConnection {
  /** Shared by queues of one process; workers duplicate it because they block. */
  connection: IORedis;
  /** Hash-tagged (e.g. `{hopper}`) so each queue's keys share one Redis Cluster slot. */
  prefix: string;
}

/**
 * Finished jobs are kept for a while for inspection, then trimmed so Redis does not grow without bound.
 * Failed work is recorded in MongoDB by the workers; the queue keeps failed jobs for a week for operators.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function createQueue<T = unknown>(name: QueueName, { connection, prefix }: QueueConnection): Queue<T> {
  return new Queue<T>(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
}

export function createWorker<T = unknown, R = unknown>(
  name: QueueName,
  processor: Processor<T, R>,
  { connection, prefix }: QueueConnection,
  options: Partial<Omit<WorkerOptions, 'connection' | 'prefix'>> = {},
): Worker<T, R> {
  return new Worker<T, R>(name, processor, {
    connection: connection.duplicate(),
    prefix,
    concurrency: 1,
    ...options,
  });
}

/**
 * Stops a worker the way SIGTERM should: take no new jobs, let in-flight ones finish for up to
 * `graceMs`, then close anyway. Jobs cut off that way keep their lock until it lapses and BullMQ
 * hands them to another worker as stalled, so they are released, not lost.
 */
export async function closeWorkerGracefully(worker: Worker, graceMs: number): Promise<'drained' | 'forced'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'forced'>((resolve) => (timer = setTimeout(() => resolve('forced'), graceMs)));
  const outcome = await Promise.race([worker.close().then(() => 'drained' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'forced') await worker.close(true);
  return outcome;
}
