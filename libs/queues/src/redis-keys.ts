import type { QuotaPool } from './quota-limits';

/** Assemblyline's prefix of notification queues (`assemblyline_core/ingester/ingester.py`: `nq-<name>`). */
export const NOTIFICATION_QUEUE_PREFIX = 'nq-';

// Defined with the configuration, which refuses a cluster deployment whose prefix has no tag.
export { hashTagOf, hasHashTag } from '@hopper/config';

/**
 * Every Redis key Hopper builds, in one place. Each starts with the deployment's prefix (`redis.prefix`,
 * `{hopper}` by default), whose hash tag puts the whole deployment, BullMQ's queues included, in one Redis
 * Cluster slot: any Lua script may take any of them together. Nothing else in the code writes a key.
 *
 * Areas: `quota` (submission slots), `ingester` (scan cache, scans in flight, ingest statuses, pending file sightings),
 * `nq-<name>` (notification queues), `progress`, `auth` (sessions, login throttle), `flowjs`, `idempotency`,
 * `tg` (Threat Grid rate limits and dedupe window), `file` (FileGuard: a file's sightings and deletion lock; FileRecords: its record for sha256 lookups),
 * `expiry` (the sweeper's lease and blob-listing cursor), `dispatch` (external-service tasks a dispatch waits for). BullMQ adds `<prefix>:<queue name>:…` itself.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Slots a user's submissions of `pool` hold (sorted set: submission id -> lapse time). */
  quotaHeld(uname: string, pool: QuotaPool): string {
    return `${this.prefix}:quota:${uname}:${pool === 'async' ? 'async' : 'held'}`;
  }

  /** Leases not yet confirmed among those slots (sorted set: submission id -> lease end). */
  quotaLeases(uname: string, pool: QuotaPool): string {
    return `${this.quotaHeld(uname, pool)}:leases`;
  }

  /** A user's submissions of one UTC day (`YYYY-MM-DD`), both pools together. */
  quotaDaily(uname: string, day: string): string {
    return `${this.prefix}:quota:${uname}:daily:${day}`;
  }

  /** The keys of one scan (by scan key) in the ingester's registry. */
  scan(scanKey: string): { cache: string; inflight: string; tasks: string; done: (sid: string) => string } {
    const scan = `${this.prefix}:ingester:scan:${scanKey}`;
    return { cache: `${scan}:cache`, inflight: `${scan}:inflight`, tasks: `${scan}:tasks`, done: (sid) => `${scan}:done:${sid}` };
  }

  ingestStatus(ingestId: string): string {
    return `${this.prefix}:ingester:ingest-status:${ingestId}`;
  }

  /** Set once an ingest's outcome has been delivered (its notification is sent at most once). */
  ingestNotified(ingestId: string): string {
    return `${this.prefix}:ingester:notified:${ingestId}`;
  }

  /**
   * A key that holds nothing, passed to a script for an optional key it is not given (a script's keys are
   * declared up front, and in one slot, so an absent one still needs a name).
   */
  unused(name: string): string {
    return `${this.prefix}:ingester:no-${name}`;
  }

  /** Sightings of a file the API accepted that the ingester has not recorded in `files` yet (hash: classification -> file). */
  pendingFile(sha256: string): string {
    return `${this.prefix}:ingester:file-pending:${sha256}`;
  }

  /** Assemblyline's notification queue `name` (a list of messages). */
  notificationQueue(name: string): string {
    return `${this.prefix}:${NOTIFICATION_QUEUE_PREFIX}${name}`;
  }

  /** Where a submission's analysis stands (a hash), for Threat Grid's states. */
  progress(sid: string): string {
    return `${this.prefix}:progress:${sid}`;
  }

  session(id: string): string {
    return `${this.prefix}:auth:session:${id}`;
  }

  loginFailuresOfUser(uname: string): string {
    return `${this.prefix}:auth:loginfail:user:${uname}`;
  }

  loginFailuresOfAddress(ip: string): string {
    return `${this.prefix}:auth:loginfail:ip:${ip}`;
  }

  /** A flow.js upload's state (a hash of its chunks). */
  flowUpload(id: string): string {
    return `${this.prefix}:flowjs:${id}`;
  }

  /** flow.js uploads by the time they lapse (a sorted set). */
  flowUploadExpiry(): string {
    return `${this.prefix}:flowjs:expiry`;
  }

  /** A request's `Idempotency-Key` of a user: its answer, or that it is in flight. */
  idempotency(uname: string, key: string): string {
    return `${this.prefix}:idempotency:${uname}:${key}`;
  }

  /** One Threat Grid rate-limit window (a sorted set of submissions in it). */
  tgRateWindow(scope: string, id: string, minutes: number): string {
    return `${this.prefix}:tg:rate:${scope}:${id}:${minutes}`;
  }

  /** FileGuard: the sightings in progress of a file (sorted set: holder -> lease end). */
  fileSightings(sha256: string): string {
    return `${this.prefix}:file:${sha256}:sightings`;
  }

  /** FileRecords: what sha256 lookups know of a file without reading `files` (hash: identity, classifications). */
  fileRecord(sha256: string): string {
    return `${this.prefix}:file:${sha256}:record`;
  }

  /** FileGuard: the deletion lock of a file (the deleter's token, a lease). */
  fileDeletion(sha256: string): string {
    return `${this.prefix}:file:${sha256}:deletion`;
  }

  /** The expiry sweeper's lease: one sweep at a time across every process. */
  expiryLock(): string {
    return `${this.prefix}:expiry:lock`;
  }

  /** Where the sweeper's listing of blobs resumes (the last key it looked at). */
  expiryBlobCursor(): string {
    return `${this.prefix}:expiry:blob-cursor`;
  }

  /** Threat Grid's dedupe window: the sample an organization's sha256 was last submitted as. */
  tgDedupe(organization: string, sha256: string): string {
    return `${this.prefix}:tg:dedupe:${organization}:${sha256.toLowerCase()}`;
  }

  /** The external-service tasks a submission's dispatch has queued (hash: task id -> deadline, epoch ms). */
  externalTaskDeadlines(sid: string): string {
    return `${this.prefix}:dispatch:external:${sid}:deadlines`;
  }

  /** Who settled each of those tasks first (hash: task id -> `answer` posted, or `timeout` recorded). */
  externalTaskOutcomes(sid: string): string {
    return `${this.prefix}:dispatch:external:${sid}:settled`;
  }
}
