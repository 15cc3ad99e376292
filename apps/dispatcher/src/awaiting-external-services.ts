import { DelayedError, Job } from 'bullmq';
import type { ExternalTaskWaits } from '@hopper/queues';
import type { AwaitedTask } from './external-services';

/** A dispatch reached external-service tasks without an answer: it waits for them, then runs again. */
export class AwaitingExternalServices extends Error {
  constructor(
    readonly sid: string,
    readonly tasks: readonly AwaitedTask[],
  ) {
    super(`waiting for ${tasks.length} external service task(s)`);
    this.name = 'AwaitingExternalServices';
  }
}

/**
 * Past the deadline, BullMQ may hand the job back a little early by another process's clock: it waits this
 * much longer, so the run after the deadline finds it passed rather than waiting again.
 */
const DEADLINE_MARGIN_MS = 1000;

/**
 * Ends this run of a dispatch job without holding its worker slot: the job is delayed until the last of the
 * awaited tasks' deadlines and the API's answer route wakes it earlier (ExternalTaskWaits.wake). An answer
 * taken before the job was delayed found it active and woke nothing: that is checked once here, after the
 * move, so no answer is slept through. Throws DelayedError, which tells the worker the job was moved.
 */
export async function waitForExternalServices(job: Job, token: string, waiting: AwaitingExternalServices, waits: ExternalTaskWaits): Promise<never> {
  const until = Math.max(...waiting.tasks.map((task) => task.deadline)) + DEADLINE_MARGIN_MS;
  await job.moveToDelayed(until, token);
  if (await waits.answeredAmong(waiting.sid, waiting.tasks.map((task) => task.taskId))) await waits.wake(waiting.sid);
  throw new DelayedError(waiting.message);
}
