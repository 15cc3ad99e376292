import IORedis from 'ioredis';

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
  /** How long a scan may stay in flight before a new ingest of it starts another (the dispatch timeout). */
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
export interface IngestStatus {
  ingest_id: string;
  state: 'in_progress' | 'completed' | 'failed' | 'dropped';
  outcome: ScanOutcome | null;
  sid: string | null;
  score: number | null;
  failure: string | null;
}

export type NotifyResult = 'sent' | 'skipped' | 'full' | 'duplicate';

/**
 * Fresh cache hit, or attach to the running scan, or start it; records the ingest's status. One round trip.
 * An ingest whose status is final, or whose scan is no longer in flight (it waits on that scan's done list
 * to be notified), answers `ended` and changes nothing: running a finished ingest again starts no scan.
 * KEYS: cache, inflight, tasks, status. ARGV: ingest_id, task, new sid, ignore_cache, now ms, stale ms,
 * stale ms with errors, inflight ttl s, status ttl s. A retried claim by the ingest that started the scan
 * answers `new` with the same sid again, so a crash between claim and dispatch is recovered by the retry.
 */
const CLAIM = `
local previous = redis.call('GET', KEYS[4])
if previous then
  local status = cjson.decode(previous)
  if status.state ~= 'in_progress' or redis.call('HGET', KEYS[2], 'sid') ~= status.sid then
    return {'ended', status.sid or '', ''}
  end
end
if ARGV[4] == '0' then
  local cached = redis.call('HMGET', KEYS[1], 'sid', 'score', 'errors', 'time')
  if cached[1] then
    local stale = tonumber(ARGV[6])
    if cached[3] == '1' then stale = tonumber(ARGV[7]) end
    if tonumber(ARGV[5]) - tonumber(cached[4]) < stale then
      return {'cached', cached[1], cached[2]}
    end
  end
end
local current = redis.call('HMGET', KEYS[2], 'sid', 'owner')
local outcome = 'new'
local sid = ARGV[3]
if current[1] then
  sid = current[1]
  if current[2] ~= ARGV[1] then outcome = 'attached' end
else
  redis.call('HSET', KEYS[2], 'sid', sid, 'owner', ARGV[1])
  redis.call('EXPIRE', KEYS[2], ARGV[8])
end
redis.call('HSET', KEYS[3], ARGV[1], outcome .. ':' .. ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[8])
redis.call('SET', KEYS[4], cjson.encode({ingest_id=ARGV[1], state='in_progress', outcome=outcome, sid=sid}), 'EX', ARGV[9])
return {outcome, sid, ''}
`;

/**
 * The scan ended: cache its result, and hand over the ingests waiting on it. KEYS: cache, inflight, tasks,
 * done (the tasks of that sid, kept until each is notified). ARGV: sid, score, errors, time ms, cache ttl s,
 * done ttl s. Answers the done hash, so a retried completion finds the ingests not yet notified.
 */
const COMPLETE = `
if redis.call('HGET', KEYS[2], 'sid') == ARGV[1] then
  if redis.call('EXISTS', KEYS[3]) == 1 then
    local pending = redis.call('HGETALL', KEYS[3])
    for i = 1, #pending, 2 do redis.call('HSET', KEYS[4], pending[i], pending[i + 1]) end
    redis.call('DEL', KEYS[3])
  end
  redis.call('DEL', KEYS[2])
  redis.call('EXPIRE', KEYS[4], ARGV[6])
end
if tonumber(ARGV[5]) > 0 then
  redis.call('HSET', KEYS[1], 'sid', ARGV[1], 'score', ARGV[2], 'errors', ARGV[3], 'time', ARGV[4])
  redis.call('EXPIRE', KEYS[1], ARGV[5])
end
return redis.call('HGETALL', KEYS[4])
`;

/**
 * Delivers an ingest's outcome exactly once: releases its quota slot (idempotent, so first, even on a
 * repeat), marks it notified, records its final status, takes it off the scan's done list, and pushes the
 * message unless told not to or the queue is full. KEYS: marker, queue, status, done, quota held set.
 * ARGV: message, max length, queue ttl s, status, status ttl s, ingest_id, marker ttl s, push, quota member.
 */
const NOTIFY = `
if ARGV[9] ~= '' then redis.call('ZREM', KEYS[5], ARGV[9]) end
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[7]) then return 'duplicate' end
redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[5])
redis.call('HDEL', KEYS[4], ARGV[6])
if ARGV[8] == '0' then return 'skipped' end
local limit = tonumber(ARGV[2])
if limit > 0 and redis.call('LLEN', KEYS[2]) >= limit then return 'full' end
redis.call('RPUSH', KEYS[2], ARGV[1])
if tonumber(ARGV[3]) > 0 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
return 'sent'
`;

type RegistryRedis = IORedis & {
  hopperScanClaim(...args: (string | number)[]): Promise<[string, string, string]>;
  hopperScanComplete(...args: (string | number)[]): Promise<string[]>;
  hopperIngestNotify(...args: (string | number)[]): Promise<NotifyResult>;
};

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
  private readonly redis: RegistryRedis;
  private readonly base: string;
  private readonly statusTtl: number;

  constructor(redis: IORedis, options: ScanRegistryOptions) {
    this.base = `${options.prefix}:ingester`;
    this.statusTtl = options.statusTtlSeconds ?? 3 * 24 * 3600;
    if (!(redis as unknown as Partial<RegistryRedis>).hopperScanClaim) {
      redis.defineCommand('hopperScanClaim', { numberOfKeys: 4, lua: CLAIM });
      redis.defineCommand('hopperScanComplete', { numberOfKeys: 4, lua: COMPLETE });
      redis.defineCommand('hopperIngestNotify', { numberOfKeys: 5, lua: NOTIFY });
    }
    this.redis = redis as unknown as RegistryRedis;
  }

  private scanKeys(scanKey: string) {
    const scan = `${this.base}:scan:${scanKey}`;
    return { cache: `${scan}:cache`, inflight: `${scan}:inflight`, tasks: `${scan}:tasks`, done: (sid: string) => `${scan}:done:${sid}` };
  }

  statusKey(ingestId: string): string {
    return `${this.base}:ingest-status:${ingestId}`;
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
    const done = args.done ? this.scanKeys(args.done.scanKey).done(args.done.sid) : `${this.base}:no-done`;
    return this.redis.hopperIngestNotify(
      `${this.base}:notified:${status.ingest_id}`,
      args.queueKey ?? `${this.base}:no-queue`,
      this.statusKey(status.ingest_id),
      done,
      args.quota?.heldKey ?? `${this.base}:no-quota`,
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

  async status(ingestId: string): Promise<IngestStatus | null> {
    const raw = await this.redis.get(this.statusKey(ingestId));
    return raw === null ? null : (JSON.parse(raw) as IngestStatus);
  }
}
