import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { SubmissionFile, SubmissionRecord, SubmissionsRepository, ThreatGridSampleInfo } from '@hopper/datastore';
import { toBullmqPriority } from '@hopper/ingest-policy';
import type { SubmissionParams } from '@hopper/profiles';
import { DispatchTask, QUEUES, QueueName, Queues, SubmissionQuotas } from '@hopper/queues';
import { expiryFromTtl } from './record-intake-file';

/** What a submission made through submit starts with. */
export interface SubmissionStart {
  sid: string;
  params: SubmissionParams;
  metadata: Record<string, string>;
  files: SubmissionFile[];
  now: Date;
  /** Threat Grid-compatible samples only. */
  threatgrid?: ThreatGridSampleInfo;
}

/**
 * Starts a submission made through submit (no ingester in between): the document in MongoDB first, state
 * `submitted` and no scan key, then its dispatch task (job id = sid, BullMQ priority from the submission's),
 * so the dispatcher never gets a sid it cannot read. If the task cannot be queued the document goes again:
 * a failed request leaves no submission that nothing will ever run. Once queued, the submitter's quota slot
 * (leased under the sid by submit, resubmit, the UI's start or Threat Grid, an archive's members included)
 * is confirmed: every path that takes one starts here.
 */
@Injectable()
export class SubmissionLauncher {
  private readonly logger = new Logger(SubmissionLauncher.name);
  private readonly dispatchQueue: Queue<DispatchTask>;

  constructor(
    @Inject(QUEUES) queues: Queues,
    private readonly submissions: SubmissionsRepository,
    private readonly quotas: SubmissionQuotas,
  ) {
    this.dispatchQueue = queues.get(QueueName.Dispatch)! as Queue<DispatchTask>;
  }

  async launch(start: SubmissionStart): Promise<SubmissionRecord> {
    const { sid, params, metadata, files, now, threatgrid } = start;
    const record = await this.submissions.createIfAbsent({
      sid,
      classification: params.classification,
      params: params as unknown as Record<string, unknown>,
      metadata,
      files,
      file_count: files.length,
      state: 'submitted',
      times: { submitted: now, completed: null },
      scan_key: null,
      max_score: 0,
      error_count: 0,
      errors: [],
      results: [],
      failure: null,
      expiry_ts: expiryFromTtl(params.ttl, now),
      ...(threatgrid ? { threatgrid } : {}),
    });
    try {
      await this.dispatchQueue.add(QueueName.Dispatch, { sid, scan_key: null }, { jobId: sid, priority: toBullmqPriority(params.priority) });
    } catch (error) {
      await this.submissions.model.deleteOne({ _id: sid }).exec().catch(() => undefined);
      throw error;
    }
    await this.quotas.confirm(params.submitter, sid);
    this.logger.log({ sid, submitter: params.submitter }, 'submission dispatched');
    return record;
  }
}
