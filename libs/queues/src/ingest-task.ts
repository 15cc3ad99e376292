import type { NotificationSubmission } from './notification-queues';

/**
 * What the API puts on the `ingest` queue (job id = ingest_id) for the ingester: Assemblyline's `IngestTask`
 * as primitives. The ingester completes it into a NotificationMessage (score, failure, notify_time).
 */
export interface IngestTask {
  ingest_id: string;
  /** When the API accepted the ingest (ISO 8601). */
  ingest_time: string;
  submission: NotificationSubmission;
  retries: number;
  failure: string;
  extended_scan: 'submitted';
  /**
   * The submitter's async quota slot (held under the ingest_id) that the ingester must release when the ingest
   * ends, however it ends. False when quotas are not enforced.
   */
  quota_held: boolean;
}
