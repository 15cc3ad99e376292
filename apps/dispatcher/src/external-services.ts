import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { RedisConnection } from '@hopper/queues';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { ResultRecord, ResultsRepository } from '@hopper/datastore';
import { ExternalTaskWaits, REDIS_CONNECTION } from '@hopper/queues';
import { errorKey, ExternalFileLimits, ExternalServiceQueues, ExternalServiceTask, externalTaskId, ServiceManifest, ServiceTask } from '@hopper/services';
import { ServiceFailure } from './service-failure';

/** An external service's task that has no answer yet: the dispatch waits for it, up to its deadline (epoch ms). */
export interface AwaitedTask {
  taskId: string;
  deadline: number;
}

/** What an external service's task stands at: its result, or still awaited (its error is thrown as a ServiceFailure). */
export type ExternalOutcome = { kind: 'result'; record: ResultRecord } | { kind: 'waiting'; task: AwaitedTask };

/**
 * Hands tasks to external services (their own BullMQ queue, job id = task id) and collects what they posted
 * through the API. Nothing here waits: a task without an answer is reported as awaited, and the dispatch
 * job waits for it delayed, without a worker slot, until the API wakes it (see ExternalTaskWaits) or the
 * deadline passes. The dispatch then runs again, and this finds the answer, or records the time-out.
 * The deadline is recorded once (ExternalTaskWaits), so a re-run, or a successor of a dispatcher that died,
 * queues the same task id (a no-op) and waits for the same answer: the service does the work once.
 */
@Injectable()
export class ExternalServices implements OnApplicationShutdown {
  private readonly queues: ExternalServiceQueues;

  constructor(
    @Inject(HOPPER_CONFIG) config: HopperConfig,
    @Inject(REDIS_CONNECTION) connection: RedisConnection,
    private readonly results: ResultsRepository,
    private readonly waits: ExternalTaskWaits,
  ) {
    this.queues = new ExternalServiceQueues(connection, config.redis.prefix);
  }

  /**
   * The result the service posted (its files stored by the API and listed in `response.extracted` and
   * `response.supplementary`, so its extracted files are analysed like an in-process service's), or the task
   * still awaited. `lookUp: false` when nothing can have been posted yet (a file new to Hopper, first attempt).
   * The error it posted, or its time-out, is thrown as a ServiceFailure. When both an error and a result are
   * stored (an answer that landed after the time-out was recorded), the error stands, on every re-run alike.
   */
  async collect(
    manifest: ServiceManifest,
    task: ServiceTask & { classification: string; expiry_ts: Date | null },
    resultKey: string,
    fileLimits: ExternalFileLimits,
    lookUp = true,
  ): Promise<ExternalOutcome> {
    const taskId = externalTaskId(resultKey, task.sid);
    if (lookUp) {
      const answered = await this.answerOf(resultKey, task.sid);
      if (answered) return answered;
    }
    const deadline = await this.deadlineOf(manifest, task.sid, taskId);
    if (Date.now() < deadline) {
      await this.queue(manifest, task, resultKey, fileLimits, taskId, deadline);
      return { kind: 'waiting', task: { taskId, deadline } };
    }
    // Past the deadline: the time-out stands unless the API took an answer first (then it is stored, or was
    // lost with the API process: either way one more look decides).
    const settledBy = await this.waits.settle(task.sid, taskId, 'timeout', deadline);
    if (settledBy === 'answering' || settledBy === 'answered') {
      const answered = await this.answerOf(resultKey, task.sid);
      if (answered) return answered;
    }
    throw ServiceFailure.timedOut(manifest.name, manifest.timeout_seconds);
  }

  /**
   * The recorded deadline; for a task queued without one (by a dispatcher of an earlier version), the deadline
   * it was queued with, which the API enforces; else the service's timeout from now.
   */
  private async deadlineOf(manifest: ServiceManifest, sid: string, taskId: string): Promise<number> {
    const recorded = await this.waits.recordedDeadline(sid, taskId);
    if (recorded !== null) return recorded;
    const queued = await this.queues.of(manifest.name).getJob(taskId);
    const proposed = queued ? Date.parse(queued.data.deadline) : Date.now() + manifest.timeout_seconds * 1000;
    return this.waits.deadline(sid, taskId, proposed);
  }

  /** The posted error (thrown) or result of this submission's task, if either is stored. */
  private async answerOf(resultKey: string, sid: string): Promise<ExternalOutcome | null> {
    const [result, error] = await Promise.all([this.results.findResult(resultKey), this.results.findError(errorKey(resultKey, sid))]);
    if (error) throw new ServiceFailure(error.response.message, error.type, error.response.status === 'FAIL_RECOVERABLE');
    return result && result.sid === sid ? { kind: 'result', record: result } : null;
  }

  private async queue(
    manifest: ServiceManifest,
    task: ServiceTask & { classification: string; expiry_ts: Date | null },
    resultKey: string,
    fileLimits: ExternalFileLimits,
    taskId: string,
    deadline: number,
  ): Promise<void> {
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
    // Same job id as an earlier run's: BullMQ keeps the queued job and ignores this one.
    await this.queues.of(manifest.name).add(manifest.name, job, { jobId: taskId, removeOnComplete: { age: 3600 }, removeOnFail: { age: 7 * 24 * 3600 } });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
  }
}
