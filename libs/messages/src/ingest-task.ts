import { z } from 'zod';
import { SubmissionParamsSchema } from './submission-params';

/** A file of the submission, as in Assemblyline's submission message. */
export const SubmissionFileSchema = z.object({
  name: z.string(),
  sha256: z.string(),
  size: z.number().nullable(),
});

/** The submission part of an ingest task and of its notification (Assemblyline's `odm.messages.submission.Submission`). */
export const IngestSubmissionSchema = z.object({
  sid: z.string().nullable(),
  time: z.string(),
  files: z.array(SubmissionFileSchema).min(1),
  metadata: z.record(z.string(), z.string()),
  params: SubmissionParamsSchema,
  notification: z.object({ queue: z.string().nullable(), threshold: z.number().nullable() }),
  scan_key: z.string().nullable(),
});

/**
 * A file as the API measured it, the classification and life the ingest gives it, and when. `type` (with
 * `magic` and `mime`) is there when the API knew it (a file it already had a document for, a CaRT that did not
 * decode: `corrupted/cart`); without it the ingester identifies the stored blob from its head before anything
 * reads the type, so an upload's request path runs no file identification.
 */
export const IngestFileSightingSchema = z.object({
  file: z.object({
    sha256: z.string(),
    md5: z.string(),
    sha1: z.string(),
    size: z.number(),
    entropy: z.number().optional(),
    type: z.string().optional(),
    magic: z.string().optional(),
    mime: z.string().optional(),
    classification: z.string(),
  }),
  /** ISO 8601. */
  seen_at: z.string(),
  /** ISO 8601; null keeps the file forever. */
  expiry: z.string().nullable(),
});

/**
 * What the API puts on the `ingest` queue (job id = ingest_id) for the ingester: Assemblyline's `IngestTask`
 * as primitives. The ingester completes it into a NotificationMessage (score, failure, notify_time).
 */
export const IngestTaskSchema = z.object({
  ingest_id: z.string().min(1),
  /** When the API accepted the ingest (ISO 8601). */
  ingest_time: z.string(),
  submission: IngestSubmissionSchema,
  retries: z.number().int(),
  failure: z.string(),
  extended_scan: z.literal('submitted'),
  /**
   * The submitter's async quota slot (held under the ingest_id) that the ingester must release when the ingest
   * ends, however it ends. False when quotas are not enforced.
   */
  quota_held: z.boolean(),
  /**
   * The sighting of the submitted file that the ingester records in `files` (batched with other jobs'), so the
   * API's request path writes nothing to MongoDB. Absent in tasks of an API that recorded it itself.
   */
  file_sighting: IngestFileSightingSchema.optional(),
});

export type SubmissionFileMessage = z.infer<typeof SubmissionFileSchema>;
export type IngestSubmission = z.infer<typeof IngestSubmissionSchema>;
export type IngestFileSighting = z.infer<typeof IngestFileSightingSchema>;
export type IngestTask = z.infer<typeof IngestTaskSchema>;

/**
 * What can still be read of an ingest task that IngestTaskSchema refuses, to end that ingest as failed: its id
 * (without one nothing can be told), where its submitter waits for notifications and whose quota slot it holds.
 */
export const UnreadableIngestSchema = z.looseObject({
  ingest_id: z.string().min(1),
  quota_held: z.boolean().catch(false),
  submission: z
    .looseObject({
      notification: z.looseObject({ queue: z.string().min(1).nullable().catch(null) }).catch({ queue: null }),
      params: z.looseObject({ submitter: z.string().min(1).nullable().catch(null) }).catch({ submitter: null }),
    })
    .catch({ notification: { queue: null }, params: { submitter: null } }),
});

export type UnreadableIngest = z.infer<typeof UnreadableIngestSchema>;
