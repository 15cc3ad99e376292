import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Queue, UnrecoverableError } from 'bullmq';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { outageOf } from '@hopper/observability';
import type { SubmissionParams } from '@hopper/profiles';
import { DispatchTask, inflightTtlSeconds, IngestTask, QUEUES, QueueName, Queues, randomId, ScanRegistry } from '@hopper/queues';
import { CompletionProcessor } from './completion.processor';
import { IngestOutcomes } from './ingest-outcomes';
import { IngestWrites } from './ingest-writes';
import { IngesterMetrics } from './ingester-metrics';
import { IngestPolicy } from './ingest-policy';

/**
 * An ingest already ended as failed, for good (its notification delivered): BullMQ must not retry it, and
 * nothing more is to be done when its job fails. A subclass, so BullMQ's own UnrecoverableError (a job that
 * stalled too often) is still told apart: that one has not ended its ingest yet.
 */
export class IngestEnded extends UnrecoverableError {}

/**
 * One ingest task, Assemblyline's ingester way: clean its metadata, refuse what cannot be scanned, drop
 * under load unless it must never drop, then answer it from the cache, attach it to the identical scan in
 * flight, or start that scan (submission document, then the `dispatch` queue). Each step is idempotent by
 * ingest_id and sid, so BullMQ may run a task again after a crash or a failed attempt.
 */
@Injectable()
export class IngestProcessor {
  private readonly logger = new Logger(IngestProcessor.name);
  private readonly dispatchQueue: Queue<DispatchTask>;

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(QUEUES) queues: Queues,
    private readonly policy: IngestPolicy,
    private readonly registry: ScanRegistry,
    private readonly writes: IngestWrites,
    private readonly outcomes: IngestOutcomes,
    private readonly metrics: IngesterMetrics,
    private readonly completion: CompletionProcessor,
  ) {
    this.dispatchQueue = queues.get(QueueName.Dispatch)! as Queue<DispatchTask>;
  }

  async process(job: Job<IngestTask>): Promise<void> {
    const task = this.policy.prepare(
      job.data,
      (stripped) => this.logger.warn({ ingest_id: job.data.ingest_id, keys: stripped }, 'metadata values over max_metadata_length stripped'),
      new Date(),
    );
    const params = task.submission.params as unknown as SubmissionParams;
    // First, as the API did before it queued the task: a refused or dropped ingest still records its file.
    const sighting = task.file_sighting ? await this.writes.recordSighting(task.file_sighting) : null;

    const refusal = this.policy.refusal(task);
    if (refusal) return this.outcomes.failed(task, refusal, 'failed');
    const drop = await this.policy.dropReason(task);
    if (drop) return this.outcomes.failed(task, drop, 'dropped');

    const file = task.submission.files[0];
    const scanKey = this.policy.scanKey(file.sha256, params);
    const claim = await this.registry.claim({
      scanKey,
      ingestId: task.ingest_id,
      task,
      newSid: randomId(),
      ignoreCache: params.ignore_cache === true,
      ...this.policy.staleness(),
      inflightTtlSeconds: inflightTtlSeconds(this.config.core.ingester.dispatch_timeout_seconds),
      now: new Date(),
    });
    if (claim.outcome === 'ended') return; // run again after it ended (a crash before BullMQ recorded it)
    this.metrics.ingests.inc({ outcome: claim.outcome });
    if (claim.outcome === 'cached') {
      return this.outcomes.completed(task, { sid: claim.sid, score: claim.score, outcome: 'cached', scanKey });
    }
    if (claim.outcome === 'attached') return;
    if (job.attemptsMade > 0) this.metrics.dispatchRetries.inc();
    const file0 = task.file_sighting?.file;
    const files = file0 && sighting ? { [file0.sha256]: { type: file0.type, size: file0.size, new: sighting.created } } : undefined;
    try {
      await this.startScan(task, params, claim.sid, scanKey, files);
    } catch (error) {
      if (outageOf(error) !== null) throw error; // the database or Redis will be back: BullMQ retries
      // Refused for good (a document the database will not store, say): retrying would only hold the quota
      // slots longer. The scan ends now as failed, with every ingest attached to it, each notified of why.
      const failure = `Submission refused: ${String((error as Error)?.message ?? error).slice(0, 300)}`;
      this.logger.warn({ ingest_id: task.ingest_id, sid: claim.sid, failure }, 'scan refused: its ingests end as failed');
      await this.completion.refuse(claim.sid, scanKey, failure, new Date());
      throw new IngestEnded(failure);
    }
  }

  /** The submission document, then the dispatch task; both keyed by sid, so a retry repeats neither. */
  private async startScan(task: IngestTask, params: SubmissionParams, sid: string, scanKey: string, files: DispatchTask['files']): Promise<void> {
    const now = new Date();
    const submission = await this.writes.createSubmission({
      sid,
      classification: params.classification,
      params: { ...task.submission.params, description: params.description },
      metadata: task.submission.metadata,
      files: task.submission.files,
      file_count: task.submission.files.length,
      state: 'submitted',
      times: { submitted: now, completed: null },
      scan_key: scanKey,
      max_score: 0,
      error_count: 0,
      errors: [],
      results: [],
      failure: null,
      expiry_ts: params.ttl > 0 ? new Date(now.getTime() + params.ttl * 24 * 3600 * 1000) : null,
    });
    // The stored submission goes with the task: the dispatcher's first attempt does not read it back.
    await this.dispatchQueue.add(QueueName.Dispatch, { sid, scan_key: scanKey, submission: submission as unknown as Record<string, unknown>, files }, {
      jobId: sid,
      priority: this.policy.bullmqPriority(params.priority),
    });
    this.logger.debug({ ingest_id: task.ingest_id, sid }, 'scan dispatched');
  }
}
