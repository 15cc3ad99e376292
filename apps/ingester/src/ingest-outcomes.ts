import { Inject, Injectable, Logger } from '@nestjs/common';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { AlertsRepository } from '@hopper/datastore';
import { raisesAlert, sendsNotification } from '@hopper/ingest-policy';
import {
  IngestStatus,
  IngestTask,
  NotificationMessage,
  NotificationQueues,
  ScanOutcome,
  ScanRegistry,
  SubmissionQuotas,
} from '@hopper/queues';
import { UnreadableIngestSchema } from '@hopper/messages';
import { IngesterMetrics } from './ingester-metrics';

export interface ScanAnswer {
  sid: string;
  score: number;
  outcome: ScanOutcome;
  /** The scan's done list the ingest is taken off (absent for a cache hit). */
  done?: { scanKey: string; sid: string };
  scanKey: string | null;
}

/**
 * How an ingest ends, whatever ended it: an alert raised when asked for and deserved, then in one script its
 * quota slot released and its outcome delivered exactly once (status always; a notification message when it
 * names a queue, unless its score is under its threshold; failures always). Every step may be repeated safely.
 */
@Injectable()
export class IngestOutcomes {
  private readonly logger = new Logger(IngestOutcomes.name);

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    private readonly registry: ScanRegistry,
    private readonly queues: NotificationQueues,
    private readonly quotas: SubmissionQuotas,
    private readonly alerts: AlertsRepository,
    private readonly metrics: IngesterMetrics,
  ) {}

  async completed(task: IngestTask, answer: ScanAnswer): Promise<void> {
    if (raisesAlert(task.submission.params.generate_alert, answer.score, this.config.core.ingester.alert_threshold)) {
      await this.raiseAlert(task, answer);
    }
    const status: IngestStatus = {
      ingest_id: task.ingest_id,
      state: 'completed',
      outcome: answer.outcome,
      sid: answer.sid,
      score: answer.score,
      failure: null,
    };
    const message = this.message(task, { sid: answer.sid, scanKey: answer.scanKey, score: answer.score, failure: '' });
    const notify = sendsNotification(task.submission.notification, answer.score);
    await this.deliver(task, status, message, notify, answer.done);
  }

  /** An ingest that ended without a result: dropped under load, refused, or its scan failed. */
  async failed(task: IngestTask, failure: string, state: 'failed' | 'dropped', scan?: { sid: string; scanKey: string }): Promise<void> {
    this.metrics.failures.inc({ reason: failureReason(failure, state) });
    const status: IngestStatus = { ingest_id: task.ingest_id, state, outcome: null, sid: scan?.sid ?? null, score: null, failure };
    const message = this.message(task, { sid: scan?.sid ?? null, scanKey: scan?.scanKey ?? null, score: null, failure });
    await this.deliver(task, status, message, true, scan ? { scanKey: scan.scanKey, sid: scan.sid } : undefined);
  }

  /**
   * An ingest whose task does not parse (a permanent error: every attempt reads the same bytes): it ends as
   * failed with the reason, as far as the task can still be read (UnreadableIngestSchema): its status, a
   * notification to its queue (the task's submission as sent, with the failure) and its quota slot. False
   * when not even its ingest_id can be read.
   */
  async unreadable(data: unknown, failure: string): Promise<boolean> {
    const read = UnreadableIngestSchema.safeParse(data);
    if (!read.success) return false;
    const task = read.data;
    this.metrics.failures.inc({ reason: 'invalid' });
    const queue = task.submission.notification.queue;
    const result = await this.registry.notify({
      status: { ingest_id: task.ingest_id, state: 'failed', outcome: null, sid: null, score: null, failure },
      message: { ...task, score: null, failure, notify_time: new Date().toISOString() },
      queueKey: queue ? this.queues.key(queue) : null,
      maxLength: this.config.core.ingester.notification_queue_max_length,
      queueTtlSeconds: this.config.core.ingester.notification_queue_ttl_seconds,
      quota: this.quotaSlot(task, task.submission.params.submitter),
    });
    if (result !== 'duplicate') this.metrics.notifications.inc({ result });
    return true;
  }

  private async deliver(
    task: IngestTask,
    status: IngestStatus,
    message: NotificationMessage,
    notify: boolean,
    done?: { scanKey: string; sid: string },
  ): Promise<void> {
    const queue = task.submission.notification.queue;
    const result = await this.registry.notify({
      status,
      message,
      queueKey: queue && notify ? this.queues.key(queue) : null,
      maxLength: this.config.core.ingester.notification_queue_max_length,
      queueTtlSeconds: this.config.core.ingester.notification_queue_ttl_seconds,
      done,
      quota: this.quotaSlot(task, task.submission.params.submitter),
    });
    if (result === 'duplicate') return;
    this.metrics.notifications.inc({ result });
    if (result === 'full') {
      this.logger.warn({ ingest_id: task.ingest_id, queue }, 'notification queue full: message dropped');
    }
  }

  /**
   * The submitter's async quota slot (ingest counts against `submission_async_quota`), held under the
   * ingest_id since the API took it; released with the delivery, whether the ingest completed, failed or was
   * dropped (Assemblyline's ingester ends its async tracker on completion and on drop alike).
   */
  private quotaSlot(task: { ingest_id: string; quota_held: boolean }, submitter: string | null): { heldKey: string; member: string } | null {
    if (!task.quota_held || !submitter) return null;
    return { heldKey: this.quotas.keysFor(submitter, new Date(), 'async').held, member: task.ingest_id };
  }

  private async raiseAlert(task: IngestTask, answer: ScanAnswer): Promise<void> {
    const file = task.submission.files[0];
    const now = new Date();
    const ttlDays = this.config.core.alerter.alert_ttl;
    const result = await this.alerts.raiseOnce({
      alert_id: answer.sid,
      sid: answer.sid,
      ts: now,
      // Assemblyline's alerter: core.alerter.alert_ttl days from now.
      expiry_ts: ttlDays > 0 ? new Date(now.getTime() + ttlDays * 24 * 3600 * 1000) : null,
      score: answer.score,
      classification: task.submission.params.classification,
      submitter: task.submission.params.submitter,
      file: { name: file.name, sha256: file.sha256, size: file.size },
      metadata: task.submission.metadata,
      ingest_ids: [task.ingest_id],
    });
    this.metrics.alerts.inc({ result });
  }

  private message(
    task: IngestTask,
    outcome: { sid: string | null; scanKey: string | null; score: number | null; failure: string },
  ): NotificationMessage {
    return {
      ingest_id: task.ingest_id,
      submission: { ...task.submission, sid: outcome.sid, scan_key: outcome.scanKey },
      score: outcome.score,
      failure: outcome.failure,
      retries: task.retries,
      extended_scan: task.extended_scan,
      ingest_time: task.ingest_time,
      notify_time: new Date().toISOString(),
    };
  }
}

/** A bounded label for the failures metric (the message itself can name sizes and ids). */
function failureReason(failure: string, state: 'failed' | 'dropped'): string {
  if (state === 'dropped') return 'dropped';
  if (failure.startsWith('File too large')) return 'too_large';
  if (failure.startsWith('Invalid')) return 'invalid';
  if (/timed? ?out/i.test(failure)) return 'timeout';
  return 'failed';
}
