import type { IngestSubmission } from '@hopper/messages';
import type { RedisConnection } from './redis-connection';
import { RedisKeys } from './redis-keys';

export { NOTIFICATION_QUEUE_PREFIX } from './redis-keys';
export const MAX_NOTIFICATION_QUEUE_NAME = 256;

/** A file of the submission, as in Assemblyline's submission message. */
export type NotificationFile = IngestSubmission['files'][number];

/** The submission part of an ingest task and of its notification (Assemblyline's `odm.messages.submission.Submission`). */
export type NotificationSubmission = IngestSubmission;

/**
 * What the ingester pushes to `nq-<name>` when an ingest completes, fails or is dropped: Assemblyline's
 * `IngestTask` as primitives, so scripts written for Assemblyline read Hopper's messages unchanged.
 */
export interface NotificationMessage {
  ingest_id: string;
  submission: NotificationSubmission;
  /** Max score of the submission; null when it never ran (failure, drop). */
  score: number | null;
  /** Empty when the ingest succeeded, else why it did not (e.g. `Skipped`, `File too large (…)`). */
  failure: string;
  retries: number;
  extended_scan: 'submitted' | 'skipped' | 'incomplete' | 'completed';
  ingest_time: string;
  /** When the message was queued (set by `push` when absent). */
  notify_time: string | null;
}

/**
 * Assemblyline's rule (`Ingester.send_notification`): notify unless both a threshold and a score are known
 * and the score is below the threshold. A failure (no score) is always notified.
 */
export function shouldNotify(threshold: number | null | undefined, score: number | null | undefined): boolean {
  return threshold == null || score == null || score >= threshold;
}

/**
 * Why `name` cannot be a notification queue name, or null if it can. Assemblyline takes the name from a Flask
 * path segment, so anything but `/` goes; Hopper also refuses control characters and names over 256 characters.
 */
export function notificationQueueNameError(name: string): string | null {
  if (name.length === 0) return 'notification queue name must not be empty';
  if (name.length > MAX_NOTIFICATION_QUEUE_NAME) {
    return `notification queue name must be at most ${MAX_NOTIFICATION_QUEUE_NAME} characters`;
  }
  // eslint-disable-next-line no-control-regex
  if (/[/\u0000-\u001f\u007f]/.test(name)) return 'notification queue name must not contain "/" or control characters';
  return null;
}

export class InvalidNotificationQueueName extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidNotificationQueueName';
  }
}

/**
 * Notification queues: one Redis list per name (`<prefix>:nq-<name>`), pushed at the tail and read from the
 * head. Each call is one command (RPUSH, LPOP, LPOP with count), so a message is delivered to exactly one
 * reader. Names are global, as in Assemblyline: whoever knows a queue's name and may submit can read it.
 */
export class NotificationQueues {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = new RedisKeys(prefix);
  }

  key(name: string): string {
    const error = notificationQueueNameError(name);
    if (error) throw new InvalidNotificationQueueName(error);
    return this.keys.notificationQueue(name);
  }

  /** Appends `message` (stamping `notify_time` if unset); answers the queue's new length. */
  async push(name: string, message: NotificationMessage): Promise<number> {
    const stamped = { ...message, notify_time: message.notify_time ?? this.now().toISOString() };
    return this.redis.rpush(this.key(name), JSON.stringify(stamped));
  }

  /** The oldest message, removed; null when the queue is empty. */
  async pop(name: string): Promise<NotificationMessage | null> {
    const raw = await this.redis.lpop(this.key(name));
    return raw === null ? null : (JSON.parse(raw) as NotificationMessage);
  }

  /** Up to `count` oldest messages, removed, oldest first; [] when the queue is empty. */
  async popMany(name: string, count: number): Promise<NotificationMessage[]> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    const raw = await this.redis.lpop(this.key(name), count);
    return (raw ?? []).map((item) => JSON.parse(item) as NotificationMessage);
  }

  /** Messages waiting (for operators and tests). */
  async length(name: string): Promise<number> {
    return this.redis.llen(this.key(name));
  }
}
