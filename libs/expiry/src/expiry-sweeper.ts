import type { Model } from 'mongoose';
import type { HopperConfig } from '@hopper/config';
import { deleteEachById } from '@hopper/datastore';
import type { AlertsRepository, FilesRepository, ResultsRepository, SubmissionsRepository } from '@hopper/datastore';
import type { BlobEntry, Filestore } from '@hopper/filestore';
import { RedisKeys } from '@hopper/queues';
import type { FileGuard, RedisConnection, ScanRegistry } from '@hopper/queues';
import type { ExpiryMetrics } from './expiry-metrics';
import { reapFiles } from './reap-files';
import { SweepLock } from './sweep-lock';

/** The collections whose documents carry `expiry_ts`, in the order a sweep takes them. */
export const EXPIRING_COLLECTIONS = ['submissions', 'results', 'errors', 'alerts', 'files'] as const;
export type ExpiringCollection = (typeof EXPIRING_COLLECTIONS)[number];

export type ExpirySettings = HopperConfig['expiry'];

/** What one sweep did (or, dry, would do). */
export interface SweepReport {
  dry_run: boolean;
  /** Expired documents deleted (dry: present), by collection. */
  documents: Record<ExpiringCollection, number>;
  /** Blobs of expired files deleted (dry: to delete). */
  expired_blobs: number;
  /** Blobs no file names, older than the grace period, deleted (dry: found in this sweep's part of the listing). */
  unreferenced_blobs: number;
  bytes_freed: number;
  /** Ingester cache entries dropped because their submission was deleted. */
  cache_entries: number;
  /** False when a batch limit stopped it before everything expired was gone (the next sweep goes on). */
  finished: boolean;
  /** The oldest expiry_ts still present after the sweep (dry: now), by collection. */
  oldest_expired: Record<ExpiringCollection, Date | null>;
  /** A few of the documents (dry: that would go), by collection. */
  sample: Record<ExpiringCollection, string[]>;
  duration_ms: number;
}

/** What is due now, without deleting anything. */
export interface ExpiryStatus {
  now: Date;
  due: Record<ExpiringCollection, number>;
  oldest_expired: Record<ExpiringCollection, Date | null>;
}

export interface ExpirySweeperDeps {
  submissions: SubmissionsRepository;
  results: ResultsRepository;
  alerts: AlertsRepository;
  files: FilesRepository;
  filestore: Filestore;
  guard: FileGuard;
  registry: ScanRegistry;
  redis: RedisConnection;
  /** `redis.prefix`: the lock and the listing cursor live under it. */
  prefix: string;
  settings: ExpirySettings;
  metrics?: ExpiryMetrics;
}

const SAMPLE_SIZE = 10;
/** Only sha256-named blobs are files; other keys (flow.js chunks) have their own cleanup. */
const SHA256_KEY = /^[0-9a-f]{64}$/;

const perCollection = <T>(value: () => T) => Object.fromEntries(EXPIRING_COLLECTIONS.map((name) => [name, value()])) as Record<ExpiringCollection, T>;

/**
 * Hopper's expiry worker (Assemblyline's `expiry/run_expiry.py`, written anew): deletes, in batches, every
 * submission, result, error, alert and file past its `expiry_ts`, the ingester's cache entries of the deleted
 * submissions, the blobs of the deleted files, and blobs no file names that are older than the grace period.
 * Bounded: at most `max_batches_per_sweep` batches of `batch_size` per collection, and `max_blobs_listed_per_sweep`
 * blobs listed (the listing resumes where the last sweep stopped). One sweep at a time across every process.
 */
export class ExpirySweeper {
  constructor(private readonly deps: ExpirySweeperDeps) {}

  private get lockKey(): string {
    return new RedisKeys(this.deps.prefix).expiryLock();
  }

  private get cursorKey(): string {
    return new RedisKeys(this.deps.prefix).expiryBlobCursor();
  }

  /** Runs a sweep unless another is running (then null). `dryRun` deletes nothing and reports what would go. */
  async sweep(now: Date, options: { dryRun?: boolean } = {}): Promise<SweepReport | null> {
    if (options.dryRun) return this.dryRun(now);
    // The lease outlives a batch by far; it is renewed between batches.
    const lock = new SweepLock(this.deps.redis, this.lockKey, 5 * 60 * 1000);
    if (!(await lock.acquire())) {
      this.deps.metrics?.sweeps.inc({ result: 'skipped' });
      return null;
    }
    try {
      return await this.run(now, lock);
    } finally {
      await lock.release();
    }
  }

  private async run(now: Date, lock: SweepLock): Promise<SweepReport> {
    const started = Date.now();
    const { settings } = this.deps;
    const report: SweepReport = {
      dry_run: false,
      documents: perCollection(() => 0),
      expired_blobs: 0,
      unreferenced_blobs: 0,
      bytes_freed: 0,
      cache_entries: 0,
      finished: true,
      oldest_expired: perCollection((): Date | null => null),
      sample: perCollection((): string[] => []),
      duration_ms: 0,
    };

    for (const collection of ['submissions', 'results', 'errors', 'alerts'] as const) {
      let exhausted = false;
      for (let batch = 0; batch < settings.max_batches_per_sweep && !exhausted; batch++) {
        const deleted = await this.deleteBatch(collection, now, report);
        exhausted = deleted < settings.batch_size;
        if (!(await lock.extend())) throw new Error('the expiry lock lapsed: another sweeper may be running');
      }
      if (!exhausted) report.finished = false;
      report.oldest_expired[collection] = exhausted ? null : await this.oldestExpired(collection, now);
    }

    let filesExhausted = false;
    for (let batch = 0; batch < settings.max_batches_per_sweep && !filesExhausted; batch++) {
      const expired = await this.deps.files.expired(now, settings.batch_size);
      const reaped = await reapFiles(this.deps, expired.map((file) => file._id), (locked) => this.deps.files.stillExpired(locked, now));
      this.count(report, 'files', reaped.files, reaped.blobs);
      report.expired_blobs += reaped.blobs.length;
      report.bytes_freed += reaped.bytes;
      this.deps.metrics?.blobs.inc({ reason: 'expired' }, reaped.blobs.length);
      this.deps.metrics?.bytes.inc(reaped.bytes);
      filesExhausted = expired.length < settings.batch_size;
      if (!(await lock.extend())) throw new Error('the expiry lock lapsed: another sweeper may be running');
    }
    if (!filesExhausted) report.finished = false;
    report.oldest_expired.files = filesExhausted ? null : await this.oldestExpired('files', now);

    await this.collectUnreferenced(now, report, lock);

    report.duration_ms = Date.now() - started;
    const metrics = this.deps.metrics;
    if (metrics) {
      metrics.sweeps.inc({ result: report.finished ? 'finished' : 'partial' });
      metrics.duration.set(report.duration_ms / 1000);
      for (const collection of EXPIRING_COLLECTIONS) {
        const oldest = report.oldest_expired[collection];
        metrics.oldestExpiredAge.set({ collection }, oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0);
      }
    }
    return report;
  }

  /** One batch of expired documents of `collection`: found by the expiry_ts index, deleted by _id. */
  private async deleteBatch(collection: Exclude<ExpiringCollection, 'files'>, now: Date, report: SweepReport): Promise<number> {
    const model = this.model(collection);
    const expired = { expiry_ts: { $ne: null, $lt: now } };
    const found = await model
      .find(expired, collection === 'submissions' ? { _id: 1, scan_key: 1 } : { _id: 1 })
      .limit(this.deps.settings.batch_size)
      .lean<Array<{ _id: string; scan_key?: string | null }>>()
      .exec();
    if (!found.length) return 0;
    const ids = found.map((doc) => doc._id);
    // Conditional again: a document whose expiry moved since it was found stays.
    const deletedCount = await deleteEachById(model, ids, expired);
    this.count(report, collection, deletedCount, ids);
    if (collection === 'submissions') {
      const cached = found.filter((doc) => doc.scan_key).map((doc) => ({ scanKey: doc.scan_key!, sid: doc._id }));
      report.cache_entries += await this.deps.registry.forgetCached(cached);
    }
    return found.length;
  }

  private count(report: SweepReport, collection: ExpiringCollection, deleted: number, ids: string[]): void {
    report.documents[collection] += deleted;
    const sample = report.sample[collection];
    if (sample.length < SAMPLE_SIZE) sample.push(...ids.slice(0, SAMPLE_SIZE - sample.length));
    this.deps.metrics?.documents.inc({ collection }, deleted);
  }

  /**
   * Blobs no `files` document names, last written before the grace period: a part of the listing per sweep,
   * resumed where the last stopped (wrapping round at the end). Deleted under the files' deletion locks, after
   * checking again that no document names them, like expired files.
   */
  private async collectUnreferenced(now: Date, report: SweepReport, lock: SweepLock | null): Promise<void> {
    const { settings, files, filestore, redis } = this.deps;
    if (settings.max_blobs_listed_per_sweep === 0) return;
    const cutoff = now.getTime() - settings.blob_grace_seconds * 1000;
    const after = (await redis.get(this.cursorKey)) ?? '';
    let listed = 0;
    let last = after;
    let batch: BlobEntry[] = [];
    const flush = async () => {
      const candidates = batch;
      batch = [];
      if (!candidates.length) return;
      const named = await files.existing(candidates.map((blob) => blob.key));
      const unnamed = candidates.filter((blob) => !named.has(blob.key));
      if (!lock) {
        report.unreferenced_blobs += unnamed.length;
        report.bytes_freed += unnamed.reduce((sum, blob) => sum + blob.size, 0);
        return;
      }
      const sizes = new Map(unnamed.map((blob) => [blob.key, blob.size]));
      const reaped = await reapFiles(this.deps, [...sizes.keys()], async (locked) => {
        const namedNow = await files.existing(locked);
        return locked.filter((key) => !namedNow.has(key)).map((key) => ({ _id: key, size: sizes.get(key)! }));
      });
      report.unreferenced_blobs += reaped.blobs.length;
      report.bytes_freed += reaped.bytes;
      this.deps.metrics?.blobs.inc({ reason: 'unreferenced' }, reaped.blobs.length);
      this.deps.metrics?.bytes.inc(reaped.bytes);
      if (!(await lock.extend())) throw new Error('the expiry lock lapsed: another sweeper may be running');
    };
    let reachedEnd = true;
    for await (const blob of filestore.list(after)) {
      listed++;
      last = blob.key;
      if (SHA256_KEY.test(blob.key) && blob.modified.getTime() < cutoff) batch.push(blob);
      if (batch.length >= settings.batch_size) await flush();
      if (listed >= settings.max_blobs_listed_per_sweep) {
        reachedEnd = false;
        break;
      }
    }
    await flush();
    // A dry run leaves the cursor where it was.
    if (lock) await redis.set(this.cursorKey, reachedEnd ? '' : last);
  }

  private async dryRun(now: Date): Promise<SweepReport> {
    const started = Date.now();
    const status = await this.status(now);
    const report: SweepReport = {
      dry_run: true,
      documents: status.due,
      expired_blobs: status.due.files,
      unreferenced_blobs: 0,
      bytes_freed: await this.expiredFileBytes(now),
      cache_entries: 0,
      finished: true,
      oldest_expired: status.oldest_expired,
      sample: perCollection((): string[] => []),
      duration_ms: 0,
    };
    for (const collection of EXPIRING_COLLECTIONS) {
      const docs = await this.model(collection)
        .find({ expiry_ts: { $ne: null, $lt: now } }, { _id: 1 })
        .limit(SAMPLE_SIZE)
        .lean<{ _id: string }[]>()
        .exec();
      report.sample[collection] = docs.map((doc) => doc._id);
    }
    await this.collectUnreferenced(now, report, null);
    report.duration_ms = Date.now() - started;
    return report;
  }

  /** How many documents are past their expiry, and the oldest expiry among them, by collection. */
  async status(now: Date): Promise<ExpiryStatus> {
    const due = perCollection(() => 0);
    const oldest = perCollection((): Date | null => null);
    for (const collection of EXPIRING_COLLECTIONS) {
      due[collection] = await this.model(collection).countDocuments({ expiry_ts: { $ne: null, $lt: now } }).exec();
      oldest[collection] = due[collection] ? await this.oldestExpired(collection, now) : null;
    }
    return { now, due, oldest_expired: oldest };
  }

  private async expiredFileBytes(now: Date): Promise<number> {
    const [total] = await this.deps.files.model
      .aggregate<{ bytes: number }>([{ $match: { expiry_ts: { $ne: null, $lt: now } } }, { $group: { _id: null, bytes: { $sum: '$size' } } }])
      .exec();
    return total?.bytes ?? 0;
  }

  private async oldestExpired(collection: ExpiringCollection, now: Date): Promise<Date | null> {
    const [oldest] = await this.model(collection)
      .find({ expiry_ts: { $ne: null, $lt: now } }, { expiry_ts: 1 })
      .sort({ expiry_ts: 1 })
      .limit(1)
      .lean<Array<{ expiry_ts: Date }>>()
      .exec();
    return oldest?.expiry_ts ?? null;
  }

  private model(collection: ExpiringCollection): Model<any> {
    const { submissions, results, alerts, files } = this.deps;
    switch (collection) {
      case 'submissions':
        return submissions.model;
      case 'results':
        return results.results;
      case 'errors':
        return results.errors;
      case 'alerts':
        return alerts.model;
      case 'files':
        return files.model;
    }
  }
}
