import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import type { RedisConnection } from '@hopper/queues';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { DependencyMonitor, outageOf, postponeOnOutage } from '@hopper/observability';
import { SubmissionOutcome, SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import { DispatchTaskSchema, HandedSubmission, ParsedDispatchTask, parseMessage } from '@hopper/messages';
import { closeWorkerGracefully, createWorker, ExternalTaskWaits, QUEUES, QueueName, Queues, REDIS_CONNECTION, workerSettings } from '@hopper/queues';
import { z } from 'zod';
import { AwaitingExternalServices, waitForExternalServices } from './awaiting-external-services';
import { DispatcherMetrics } from './dispatcher-metrics';
import { KnownFiles, SubmissionCannotProceed, SubmissionDispatch } from './submission-dispatch';
import { EndedSubmission, endedSubmission, SubmissionFinisher, SWEEP_JOB } from './submission-finisher';

/**
 * The dispatcher's BullMQ worker on `dispatch`: it ends every submission. A submission is analysed, its
 * outcome recorded on its document (the first outcome stays), and only then closed by SubmissionFinisher
 * (quota slot released, completion announced on `complete`), so the ingester never hears of an outcome that
 * is not stored. A submission that already ended is closed again (a worker that died between the two
 * steps). The last failed attempt still ends it, as failed. A task that does not parse fails for good.
 */
@Injectable()
export class DispatcherWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DispatcherWorkers.name);
  private worker: Worker<unknown> | null = null;

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(REDIS_CONNECTION) private readonly connection: RedisConnection,
    @Inject(QUEUES) private readonly queues: Queues,
    private readonly submissions: SubmissionsRepository,
    private readonly dispatch: SubmissionDispatch,
    private readonly finisher: SubmissionFinisher,
    private readonly metrics: DispatcherMetrics,
    private readonly monitor: DependencyMonitor,
    private readonly waits: ExternalTaskWaits,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const options = { connection: this.connection, prefix: this.config.redis.prefix };
    // The successor of a dead holder reuses every result already stored under its key, so nothing is
    // analysed or stored twice.
    // An outage (the outcome cannot be read or recorded) puts the job back without spending an attempt: a
    // dispatch is retried until its outcome is stored, never dropped.
    this.worker = createWorker<unknown>(
      QueueName.Dispatch,
      (job, token) =>
        job.name === SWEEP_JOB ? this.finisher.sweep(new Date()) : this.process(job, token).catch((error: unknown) => postponeOnOutage(job, token, error)),
      options,
      workerSettings(this.config.workers.dispatcher),
    );
    this.worker.on('failed', (job, error) => {
      if (job?.name === SWEEP_JOB) this.logger.error({ err: error.message }, 'time-out sweep failed: the next one goes on');
      else void this.onFailed(job, error);
    });
    this.worker.on('error', (error) => this.logger.error({ err: error.message }, 'worker error'));
    this.monitor.pauseWhileMongoDown(this.worker);
    // The time-out sweep: one job scheduler for all dispatchers (upserting it again changes nothing), every
    // core.ingester.timeout_sweep_interval_seconds.
    const sweepEvery = this.config.core.ingester.timeout_sweep_interval_seconds * 1000;
    await this.queues.get(QueueName.Dispatch)!.upsertJobScheduler(SWEEP_JOB, { every: sweepEvery }, { name: SWEEP_JOB });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker) await closeWorkerGracefully(this.worker, this.config.workers.dispatcher.shutdown_grace_seconds * 1000);
  }

  private async process(job: Job<unknown>, token: string | undefined): Promise<void> {
    const task = readTask(job.data);
    const { sid, scan_key } = task;
    const started = process.hrtime.bigint();
    // A first attempt has the submission its starter stored (it is not read back); a retry reads the document,
    // which an earlier attempt may have ended.
    const first = job.attemptsMade === 0 && (job.attemptsStarted ?? 1) <= 1;
    const handed = first && task.submission ? handedSubmission(task.submission) : null;
    let submission = handed ?? (await this.submissions.findBySid(sid));
    if (!submission) {
      // Deleted before it ran: it still ends here, its slot released (the task names the submitter).
      this.logger.warn({ sid }, 'dispatch task for a submission that does not exist');
      await this.finisher.close({ ...failedEnd(sid, scan_key, 'Submission not found'), submitter: task.submitter ?? task.submission?.params.submitter ?? null });
      return;
    }
    if (submission.state === 'submitted') {
      try {
        submission = await this.finisher.record(submission, await this.analyse(submission, handed ? task.files : undefined));
      } catch (error) {
        // Waiting for external services ends this run and frees the slot; the job runs again on their answers.
        if (error instanceof AwaitingExternalServices && token) return waitForExternalServices(job, token, error, this.waits);
        if (outageOf(error) !== null || job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw error;
        submission = await this.finisher.record(submission, failedOutcome(`Dispatch failed: ${(error as Error).message}`));
        await this.finisher.close(endedSubmission(submission));
        throw error;
      }
      this.metrics.submissionSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
    await this.finisher.close(endedSubmission(submission));
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
   * A job BullMQ failed for good outside the processor (it stalled too often, or its task did not parse)
   * still ends its submission.
   */
  private async onFailed(job: Job<unknown> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const sid = SidOnly.safeParse(job.data).data?.sid;
    this.logger.warn({ sid, attempt: job.attemptsMade, err: error.message }, 'dispatch attempt failed');
    if (!job.finishedOn || !sid) return;
    try {
      const submission = await this.submissions.findBySid(sid);
      if (!submission) return;
      const ended = submission.state === 'submitted' ? await this.finisher.record(submission, failedOutcome(`Dispatch failed: ${error.message}`)) : submission;
      await this.finisher.close(endedSubmission(ended));
    } catch (cause) {
      if (outageOf(cause) !== null) {
        // Its outcome could not be recorded: the job runs again (and waits out the outage) rather than leave
        // the submission `submitted` until the timeout sweep.
        this.logger.warn({ sid, err: (cause as Error).message }, 'failed dispatch not recorded: retried');
        await job.retry('failed').catch((retryError: unknown) => this.logger.error({ sid, err: String(retryError) }, 'could not retry a failed dispatch'));
        return;
      }
      this.logger.error({ sid, err: (cause as Error).message }, 'could not end a failed dispatch');
    }
  }
}

/** Enough of a task to name its submission, when the rest does not parse. */
const SidOnly = z.object({ sid: z.string().min(1) });

/** The job's task, or (invalid: every attempt would read the same bytes) an UnrecoverableError; `onFailed` ends it. */
function readTask(data: unknown): ParsedDispatchTask {
  try {
    return parseMessage(DispatchTaskSchema, data, 'dispatch task');
  } catch (error) {
    throw new UnrecoverableError((error as Error).message);
  }
}

function failedOutcome(reason: string): SubmissionOutcome {
  return { state: 'failed', max_score: 0, errors: [], results: [], failure: reason, completed: new Date() };
}

function failedEnd(sid: string, scanKey: string | null, reason: string): Omit<EndedSubmission, 'submitter'> {
  return { sid, scan_key: scanKey, state: 'failed', max_score: 0, errors: [], failure: reason, times: { submitted: new Date(), completed: new Date() } };
}

/** The submission a dispatch task carries, as the schema read it (dates as Dates). */
export function handedSubmission(handed: HandedSubmission): SubmissionRecord {
  return { ...handed, _id: handed.sid, file_tree: null };
}
