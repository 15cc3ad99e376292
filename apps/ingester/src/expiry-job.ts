import { Inject, Injectable, Logger } from '@nestjs/common';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { AlertsRepository, FilesRepository, ResultsRepository, SubmissionsRepository } from '@hopper/datastore';
import { ExpiryMetrics, ExpirySweeper, SweepReport } from '@hopper/expiry';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { MetricsService } from '@hopper/observability';
import { FileGuard, REDIS_CONNECTION, RedisConnection, ScanRegistry } from '@hopper/queues';

/** Name of the repeatable job (on the `complete` queue) that runs a sweep. */
export const EXPIRY_JOB = 'expiry';

/**
 * The expiry sweeper in the ingester: a BullMQ job scheduler adds one sweep job every
 * `expiry.sweep_interval_seconds`, whichever ingester takes it runs it, and the sweeper's Redis lock makes any
 * overlapping one (a sweep longer than the interval) a no-op. One log line per sweep.
 */
@Injectable()
export class ExpiryJob {
  private readonly logger = new Logger('ExpirySweeper');
  readonly sweeper: ExpirySweeper;

  constructor(
    @Inject(HOPPER_CONFIG) config: HopperConfig,
    @Inject(REDIS_CONNECTION) redis: RedisConnection,
    @Inject(FILESTORE) filestore: Filestore,
    submissions: SubmissionsRepository,
    results: ResultsRepository,
    alerts: AlertsRepository,
    files: FilesRepository,
    registry: ScanRegistry,
    guard: FileGuard,
    metrics: MetricsService,
  ) {
    this.sweeper = new ExpirySweeper({
      submissions,
      results,
      alerts,
      files,
      filestore,
      guard,
      registry,
      redis,
      prefix: config.redis.prefix,
      settings: config.expiry,
      metrics: new ExpiryMetrics(metrics.registry),
    });
  }

  async run(now = new Date()): Promise<SweepReport | null> {
    const report = await this.sweeper.sweep(now);
    if (!report) {
      this.logger.log('expiry sweep skipped: another sweep is running');
      return null;
    }
    const oldest = Object.entries(report.oldest_expired).filter(([, date]) => date !== null);
    this.logger.log(
      {
        documents: report.documents,
        expired_blobs: report.expired_blobs,
        unreferenced_blobs: report.unreferenced_blobs,
        bytes_freed: report.bytes_freed,
        cache_entries: report.cache_entries,
        finished: report.finished,
        oldest_expired: Object.fromEntries(oldest),
        duration_ms: report.duration_ms,
      },
      report.finished ? 'expiry sweep' : 'expiry sweep stopped at its batch limit: the next sweep goes on',
    );
    return report;
  }
}
