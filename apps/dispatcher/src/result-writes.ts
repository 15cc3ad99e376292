import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { ResultRecord, ResultsRepository, WriteBatcher } from '@hopper/datastore';
import { outageOf } from '@hopper/observability';

/**
 * Service results stored in batches: those of a stage's services and of the submissions in flight go out in
 * one `bulkWrite`. A run awaits its batch, so a submission ends (and is announced) only once its results are stored.
 */
@Injectable()
export class ResultWrites implements OnApplicationShutdown {
  private readonly batcher: WriteBatcher<ResultRecord, undefined>;

  constructor(@Inject(HOPPER_CONFIG) config: HopperConfig, results: ResultsRepository) {
    const { max_documents, max_wait_ms } = config.workers.dispatcher.write_batch;
    this.batcher = new WriteBatcher(async (batch) => {
      await results.saveResults(batch);
      return batch.map(() => undefined);
      // A batch that failed for another reason than an outage goes again result by result: a result the
      // database refuses then fails only its own service run.
    }, { maxItems: max_documents, maxWaitMs: max_wait_ms }, (error) => outageOf(error) === null);
  }

  async saveResult(record: ResultRecord): Promise<void> {
    await this.batcher.add(record);
  }

  onApplicationShutdown(): void {
    this.batcher.flush();
  }
}
