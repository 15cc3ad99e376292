import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import {
  bandOf,
  bullmqScoreRange,
  cacheEntryTtlSeconds,
  decideDrop,
  ingestRefusal,
  PRIORITY_RANGES,
  PriorityBandName,
  reducePriorityIfExpired,
  scanKey,
  stripOversizedMetadata,
  totalFileSize,
} from '@hopper/ingest-policy';
import { MetricsService } from '@hopper/observability';
import { IngestTask, QUEUES, QueueName, Queues, REDIS_CONNECTION } from '@hopper/queues';
import type { RedisConnection } from '@hopper/queues';
import { Gauge } from 'prom-client';

/** The dispatch queue's band lengths are read at most this often per process (one round trip each time). */
const QUEUE_LENGTH_TTL_MS = 1000;
const BANDS = Object.keys(PRIORITY_RANGES) as PriorityBandName[];

type BandLengths = Record<PriorityBandName, number>;

/**
 * The rules of libs/ingest-policy with this deployment's configuration and the live queue length: the
 * only place the ingester decides anything, so the processors only sequence the steps.
 */
@Injectable()
export class IngestPolicy {
  private readonly dispatchQueue: Queue;
  private bandLengths: { value: Promise<BandLengths>; at: number } | null = null;

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(QUEUES) queues: Queues,
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection,
    metrics: MetricsService,
  ) {
    this.dispatchQueue = queues.get(QueueName.Dispatch)!;
    const policy = this;
    new Gauge({
      name: 'hopper_dispatch_queue_band_jobs',
      help: 'Submissions waiting for the dispatcher, by priority band (what drop sampling compares with sampling_at)',
      labelNames: ['band'],
      registers: [metrics.registry],
      async collect() {
        const lengths = await policy.queuedByBand();
        for (const band of BANDS) this.set({ band }, lengths[band]);
      },
    });
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
    const priority = reducePriorityIfExpired(params.priority, ageSeconds, this.config.core.ingester);
    // The older name still reaches us from some clients; only the new one is in the scan key.
    const ignoreRecursion = params.ignore_recursion_prevention || params.ignore_dynamic_recursion_prevention;
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
    const params = task.submission.params;
    return ingestRefusal({ files: task.submission.files, params }, this.config);
  }

  /** The drop decision under load, as a failure text, or null when the task goes on. */
  async dropReason(task: IngestTask): Promise<string | null> {
    const params = task.submission.params;
    const decision = decideDrop(
      {
        params: { priority: params.priority, ignore_size: params.ignore_size, never_drop: params.never_drop, submitter: params.submitter },
        metadata: task.submission.metadata,
        fileSize: totalFileSize(task.submission.files),
        bandQueueLength: await this.bandQueueLength(params.priority),
      },
      this.config,
    );
    return decision.drop ? decision.reason : null;
  }

  scanKey(sha256: string, params: IngestTask['submission']['params']): string {
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

  /** Submissions waiting for the dispatcher in the band of `priority` (0 outside every band). */
  private async bandQueueLength(priority: number): Promise<number> {
    const band = bandOf(priority);
    return band === null ? 0 : (await this.queuedByBand())[band];
  }

  /**
   * Submissions waiting for the dispatcher, by band, as Assemblyline counts its queue by priority range:
   * one ZCOUNT per band over BullMQ's prioritized set, in one pipeline, at most once a second per process.
   */
  queuedByBand(): Promise<BandLengths> {
    const now = Date.now();
    if (this.bandLengths && now - this.bandLengths.at < QUEUE_LENGTH_TTL_MS) return this.bandLengths.value;
    const value = this.countBands();
    this.bandLengths = { value, at: now };
    value.catch(() => (this.bandLengths = null)); // a failed read is not cached
    return value;
  }

  private async countBands(): Promise<BandLengths> {
    const pipeline = this.redis.pipeline();
    for (const band of BANDS) pipeline.zcount(this.dispatchQueue.keys.prioritized, ...bullmqScoreRange(PRIORITY_RANGES[band]));
    const replies = (await pipeline.exec()) ?? [];
    const lengths = {} as BandLengths;
    BANDS.forEach((band, index) => {
      const [error, count] = replies[index] ?? [new Error('no reply'), 0];
      if (error) throw error;
      lengths[band] = Number(count);
    });
    return lengths;
  }
}
