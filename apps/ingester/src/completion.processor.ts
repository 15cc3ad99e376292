import { Injectable } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { IngestTaskSchema, parseMessage, SubmissionCompletionSchema } from '@hopper/messages';
import { SubmissionsRepository } from '@hopper/datastore';
import { ScanRegistry, SubmissionCompletion } from '@hopper/queues';
import { IngestOutcomes } from './ingest-outcomes';
import { IngestPolicy } from './ingest-policy';

/** The time-out sweep's name on `complete` before the dispatcher took it over (jobs of an older scheduler). */
export const FORMER_SWEEP_JOB = 'sweep';

/**
 * The end of a scan: its result is cached (unless it failed), and every ingest attached to it ends with the
 * same sid and score, each with its own notification. A retried completion finishes only the ingests not
 * yet delivered (a submission made through submit has none: the dispatcher ended it and gave back its slot).
 * Submissions that ran past the dispatch timeout are ended by the dispatcher's sweep, and come here like any
 * other completion.
 */
@Injectable()
export class CompletionProcessor {
  constructor(
    private readonly registry: ScanRegistry,
    private readonly submissions: SubmissionsRepository,
    private readonly outcomes: IngestOutcomes,
    private readonly policy: IngestPolicy,
  ) {}

  async process(job: Job<unknown>): Promise<void> {
    if (job.name === FORMER_SWEEP_JOB) return; // the dispatcher sweeps now
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
   * Ends at once, as failed with `failure`, a scan that could not be started for good (its submission
   * document refused): its document if one was written, and every ingest attached to it. Safe to repeat.
   */
  async refuse(sid: string, scanKey: string, failure: string, now: Date): Promise<void> {
    await this.submissions.finish(sid, { state: 'failed', max_score: 0, errors: [], results: [], failure, completed: now });
    await this.complete({ sid, scan_key: scanKey, state: 'failed', max_score: 0, errors: [], failure, completed_at: now.toISOString() });
  }
}
