import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import {
  closeWorkerGracefully,
  createWorker,
  IngestTask,
  QUEUES,
  QueueName,
  Queues,
  REDIS_CONNECTION,
  SubmissionCompletion,
} from '@hopper/queues';
import { CompletionProcessor, SWEEP_JOB } from './completion.processor';
import { IngestOutcomes } from './ingest-outcomes';
import { IngestProcessor } from './ingest.processor';

/** How often overdue submissions are looked for (one sweep for all ingester processes). */
const SWEEP_EVERY_MS = 5 * 60 * 1000;

/**
 * The ingester's BullMQ workers: `ingest` (new tasks) and `complete` (ended submissions, and the periodic
 * sweep). An ingest whose last attempt failed still ends, as a failure its submitter is notified of.
 */
@Injectable()
export class IngesterWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IngesterWorkers.name);
  private workers: Worker[] = [];

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(REDIS_CONNECTION) private readonly connection: IORedis,
    @Inject(QUEUES) private readonly queues: Queues,
    private readonly ingest: IngestProcessor,
    private readonly completion: CompletionProcessor,
    private readonly outcomes: IngestOutcomes,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const options = { connection: this.connection, prefix: this.config.redis.prefix };
    const concurrency = this.config.workers.ingester.concurrency;
    const ingest = createWorker<IngestTask>(QueueName.Ingest, (job) => this.ingest.process(job), options, { concurrency });
    ingest.on('failed', (job, error) => void this.onIngestFailed(job, error));
    const complete = createWorker<SubmissionCompletion>(QueueName.Complete, (job) => this.completion.process(job), options, { concurrency });
    complete.on('failed', (job, error) => this.logger.error({ sid: job?.data?.sid, err: error.message }, 'completion failed'));
    for (const worker of [ingest, complete]) worker.on('error', (error) => this.logger.error({ err: error.message }, 'worker error'));
    this.workers = [ingest, complete];
    await (this.queues.get(QueueName.Complete) as Queue).upsertJobScheduler(SWEEP_JOB, { every: SWEEP_EVERY_MS }, { name: SWEEP_JOB });
  }

  async onApplicationShutdown(): Promise<void> {
    const graceMs = this.config.workers.ingester.shutdown_grace_seconds * 1000;
    await Promise.all(this.workers.map((worker) => closeWorkerGracefully(worker, graceMs)));
  }

  /** After the last attempt, the ingest ends as failed (with why), so it never disappears silently. */
  private async onIngestFailed(job: Job<IngestTask> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    this.logger.warn({ ingest_id: job.data.ingest_id, attempt: job.attemptsMade, err: error.message }, 'ingest attempt failed');
    if (job.attemptsMade < attempts) return;
    try {
      await this.outcomes.failed(job.data, `Ingest failed after ${job.attemptsMade} attempts: ${error.message}`, 'failed');
    } catch (notifyError) {
      this.logger.error({ ingest_id: job.data.ingest_id, err: (notifyError as Error).message }, 'could not deliver an ingest failure');
    }
  }
}
