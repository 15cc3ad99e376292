import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import {
  cacheEntryTtlSeconds,
  decideDrop,
  ingestRefusal,
  reducePriorityIfExpired,
  scanKey,
  stripOversizedMetadata,
  toBullmqPriority,
  totalFileSize,
} from '@hopper/ingest-policy';
import type { SubmissionParams } from '@hopper/profiles';
import { IngestTask, QUEUES, QueueName, Queues } from '@hopper/queues';

/** The dispatch queue's length is read at most this often per process (one Redis round trip each time). */
const QUEUE_LENGTH_TTL_MS = 1000;

/**
 * The rules of libs/ingest-policy with this deployment's configuration and the live queue length: the
 * only place the ingester decides anything, so the processors only sequence the steps.
 */
@Injectable()
export class IngestPolicy {
  private readonly dispatchQueue: Queue;
  private queueLength: { value: number; at: number } | null = null;

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(QUEUES) queues: Queues,
  ) {
    this.dispatchQueue = queues.get(QueueName.Dispatch)!;
  }

  /**
   * Over-long metadata values stripped; the priority cut by ten when the ingest waited past expire_after;
   * the old recursion-prevention flag folded into the new one.
   */
  prepare(task: IngestTask, onStripped: (keys: string[]) => void, now: Date): IngestTask {
    const { metadata, stripped } = stripOversizedMetadata(task.submission.metadata, this.config.submission.max_metadata_length);
    if (stripped.length) onStripped(stripped);
    const ageSeconds = (now.getTime() - Date.parse(task.ingest_time)) / 1000;
    const params = task.submission.params;
    const priority = reducePriorityIfExpired(Number(params.priority ?? 0), ageSeconds, this.config.core.ingester);
    // The older name still reaches us from some clients; only the new one is in the scan key.
    const ignoreRecursion = params.ignore_recursion_prevention === true || params.ignore_dynamic_recursion_prevention === true;
    return {
      ...task,
      submission: {
        ...task.submission,
        metadata: metadata as Record<string, string>,
        params: { ...params, priority, ignore_recursion_prevention: ignoreRecursion },
      },
    };
  }

  /** Why the task cannot be scanned at all (invalid sha256, too large), or null. */
  refusal(task: IngestTask): string | null {
    const params = task.submission.params as unknown as SubmissionParams;
    return ingestRefusal({ files: task.submission.files, params }, this.config);
  }

  /** The drop decision under load, as a failure text, or null when the task goes on. */
  async dropReason(task: IngestTask): Promise<string | null> {
    const params = task.submission.params as unknown as SubmissionParams;
    const decision = decideDrop(
      {
        params: { priority: params.priority, ignore_size: params.ignore_size, never_drop: params.never_drop, submitter: params.submitter },
        metadata: task.submission.metadata,
        fileSize: totalFileSize(task.submission.files),
        bandQueueLength: await this.dispatchQueueLength(),
      },
      this.config,
    );
    return decision.drop ? decision.reason : null;
  }

  scanKey(sha256: string, params: SubmissionParams): string {
    return scanKey(sha256, params);
  }

  /** How long a cached result is reused before the file is scanned again (ms). */
  staleness(): { staleAfterMs: number; staleAfterWithErrorsMs: number } {
    const ingester = this.config.core.ingester;
    return { staleAfterMs: ingester.stale_after_seconds * 1000, staleAfterWithErrorsMs: ingester.incomplete_stale_after_seconds * 1000 };
  }

  /** How long a completed scan stays in the cache: its storage life, or less when it expires sooner. */
  cacheTtlSeconds(hadErrors: boolean): number {
    const ingester = this.config.core.ingester;
    const expireAfter = hadErrors ? ingester.incomplete_expire_after_seconds : ingester.expire_after;
    const storage = cacheEntryTtlSeconds(ingester.cache_dtl);
    return storage > 0 ? Math.min(storage, expireAfter) : expireAfter;
  }

  bullmqPriority(priority: number): number {
    return toBullmqPriority(priority);
  }

  /**
   * Submissions waiting for the dispatcher. Assemblyline samples on the length of the priority band in its
   * own queue; Hopper's waiting work is the dispatch queue, counted as a whole (read at most once a second).
   */
  private async dispatchQueueLength(): Promise<number> {
    const now = Date.now();
    if (this.queueLength && now - this.queueLength.at < QUEUE_LENGTH_TTL_MS) return this.queueLength.value;
    const value = await this.dispatchQueue.getJobCountByTypes('waiting', 'prioritized');
    this.queueLength = { value, at: now };
    return value;
  }
}
