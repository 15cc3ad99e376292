import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { IngestTaskSchema, parseMessage, SubmissionCompletionSchema } from '@hopper/messages';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { SubmissionsRepository } from '@hopper/datastore';
import { ScanRegistry, SubmissionCompletion } from '@hopper/queues';
import { IngestOutcomes } from './ingest-outcomes';
import { IngestPolicy } from './ingest-policy';

export const SWEEP_JOB = 'sweep';
export const TIMED_OUT = 'Submission timed out';
const SWEEP_BATCH = 100;
/** A sweep ends at most this many batches; the next one (minutes later) goes on. */
const SWEEP_MAX_BATCHES = 50;

/**
 * The end of a scan: its result is cached (unless it failed), and every ingest attached to it ends with the
 * same sid and score, each with its own notification. A retried completion finishes only the ingests not
 * yet delivered (a submission made through submit has none: the dispatcher ended it and gave back its slot).
 * A periodic sweep ends, as failed, submissions (ingested or made through submit) that ran past the dispatch
 * timeout.
 */
@Injectable()
export class CompletionProcessor {
  private readonly logger = new Logger(CompletionProcessor.name);

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    private readonly registry: ScanRegistry,
    private readonly submissions: SubmissionsRepository,
    private readonly outcomes: IngestOutcomes,
    private readonly policy: IngestPolicy,
  ) {}

  async process(job: Job<unknown>): Promise<void> {
    if (job.name === SWEEP_JOB) return this.sweep(new Date());
    let completion: SubmissionCompletion;
    try {
      completion = parseMessage(SubmissionCompletionSchema, job.data, 'submission completion');
    } catch (error) {
      throw new UnrecoverableError((error as Error).message); // every attempt would read the same bytes
    }
    await this.complete(completion);
  }

  async complete(completion: SubmissionCompletion): Promise<void> {
    if (!completion.scan_key) return; // made through submit: no ingest waits on it (the dispatcher released its slot)
    const scanKey = completion.scan_key;
    const failed = completion.state === 'failed';
    const tasks = await this.registry.complete<unknown>({
      scanKey,
      sid: completion.sid,
      score: completion.max_score,
      errors: completion.errors.length > 0,
      completedAt: new Date(completion.completed_at),
      cacheTtlSeconds: failed ? 0 : this.policy.cacheTtlSeconds(completion.errors.length > 0),
    });
    const scan = { sid: completion.sid, scanKey };
    for (const { task: stored, outcome } of tasks) {
      // The tasks attached to the scan, as the claim script kept them in Redis: read back through the schema.
      const read = IngestTaskSchema.safeParse(stored);
      if (!read.success) {
        await this.outcomes.unreadable(stored, `Ingest failed: ${read.error.issues[0]?.message ?? 'invalid ingest task'}`);
        continue;
      }
      const task = read.data;
      if (failed) await this.outcomes.failed(task, completion.failure ?? 'Submission failed', 'failed', scan);
      else await this.outcomes.completed(task, { sid: completion.sid, score: completion.max_score, outcome, done: scan, scanKey });
    }
  }

  /**
   * Ends submissions still running past `dispatch_timeout_seconds`: an ingested one with its ingests, one made
   * through submit (a Threat Grid sample among them) with its quota slot, so no accepted work waits forever.
   */
  async sweep(now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - this.config.core.ingester.dispatch_timeout_seconds * 1000);
    for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
      const overdue = await this.submissions.model
        .find({ state: 'submitted', 'times.submitted': { $lt: cutoff } }, { _id: 1, scan_key: 1 })
        .sort({ 'times.submitted': 1 })
        .limit(SWEEP_BATCH)
        .lean<{ _id: string; scan_key: string | null }[]>()
        .exec();
      for (const submission of overdue) await this.timeOut(submission._id, submission.scan_key, now);
      if (overdue.length < SWEEP_BATCH) return;
    }
  }

  private async timeOut(sid: string, scanKey: string | null, now: Date): Promise<void> {
    const outcome = { state: 'failed' as const, max_score: 0, errors: [], results: [], failure: TIMED_OUT, completed: now };
    if (!(await this.submissions.finish(sid, outcome))) return; // it ended meanwhile
    this.logger.warn({ sid }, scanKey ? 'submission timed out: its ingests end as failed' : 'submission timed out');
    await this.complete({ sid, scan_key: scanKey, state: 'failed', max_score: 0, errors: [], failure: TIMED_OUT, completed_at: now.toISOString() });
  }

  /**
   * Ends at once, as failed with `failure`, a scan that could not be started for good (its submission
   * document refused): its document if one was written, and every ingest attached to it. Safe to repeat.
   */
  async refuse(sid: string, scanKey: string, failure: string, now: Date): Promise<void> {
    await this.submissions.finish(sid, { state: 'failed', max_score: 0, errors: [], results: [], failure, completed: now });
    await this.complete({ sid, scan_key: scanKey, state: 'failed', max_score: 0, errors: [], failure, completed_at: now.toISOString() });
  }
}
