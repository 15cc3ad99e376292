import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { SubmissionOutcome, SubmissionsRepository, WriteBatcher } from '@hopper/datastore';
import { outageOf } from '@hopper/observability';

/**
 * Submission outcomes recorded in batches: the ends of the submissions in flight go out as one `bulkWrite` of
 * conditional updates (`SubmissionsRepository.finishMany`) instead of one `updateOne` each. A submission awaits
 * its batch, so it is closed (and announced) only once its outcome is stored.
 */
@Injectable()
export class OutcomeWrites implements OnApplicationShutdown {
  private readonly batcher: WriteBatcher<{ sid: string; outcome: SubmissionOutcome }, boolean>;

  constructor(@Inject(HOPPER_CONFIG) config: HopperConfig, submissions: SubmissionsRepository) {
    const { max_documents, max_wait_ms } = config.workers.dispatcher.write_batch;
    // A batch that failed for another reason than an outage goes again outcome by outcome.
    this.batcher = new WriteBatcher((batch) => submissions.finishMany(batch), { maxItems: max_documents, maxWaitMs: max_wait_ms }, (error) => outageOf(error) === null);
  }

  /** `SubmissionsRepository.finish`, batched: false when the submission had ended already (the first outcome stays). */
  finish(sid: string, outcome: SubmissionOutcome): Promise<boolean> {
    return this.batcher.add({ sid, outcome });
  }

  onApplicationShutdown(): void {
    this.batcher.flush();
  }
}
