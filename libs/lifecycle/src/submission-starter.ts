import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { NewSubmission, SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import { toBullmqPriority } from '@hopper/ingest-policy';
import { DispatchTask, HandedSubmissionSchema } from '@hopper/messages';
import { QUEUES, QueueName, Queues, SubmissionQuotas } from '@hopper/queues';
import { newSubmissionDocument, SubmissionStart } from './submission-document';

export interface StartOptions {
  /**
   * Stores the document and answers the stored one (an earlier one with the same sid included). Default
   * `SubmissionsRepository.createIfAbsent`; the ingester passes its batched writer.
   */
  store?: (document: NewSubmission) => Promise<SubmissionRecord>;
  /**
   * The ingester's hand-over: the task carries the stored submission and the submitted files as recorded, so
   * the dispatcher's first attempt reads neither back. Without it the task names the sid and the submitter.
   */
  handOver?: { knownFiles?: DispatchTask['files'] };
  /**
   * The submitter holds a leased slot of the submit pool under the sid (submit, resubmit, the UI's start,
   * Threat Grid): confirmed once the task is queued.
   */
  quotaLeased?: boolean;
  /**
   * A failed queueing deletes the document again (default), so a refused request leaves no submission nothing
   * will run. The ingester keeps it: its job is retried under the same sid and queues it then.
   */
  keepDocumentOnQueueFailure?: boolean;
}

/**
 * Starts a submission, for every path that makes one: the document in MongoDB first (built by
 * `newSubmissionDocument`), then its dispatch task (job id = sid, BullMQ priority from the submission's), so
 * the dispatcher never gets a sid it cannot read. The dispatcher ends it (outcome, quota slot, time-out).
 */
@Injectable()
export class SubmissionStarter {
  private readonly logger = new Logger(SubmissionStarter.name);
  private readonly dispatchQueue: Queue<DispatchTask>;

  constructor(
    @Inject(QUEUES) queues: Queues,
    private readonly submissions: SubmissionsRepository,
    private readonly quotas: SubmissionQuotas,
  ) {
    this.dispatchQueue = queues.get(QueueName.Dispatch)! as Queue<DispatchTask>;
  }

  async start(start: SubmissionStart, options: StartOptions = {}): Promise<SubmissionRecord> {
    const { sid, params } = start;
    const document = newSubmissionDocument(start);
    const stored = await (options.store ?? ((doc: NewSubmission) => this.submissions.createIfAbsent(doc)))(document);
    const task: DispatchTask = options.handOver
      ? {
          sid,
          scan_key: stored.scan_key,
          // The schema keeps the fields the dispatcher reads (not the id, tree, access parts or Threat Grid request).
          submission: HandedSubmissionSchema.parse(stored),
          ...(options.handOver.knownFiles ? { files: options.handOver.knownFiles } : {}),
        }
      : { sid, scan_key: stored.scan_key, submitter: params.submitter };
    try {
      await this.dispatchQueue.add(QueueName.Dispatch, task, { jobId: sid, priority: toBullmqPriority(params.priority) });
    } catch (error) {
      if (!options.keepDocumentOnQueueFailure) await this.submissions.delete(sid).catch(() => undefined);
      throw error;
    }
    if (options.quotaLeased) await this.quotas.confirm(params.submitter, sid);
    // The ingester logs its own line per scan (with the ingest_id); the API's paths log here.
    if (!options.handOver) this.logger.log({ sid, submitter: params.submitter }, 'submission dispatched');
    return stored;
  }
}
