import type { RedisConnection } from './redis-connection';
import { hopperScripts, ScriptedRedis } from './lua-scripts';
import { RedisKeys } from './redis-keys';

/** How an ingest was served: a new scan, a fresh cached result, or a scan already running. */
export type ScanOutcome = 'new' | 'cached' | 'attached';

export type ScanClaim =
  | { outcome: 'cached'; sid: string; score: number }
  | { outcome: 'attached' | 'new'; sid: string }
  /** The ingest was claimed before and its scan has ended since (a job run again): nothing more to do. */
  | { outcome: 'ended'; sid: string };

export interface ClaimRequest {
  scanKey: string;
  ingestId: string;
  /** The ingest task, kept with the scan until it completes (it is what the notification is made from). */
  task: unknown;
  /** The sid to use if this ingest starts the scan. */
  newSid: string;
  ignoreCache: boolean;
  /** A cached result younger than this is reused (ms); older, the file is scanned again. */
  staleAfterMs: number;
  /** The same, for a cached result that had errors. */
  staleAfterWithErrorsMs: number;
  /**
   * How long the scan's in-flight record (and the ingests waiting on it) may live: only a guard against a
   * record nothing ends, so longer than the dispatch timeout (see `inflightTtlSeconds`).
   */
  inflightTtlSeconds: number;
  now: Date;
}

export interface ScanResult {
  scanKey: string;
  sid: string;
  score: number;
  errors: boolean;
  completedAt: Date;
  /** How long the result is reused; 0 = not cached (a failed submission). */
  cacheTtlSeconds: number;
}

/** What GET /api/v4/ingest/status/<ingest_id>/ answers. */
/**
 * The in-flight record's lifetime for a dispatch timeout: twice it. The timeout sweep ends an overdue scan, and
 * hands the ingests waiting on it their failure, only after the timeout, at its next run: a record that expired
 * with the timeout would leave them unnotified for good.
 */
export function inflightTtlSeconds(dispatchTimeoutSeconds: number): number {
  return 2 * dispatchTimeoutSeconds;
}

export interface IngestStatus {
  ingest_id: string;
  state: 'in_progress' | 'completed' | 'failed' | 'dropped';
  outcome: ScanOutcome | null;
  sid: string | null;
  score: number | null;
  failure: string | null;
}

export type NotifyResult = 'sent' | 'skipped' | 'full' | 'duplicate';


export interface ScanRegistryOptions {
  /** `redis.prefix`, hash tag included (`{hopper}`): every key of the registry is in its slot. */
  prefix: string;
  /** How long an ingest's status stays readable, and its "notified" marker stays set. */
  statusTtlSeconds?: number;
}

/**
 * The ingester's shared state in Redis: completed scans by scan key (the cache), scans in flight with the
 * ingests attached to them, and each ingest's status. Every step is one Lua script, so any number of
 * ingester processes can run side by side, and every step can be retried after a crash without doubling
 * a scan or a notification. Every key carries the deployment prefix's hash tag (`{hopper}`), like the
 * BullMQ queues and the notification queues, so each script's keys share one Redis Cluster slot.
 */
export class ScanRegistry {
  private readonly redis: ScriptedRedis;
  private readonly keys: RedisKeys;
  private readonly statusTtl: number;

  constructor(redis: RedisConnection, options: ScanRegistryOptions) {
    this.keys = new RedisKeys(options.prefix);
    this.statusTtl = options.statusTtlSeconds ?? 3 * 24 * 3600;
    this.redis = hopperScripts(redis);
  }

  private scanKeys(scanKey: string) {
    return this.keys.scan(scanKey);
  }

  statusKey(ingestId: string): string {
    return this.keys.ingestStatus(ingestId);
  }

  async claim(request: ClaimRequest): Promise<ScanClaim> {
    const keys = this.scanKeys(request.scanKey);
    const [outcome, sid, score] = await this.redis.hopperScanClaim(
      keys.cache,
      keys.inflight,
      keys.tasks,
      this.statusKey(request.ingestId),
      request.ingestId,
      JSON.stringify(request.task),
      request.newSid,
      request.ignoreCache ? '1' : '0',
      request.now.getTime(),
      request.staleAfterMs,
      request.staleAfterWithErrorsMs,
      request.inflightTtlSeconds,
      this.statusTtl,
    );
    if (outcome === 'cached') return { outcome, sid, score: Number(score) };
    return { outcome: outcome as 'new' | 'attached' | 'ended', sid };
  }

  /**
   * Records the result and answers the tasks of every ingest of that scan still to be notified, each with
   * how it was served (`new` for the one that started the scan, `attached` for the others).
   */
  async complete<T>(result: ScanResult): Promise<Array<{ task: T; outcome: 'new' | 'attached' }>> {
    const keys = this.scanKeys(result.scanKey);
    const flat = await this.redis.hopperScanComplete(
      keys.cache,
      keys.inflight,
      keys.tasks,
      keys.done(result.sid),
      result.sid,
      result.score,
      result.errors ? '1' : '0',
      result.completedAt.getTime(),
      result.cacheTtlSeconds,
      this.statusTtl,
    );
    const tasks: Array<{ task: T; outcome: 'new' | 'attached' }> = [];
    for (let i = 1; i < flat.length; i += 2) {
      const separator = flat[i].indexOf(':');
      tasks.push({ outcome: flat[i].slice(0, separator) as 'new' | 'attached', task: JSON.parse(flat[i].slice(separator + 1)) as T });
    }
    return tasks;
  }

  /**
   * Delivers the final status of an ingest and, when `queueKey` is given, its notification message; exactly
   * once per ingest however often it is called. `scanKey`/`sid` name the done list it is taken off (if any).
   */
  async notify(args: {
    status: IngestStatus;
    message: unknown;
    queueKey: string | null;
    maxLength: number;
    queueTtlSeconds: number;
    done?: { scanKey: string; sid: string };
    /** The quota slot the ingest holds (SubmissionQuotas' held set and the ingest_id), released here. */
    quota?: { heldKey: string; member: string } | null;
  }): Promise<NotifyResult> {
    const { status } = args;
    const done = args.done ? this.scanKeys(args.done.scanKey).done(args.done.sid) : this.keys.unused('done');
    return this.redis.hopperIngestNotify(
      this.keys.ingestNotified(status.ingest_id),
      args.queueKey ?? this.keys.unused('queue'),
      this.statusKey(status.ingest_id),
      done,
      args.quota?.heldKey ?? this.keys.unused('quota'),
      JSON.stringify(args.message),
      args.maxLength,
      args.queueTtlSeconds,
      JSON.stringify(status),
      this.statusTtl,
      status.ingest_id,
      this.statusTtl,
      args.queueKey ? '1' : '0',
      args.quota?.member ?? '',
    );
  }

  /**
   * Drops the cache entries of deleted submissions, each only while it still names that submission (a newer
   * scan of the same key stays): an ingest is never answered with a sid that no longer exists. One round trip.
   */
  async forgetCached(entries: ReadonlyArray<{ scanKey: string; sid: string }>): Promise<number> {
    if (!entries.length) return 0;
    const keys = entries.map((entry) => this.scanKeys(entry.scanKey).cache);
    return this.redis.hopperScanForget(keys.length, ...keys, ...entries.map((entry) => entry.sid));
  }

  async status(ingestId: string): Promise<IngestStatus | null> {
    const raw = await this.redis.get(this.statusKey(ingestId));
    return raw === null ? null : (JSON.parse(raw) as IngestStatus);
  }
}
