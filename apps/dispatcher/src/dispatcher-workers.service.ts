import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import type { RedisConnection } from '@hopper/queues';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { DependencyMonitor, outageOf, postponeOnOutage } from '@hopper/observability';
import { SubmissionOutcome, SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import {
  closeWorkerGracefully,
  createWorker,
  DispatchTask,
  ExternalTaskWaits,
  QUEUES,
  QueueName,
  Queues,
  REDIS_CONNECTION,
  SubmissionCompletion,
  workerSettings,
} from '@hopper/queues';
import { AwaitingExternalServices, waitForExternalServices } from './awaiting-external-services';
import { DispatcherMetrics } from './dispatcher-metrics';
import { KnownFiles, SubmissionCannotProceed, SubmissionDispatch } from './submission-dispatch';

/**
 * The dispatcher's BullMQ worker on `dispatch`. A submission is analysed, its outcome recorded on its
 * document (the first outcome stays), and only then announced on `complete` (job id = sid), so the ingester
 * never hears of an outcome that is not stored. A submission that already ended is announced again
 * (a worker that died between the two steps). The last failed attempt still ends it, as failed.
 */
@Injectable()
export class DispatcherWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DispatcherWorkers.name);
  private worker: Worker<DispatchTask> | null = null;

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(REDIS_CONNECTION) private readonly connection: RedisConnection,
    @Inject(QUEUES) private readonly queues: Queues,
    private readonly submissions: SubmissionsRepository,
    private readonly dispatch: SubmissionDispatch,
    private readonly metrics: DispatcherMetrics,
    private readonly monitor: DependencyMonitor,
    private readonly waits: ExternalTaskWaits,
  ) {}

  onApplicationBootstrap(): void {
    const options = { connection: this.connection, prefix: this.config.redis.prefix };
    // The successor of a dead holder reuses every result already stored under its key, so nothing is
    // analysed or stored twice.
    // An outage (the outcome cannot be read or recorded) puts the job back without spending an attempt: a
    // dispatch is retried until its outcome is stored, never dropped.
    this.worker = createWorker<DispatchTask>(
      QueueName.Dispatch,
      (job, token) => this.process(job, token).catch((error: unknown) => postponeOnOutage(job, token, error)),
      options,
      workerSettings(this.config.workers.dispatcher),
    );
    this.worker.on('failed', (job, error) => void this.onFailed(job, error));
    this.worker.on('error', (error) => this.logger.error({ err: error.message }, 'worker error'));
    this.monitor.pauseWhileMongoDown(this.worker);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker) await closeWorkerGracefully(this.worker, this.config.workers.dispatcher.shutdown_grace_seconds * 1000);
  }

  private async process(job: Job<DispatchTask>, token: string | undefined): Promise<void> {
    const { sid, scan_key } = job.data;
    const started = process.hrtime.bigint();
    // A first attempt has the submission the ingester stored (it is not read back); a retry reads the document,
    // which an earlier attempt may have ended.
    const first = job.attemptsMade === 0 && (job.attemptsStarted ?? 1) <= 1;
    const handed = first && job.data.submission ? handedSubmission(job.data.submission) : null;
    let submission = handed ?? (await this.submissions.findBySid(sid));
    if (!submission) {
      this.logger.warn({ sid }, 'dispatch task for a submission that does not exist');
      await this.announce(failedCompletion(sid, scan_key, 'Submission not found'));
      return;
    }
    if (submission.state === 'submitted') {
      try {
        submission = await this.end(submission, await this.analyse(submission, handed ? job.data.files : undefined));
      } catch (error) {
        // Waiting for external services ends this run and frees the slot; the job runs again on their answers.
        if (error instanceof AwaitingExternalServices && token) return waitForExternalServices(job, token, error, this.waits);
        if (outageOf(error) !== null || job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw error;
        await this.end(submission, failedOutcome(`Dispatch failed: ${(error as Error).message}`));
        throw error;
      }
      this.metrics.submissionSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
    await this.announce(completionOf(submission));
  }

  private async analyse(submission: SubmissionRecord, known: KnownFiles | undefined): Promise<SubmissionOutcome> {
    try {
      return await this.dispatch.analyse(submission, known);
    } catch (error) {
      if (error instanceof SubmissionCannotProceed) return failedOutcome(error.message);
      throw error;
    }
  }

  /**
   * Records the outcome and answers the ended submission: this outcome when it was the first, otherwise the
   * stored one (read back only then; the first outcome stays).
   */
  private async end(submission: SubmissionRecord, outcome: SubmissionOutcome): Promise<SubmissionRecord> {
    if (await this.submissions.finish(submission.sid, outcome)) {
      this.metrics.submissions.inc({ state: outcome.state });
      const { completed, ...fields } = outcome;
      return { ...submission, ...fields, error_count: outcome.errors.length, times: { ...submission.times, completed } };
    }
    return (await this.submissions.findBySid(submission.sid)) ?? submission;
  }

  /** A job BullMQ failed for good outside the processor (it stalled too often) still ends its submission. */
  private async onFailed(job: Job<DispatchTask> | undefined, error: Error): Promise<void> {
    if (!job) return;
    this.logger.warn({ sid: job.data.sid, attempt: job.attemptsMade, err: error.message }, 'dispatch attempt failed');
    if (!job.finishedOn) return;
    try {
      const submission = await this.submissions.findBySid(job.data.sid);
      if (!submission) return;
      const ended = submission.state === 'submitted' ? await this.end(submission, failedOutcome(`Dispatch failed: ${error.message}`)) : submission;
      await this.announce(completionOf(ended));
    } catch (cause) {
      if (outageOf(cause) !== null) {
        // Its outcome could not be recorded: the job runs again (and waits out the outage) rather than leave
        // the submission `submitted` until the timeout sweep.
        this.logger.warn({ sid: job.data.sid, err: (cause as Error).message }, 'failed dispatch not recorded: retried');
        await job.retry('failed').catch((error: unknown) => this.logger.error({ sid: job.data.sid, err: String(error) }, 'could not retry a failed dispatch'));
        return;
      }
      this.logger.error({ sid: job.data.sid, err: (cause as Error).message }, 'could not end a failed dispatch');
    }
  }

  private async announce(completion: SubmissionCompletion): Promise<void> {
    await (this.queues.get(QueueName.Complete) as Queue<SubmissionCompletion>).add(QueueName.Complete, completion, { jobId: completion.sid });
  }
}

function failedOutcome(reason: string): SubmissionOutcome {
  return { state: 'failed', max_score: 0, errors: [], results: [], failure: reason, completed: new Date() };
}

function failedCompletion(sid: string, scanKey: string | null, reason: string): SubmissionCompletion {
  return { sid, scan_key: scanKey, state: 'failed', max_score: 0, errors: [], failure: reason, completed_at: new Date().toISOString() };
}

/** The completion announced for an ended submission, from its stored document. */
export function completionOf(submission: SubmissionRecord): SubmissionCompletion {
  return {
    sid: submission.sid,
    scan_key: submission.scan_key,
    state: submission.state === 'failed' ? 'failed' : 'completed',
    max_score: submission.max_score,
    errors: submission.errors,
    failure: submission.failure,
    completed_at: (submission.times.completed ?? new Date()).toISOString(),
  };
}

/** The submission a dispatch task carries, as stored: its dates come back from JSON as strings. */
export function handedSubmission(data: Record<string, unknown>): SubmissionRecord {
  const submission = data as unknown as SubmissionRecord;
  const date = (value: Date | string | null | undefined) => (value === null || value === undefined ? null : new Date(value));
  return {
    ...submission,
    times: { submitted: date(submission.times.submitted)!, completed: date(submission.times.completed) },
    expiry_ts: date(submission.expiry_ts),
  };
}
