import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { IngestTaskSchema, parseMessage, SubmissionCompletionSchema } from '@hopper/messages';
import type { RedisConnection } from '@hopper/queues';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { DependencyMonitor, outageOf, postponeOnOutage } from '@hopper/observability';
import {
  closeWorkerGracefully,
  createWorker,
  IngestTask,
  QUEUES,
  QueueName,
  Queues,
  REDIS_CONNECTION,
  SubmissionCompletion,
  workerSettings,
} from '@hopper/queues';
import { CompletionProcessor, FORMER_SWEEP_JOB } from './completion.processor';
import { EXPIRY_JOB, ExpiryJob } from './expiry-job';
import { IngestOutcomes } from './ingest-outcomes';
import { IngestEnded, IngestProcessor } from './ingest.processor';

/**
 * The ingester's BullMQ workers: `ingest` (new tasks) and `complete` (ended submissions, and the expiry
 * sweep). An ingest whose last attempt failed still ends, as a failure its submitter is notified of.
 */
@Injectable()
export class IngesterWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IngesterWorkers.name);
  private workers: Worker[] = [];

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(REDIS_CONNECTION) private readonly connection: RedisConnection,
    @Inject(QUEUES) private readonly queues: Queues,
    private readonly ingest: IngestProcessor,
    private readonly completion: CompletionProcessor,
    private readonly outcomes: IngestOutcomes,
    private readonly expiry: ExpiryJob,
    private readonly monitor: DependencyMonitor,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const options = { connection: this.connection, prefix: this.config.redis.prefix };
    const settings = workerSettings(this.config.workers.ingester);
    const ingest = createWorker<IngestTask>(QueueName.Ingest, (job, token) => this.processIngest(job, token), options, settings);
    ingest.on('failed', (job, error) => void this.onIngestFailed(job, error));
    const complete = createWorker<SubmissionCompletion>(
      QueueName.Complete,
      async (job, token) => {
        if (job.name === EXPIRY_JOB) await this.expiry.run();
        else await this.completion.process(job).catch((error: unknown) => postponeOnOutage(job, token, error));
      },
      options,
      // Its jobs come one at a time and never queue up: an idle slot only polls for nothing (BullMQ's moveToActive).
      { ...settings, concurrency: this.config.workers.ingester.complete_concurrency ?? 1 },
    );
    complete.on('failed', (job, error) => void this.onCompletionFailed(job, error));
    for (const worker of [ingest, complete]) worker.on('error', (error) => this.logger.error({ err: error.message }, 'worker error'));
    this.workers = [ingest, complete];
    for (const worker of this.workers) this.monitor.pauseWhileMongoDown(worker);
    const completeQueue = this.queues.get(QueueName.Complete) as Queue;
    // The time-out sweep moved to the dispatcher: the scheduler an older ingester left here goes.
    await completeQueue.removeJobScheduler(FORMER_SWEEP_JOB);
    // The expiry sweep; `attempts: 1`: a failed sweep is not retried, the next one goes on.
    const expiryEvery = this.config.expiry.sweep_interval_seconds * 1000;
    await completeQueue.upsertJobScheduler(EXPIRY_JOB, { every: expiryEvery }, { name: EXPIRY_JOB, opts: { attempts: 1 } });
  }

  async onApplicationShutdown(): Promise<void> {
    const graceMs = this.config.workers.ingester.shutdown_grace_seconds * 1000;
    await Promise.all(this.workers.map((worker) => closeWorkerGracefully(worker, graceMs)));
  }

  /**
   * Only an outage (MongoDB, Redis or the S3 filestore unreachable) is worth another attempt: the job is put back for a few
   * seconds without spending one. Any other error is permanent (a bug, a refused document): the ingest ends
   * at once as failed, with why, and BullMQ is told not to retry. The last attempt of an ingest also ends it
   * as failed before BullMQ records the failure, so a process dying in between cannot lose it. If the
   * failure cannot be delivered, the error stays retriable.
   */
  private async processIngest(job: Job<IngestTask>, token?: string): Promise<void> {
    let task: IngestTask;
    try {
      task = parseMessage(IngestTaskSchema, job.data, 'ingest task');
    } catch (error) {
      // Every attempt would read the same bytes: the ingest ends now, as failed with why, and is not retried.
      const failure = `Ingest failed: ${(error as Error).message}`;
      this.logger.warn({ job: job.id, failure }, 'invalid ingest task');
      const ended = await this.outcomes.unreadable(job.data, failure).catch((notifyError: unknown) => {
        this.logger.error({ job: job.id, err: (notifyError as Error).message }, 'could not deliver an invalid ingest\'s failure');
        return false;
      });
      throw ended ? new IngestEnded(failure) : new UnrecoverableError(failure);
    }
    try {
      await this.ingest.process(job, task);
    } catch (error) {
      if (error instanceof IngestEnded) throw error; // already ended, with its scan (IngestProcessor)
      const permanent = outageOf(error) === null;
      if (!permanent) {
        const thrown = await postponeOnOutage(job, token, error).catch((postponed: unknown) => postponed);
        if (thrown !== error) throw thrown; // put back for later; else (Redis gone too) an attempt is spent
      }
      if (permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        const ended = await this.endFailedIngest(task, job, error as Error, permanent);
        if (ended && permanent) throw new IngestEnded((error as Error).message);
      }
      throw error;
    }
  }

  /**
   * A job BullMQ failed for good outside the processor (it stalled too often, say) still ends its ingest.
   * `finishedOn` is set only on a final failure, never on one that will be retried. Ending twice is harmless:
   * delivery is exactly once.
   */
  private async onIngestFailed(job: Job<IngestTask> | undefined, error: Error): Promise<void> {
    if (!job) return;
    this.logger.warn({ ingest_id: job.data.ingest_id, attempt: job.attemptsMade, err: error.message }, 'ingest attempt failed');
    if (!job.finishedOn || error instanceof IngestEnded) return;
    const task = IngestTaskSchema.safeParse(job.data); // an invalid one was ended, as far as it could be, when it was read
    if (task.success) await this.endFailedIngest(task.data, job, error, false);
  }

  /** Delivers the ingest's failure; false when that failed too (logged). */
  private async endFailedIngest(task: IngestTask, job: Job<IngestTask>, error: Error, permanent: boolean): Promise<boolean> {
    const failure = permanent ? `Ingest failed: ${error.message}` : `Ingest failed after ${job.attemptsMade + 1} attempts: ${error.message}`;
    try {
      await this.outcomes.failed(task, failure, 'failed');
      return true;
    } catch (notifyError) {
      this.logger.error({ ingest_id: job.data.ingest_id, err: (notifyError as Error).message }, 'could not deliver an ingest failure');
      return false;
    }
  }

  /** A completion BullMQ failed for good is tried once more here (each step repeats safely). */
  private async onCompletionFailed(job: Job<SubmissionCompletion> | undefined, error: Error): Promise<void> {
    if (job?.name === EXPIRY_JOB) {
      this.logger.error({ err: error.message }, 'expiry sweep failed: the next one goes on');
      return;
    }
    this.logger.error({ sid: job?.data?.sid, err: error.message }, 'completion failed');
    if (!job?.finishedOn || job.name !== QueueName.Complete) return;
    const completion = SubmissionCompletionSchema.safeParse(job.data);
    if (!completion.success) return; // invalid: retrying reads the same bytes
    try {
      await this.completion.complete(completion.data);
    } catch (retryError) {
      this.logger.error({ sid: job.data.sid, err: (retryError as Error).message }, 'completion failed again: retry the failed job of the complete queue to end its ingests');
    }
  }
}
