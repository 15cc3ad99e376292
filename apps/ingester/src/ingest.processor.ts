import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { outageOf } from '@hopper/observability';
import { SubmissionStarter } from '@hopper/lifecycle';
import { inflightTtlSeconds, IngestTask, randomId, ScanRegistry } from '@hopper/queues';
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
 * flight, or start that scan (through the one SubmissionStarter: document, then the `dispatch` queue). Each step is idempotent by
 * ingest_id and sid, so BullMQ may run a task again after a crash or a failed attempt.
 */
@Injectable()
export class IngestProcessor {
  private readonly logger = new Logger(IngestProcessor.name);

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    private readonly starter: SubmissionStarter,
    private readonly policy: IngestPolicy,
    private readonly registry: ScanRegistry,
    private readonly writes: IngestWrites,
    private readonly outcomes: IngestOutcomes,
    private readonly metrics: IngesterMetrics,
    private readonly completion: CompletionProcessor,
  ) {}

  /** `task`: the job's task, parsed by the worker (IngestTaskSchema). */
  async process(job: Job<unknown>, parsed: IngestTask): Promise<void> {
    const task = this.policy.prepare(
      parsed,
      (stripped) => this.logger.warn({ ingest_id: parsed.ingest_id, keys: stripped }, 'metadata values over max_metadata_length stripped'),
      new Date(),
    );
    const params = task.submission.params;
    // First, as the API did before it queued the task: a refused or dropped ingest still records its file. It is
    // also where an upload gets its type (the API leaves identification to this step), before anything reads it.
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
      ignoreCache: params.ignore_cache,
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
    const files = file0 && sighting ? { [file0.sha256]: { type: sighting.type, size: file0.size, new: sighting.created } } : undefined;
    try {
      // The one starter (libs/lifecycle), through this process's batched writer; both steps are keyed by sid,
      // so a retry repeats neither, and a failed queueing keeps the document for the retry.
      await this.starter.start(
        { sid: claim.sid, params, metadata: task.submission.metadata, files: task.submission.files, now: new Date(), scanKey },
        { store: (document) => this.writes.createSubmission(document), handOver: { knownFiles: files }, keepDocumentOnQueueFailure: true },
      );
      this.logger.debug({ ingest_id: task.ingest_id, sid: claim.sid }, 'scan dispatched');
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
}
