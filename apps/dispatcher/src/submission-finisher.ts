import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { SubmissionOutcome, SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import type { SubmissionCompletion } from '@hopper/messages';
import { QUEUES, QueueName, Queues, SubmissionQuotas } from '@hopper/queues';
import { DispatcherMetrics } from './dispatcher-metrics';

/** What is known of a submission that ended, enough to close it: its document, or its task's account of it. */
export type EndedSubmission = Pick<SubmissionRecord, 'sid' | 'scan_key' | 'state' | 'max_score' | 'errors' | 'failure' | 'times'> & {
  /** Whose submit-pool slot it holds (null: unknown, the slot lapses). */
  submitter: string | null;
};

/**
 * The end of every submission, whoever started it: the outcome recorded on its document (the first outcome
 * stays), then the submission closed: the submitter's quota slot released (the one place a submission's slot
 * is released) and the completion announced on `complete` (job id = sid), from which the ingester ends the
 * ingests of an ingested one. Every step may be repeated safely.
 */
@Injectable()
export class SubmissionFinisher {
  private readonly logger = new Logger(SubmissionFinisher.name);
  private readonly completeQueue: Queue<SubmissionCompletion>;

  constructor(
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
  async close(ended: EndedSubmission): Promise<void> {
    if (ended.scan_key === null) {
      if (ended.submitter) await this.quotas.release(ended.submitter, ended.sid, 'submit');
      else this.logger.warn({ sid: ended.sid }, 'ended submission of an unknown submitter: its quota slot lapses');
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
