import { shouldNotify } from '@hopper/queues';

/** Assemblyline's threshold rule for notification queues; defined beside the queues in `@hopper/queues`. */
export { shouldNotify };

/** Score at or above which an ingest asking for alerts raises one (Assemblyline: 500). */
export const DEFAULT_ALERT_THRESHOLD = 500;

/**
 * Whether an ingest's end (completion, cache hit, failure or drop) is pushed to its notification queue:
 * only if it named one (`Ingester.send_notification` returns early otherwise), then by `shouldNotify`.
 */
export function sendsNotification(notification: { queue: string | null; threshold: number | null }, score: number | null): boolean {
  return Boolean(notification.queue) && shouldNotify(notification.threshold, score);
}

/**
 * Whether a completed ingest raises an alert: it asked for one (`generate_alert`) and its score reached the
 * threshold. Assemblyline's rule, on completion and on cache hits alike (`ALERT_THRESHOLD = 500` in older
 * ingesters; now the default post-process action `max_score: >=500` with `params.generate_alert`). An
 * ingest without a score (failed, dropped) never alerts.
 */
export function raisesAlert(generateAlert: boolean, score: number | null, threshold: number = DEFAULT_ALERT_THRESHOLD): boolean {
  return generateAlert && score !== null && score >= threshold;
}
