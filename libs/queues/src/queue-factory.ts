import { JobsOptions, Processor, Queue, Worker, WorkerOptions } from 'bullmq';
import type { RedisConnection } from './redis-connection';
import { QueueName } from './queue-names';

export interface QueueConnection {
  /**
   * Shared by the queues and workers of one process and closed by its owner. BullMQ opens the extra
   * blocking connection a worker needs itself, and closes that one with the worker.
   */
  connection: RedisConnection;
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
    connection,
    prefix,
    concurrency: 1,
    ...options,
  });
}

/**
 * A worker's options from its `workers.<name>` settings: a dead holder's job is handed on after its lock
 * lapses (`lock_seconds`), found by a stalled check run as often.
 */
export function workerSettings({ concurrency, lock_seconds }: { concurrency: number; lock_seconds: number }): Partial<WorkerOptions> {
  return { concurrency, lockDuration: lock_seconds * 1000, stalledInterval: lock_seconds * 1000 };
}

/**
 * Stops a worker the way SIGTERM should: take no new jobs, let in-flight ones finish for up to
 * `graceMs`, then close anyway. Jobs cut off that way keep their lock until it lapses and BullMQ
 * hands them to another worker as stalled, so they are released, not lost.
 */
export async function closeWorkerGracefully(worker: Worker, graceMs: number): Promise<'drained' | 'forced'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'forced'>((resolve) => (timer = setTimeout(() => resolve('forced'), graceMs)));
  // pause() stops fetching and resolves once the active jobs are done; close() decides force at its
  // first call only, so it must come after the wait.
  const outcome = await Promise.race([worker.pause().then(() => 'drained' as const), timedOut]);
  clearTimeout(timer);
  await worker.close(outcome === 'forced');
  return outcome;
}
