import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { RedisConnection } from '@hopper/queues';
import { setTimeout as sleep } from 'node:timers/promises';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { ResultRecord, ResultsRepository } from '@hopper/datastore';
import { REDIS_CONNECTION } from '@hopper/queues';
import { errorKey, ExternalFileLimits, ExternalServiceQueues, ExternalServiceTask, externalTaskId, ServiceManifest, ServiceTask } from '@hopper/services';
import { ServiceFailure } from './service-failure';

/**
 * Hands tasks to external services (their own BullMQ queue, job id = task id) and waits for the result or
 * error they post through the API, looking for it every `services.external_poll_ms` until the service's
 * timeout. A dispatcher that died while waiting leaves the job queued; its successor queues the same task
 * id (a no-op) and waits for the same answer, so the service does the work once.
 */
@Injectable()
export class ExternalServices implements OnApplicationShutdown {
  private readonly queues: ExternalServiceQueues;

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(REDIS_CONNECTION) connection: RedisConnection,
    private readonly results: ResultsRepository,
  ) {
    this.queues = new ExternalServiceQueues(connection, config.redis.prefix);
  }

  /**
   * The result the service posted, with the files it posted stored and listed in `response.extracted` and
   * `response.supplementary` by the API (so its extracted files are analysed like an in-process service's).
   */
  async run(
    manifest: ServiceManifest,
    task: ServiceTask & { classification: string; expiry_ts: Date | null },
    resultKey: string,
    fileLimits: ExternalFileLimits,
  ): Promise<ResultRecord> {
    const taskId = externalTaskId(resultKey, task.sid);
    const deadline = Date.now() + manifest.timeout_seconds * 1000;
    const job: ExternalServiceTask = {
      task_id: taskId,
      service_name: manifest.name,
      service_version: manifest.version,
      result_key: resultKey,
      sid: task.sid,
      file: task.file,
      depth: task.depth,
      params: task.params,
      temp_data: task.temp_data,
      deep_scan: task.deep_scan,
      classification: task.classification,
      expiry_ts: task.expiry_ts?.toISOString() ?? null,
      deadline: new Date(deadline).toISOString(),
      ...fileLimits,
    };
    await this.queues.of(manifest.name).add(manifest.name, job, { jobId: taskId, removeOnComplete: { age: 3600 }, removeOnFail: { age: 7 * 24 * 3600 } });
    const errorId = errorKey(resultKey, task.sid);
    while (Date.now() < deadline) {
      const [result, error] = await Promise.all([this.results.findResult(resultKey), this.results.findError(errorId)]);
      if (result && result.sid === task.sid) return result;
      if (error) throw new ServiceFailure(error.response.message, error.type, error.response.status === 'FAIL_RECOVERABLE');
      await sleep(this.config.services.external_poll_ms);
    }
    throw ServiceFailure.timedOut(manifest.name, manifest.timeout_seconds);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
  }
}
