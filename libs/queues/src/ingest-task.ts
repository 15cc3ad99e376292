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
  /**
   * The sighting of the submitted file that the ingester records in `files` (batched with other jobs'), so the
   * API's request path writes nothing to MongoDB. Absent in tasks of an API that recorded it itself.
   */
  file_sighting?: IngestFileSighting;
}

/** A file as the API measured and identified it, the classification and life the ingest gives it, and when. */
export interface IngestFileSighting {
  file: {
    sha256: string;
    md5: string;
    sha1: string;
    size: number;
    entropy?: number;
    type: string;
    magic?: string;
    mime?: string;
    classification: string;
  };
  /** ISO 8601. */
  seen_at: string;
  /** ISO 8601; null keeps the file forever. */
  expiry: string | null;
}
