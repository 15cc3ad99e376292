import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { SubmissionOutcome, SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import type { SubmissionCompletion } from '@hopper/messages';
import { QUEUES, QueueName, Queues, SubmissionQuotas } from '@hopper/queues';
import { DispatcherMetrics } from './dispatcher-metrics';

/** The name of the time-out sweep's jobs on `dispatch`. */
export const SWEEP_JOB = 'sweep';
export const TIMED_OUT = 'Submission timed out';
const SWEEP_BATCH = 100;
/** A sweep ends at most this many batches; the next one (minutes later) goes on. */
const SWEEP_MAX_BATCHES = 50;

/** What is known of a submission that ended, enough to close it: its document, or its task's account of it. */
export type EndedSubmission = Pick<SubmissionRecord, 'sid' | 'scan_key' | 'state' | 'max_score' | 'errors' | 'failure' | 'times'> & {
  /** Whose submit-pool slot it holds (null: unknown, the slot lapses). */
  submitter: string | null;
};

/**
 * The end of every submission, whoever started it: the outcome recorded on its document (the first outcome
 * stays), then the submission closed: the submitter's quota slot released (the one place a submission's slot
 * is released) and the completion announced on `complete` (job id = sid), from which the ingester ends the
 * ingests of an ingested one. Every step may be repeated safely. It also owns the time-out sweep.
 */
@Injectable()
export class SubmissionFinisher {
  private readonly logger = new Logger(SubmissionFinisher.name);
  private readonly completeQueue: Queue<SubmissionCompletion>;

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(QUEUES) queues: Queues,
    private readonly submissions: SubmissionsRepository,
    private readonly quotas: SubmissionQuotas,
    private readonly metrics: DispatcherMetrics,
  ) {
    this.completeQueue = queues.get(QueueName.Complete)! as Queue<SubmissionCompletion>;
  }

  /**
   * Records the outcome and answers the ended submission: this outcome when it was the first, otherwise the
   * stored one (read back only then). A document deleted meanwhile answers `submission` with this outcome.
   */
  async record(submission: SubmissionRecord, outcome: SubmissionOutcome): Promise<SubmissionRecord> {
    const ended = (): SubmissionRecord => {
      const { completed, ...fields } = outcome;
      return { ...submission, ...fields, error_count: outcome.errors.length, times: { ...submission.times, completed } };
    };
    if (await this.submissions.finish(submission.sid, outcome)) {
      this.metrics.submissions.inc({ state: outcome.state });
      return ended();
    }
    return (await this.submissions.findBySid(submission.sid)) ?? ended();
  }

  /**
   * Closes an ended submission. One made through submit (no scan key) holds a slot of its submitter's submit
   * pool under its sid, taken by the API: released here, idempotently, before the completion is announced. An
   * ingested one holds none (its ingests hold theirs, released as the ingester notifies each of them).
   */
  /**
   * Ends, as failed (`Submission timed out`), every submission still running past
   * `core.ingester.dispatch_timeout_seconds`, whoever started it, and closes it like any other end: a Threat
   * Grid sample or a submit gives back its slot, an ingested one's ingests end from its completion. A BullMQ job
   * scheduler on `dispatch` runs it every 5 minutes, once for all dispatchers; no ingester is needed.
   */
  async sweep(now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - this.config.core.ingester.dispatch_timeout_seconds * 1000);
    for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
      const overdue = await this.submissions.model
        .find({ state: 'submitted', 'times.submitted': { $lt: cutoff } }, { _id: 1 })
        .sort({ 'times.submitted': 1 })
        .limit(SWEEP_BATCH)
        .lean<{ _id: string }[]>()
        .exec();
      for (const { _id: sid } of overdue) await this.timeOut(sid, now);
      if (overdue.length < SWEEP_BATCH) return;
    }
  }

  private async timeOut(sid: string, now: Date): Promise<void> {
    const submission = await this.submissions.findBySid(sid);
    if (!submission || submission.state !== 'submitted') return; // it ended meanwhile
    const outcome = { state: 'failed' as const, max_score: 0, errors: [], results: [], failure: TIMED_OUT, completed: now };
    if (!(await this.submissions.finish(sid, outcome))) return; // it ended meanwhile: its own end closes it
    this.metrics.submissions.inc({ state: 'failed' });
    this.logger.warn({ sid }, 'submission timed out');
    await this.close(endedSubmission({ ...submission, ...outcome, times: { ...submission.times, completed: now } }));
  }

  async close(ended: EndedSubmission): Promise<void> {
    if (ended.scan_key === null) {
      // Made through submit: its slot is released here, and no ingest waits on it, so nothing is announced (a
      // completion on `complete` would wait for ever in a deployment that runs no ingester).
      if (ended.submitter) await this.quotas.release(ended.submitter, ended.sid, 'submit');
      else this.logger.warn({ sid: ended.sid }, 'ended submission of an unknown submitter: its quota slot lapses');
      return;
    }
    await this.completeQueue.add(QueueName.Complete, completionOf(ended), { jobId: ended.sid });
  }
}

/** The stored submission as `close` takes it. */
export function endedSubmission(submission: SubmissionRecord): EndedSubmission {
  return { ...submission, submitter: submission.params.submitter || null };
}

/** The completion announced for an ended submission. */
export function completionOf(submission: Omit<EndedSubmission, 'submitter'>): SubmissionCompletion {
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
