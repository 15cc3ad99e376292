import { z } from 'zod';
import { SubmissionFileSchema } from './ingest-task';
import { SubmissionParamsSchema } from './submission-params';

/**
 * A submission as its starter stored it, carried by its dispatch task so the dispatcher's first attempt need
 * not read it back. Dates travel as ISO 8601 strings and come back as Dates. The file tree (none yet) and the
 * Threat Grid request (the dispatcher does not use it) are left out.
 */
export const HandedSubmissionSchema = z.object({
  sid: z.string().min(1),
  classification: z.string(),
  params: SubmissionParamsSchema,
  metadata: z.record(z.string(), z.string()),
  files: z.array(SubmissionFileSchema),
  file_count: z.number().int(),
  state: z.enum(['submitted', 'completed', 'failed']),
  times: z.object({ submitted: z.coerce.date(), completed: z.coerce.date().nullable() }),
  scan_key: z.string().nullable(),
  max_score: z.number(),
  error_count: z.number().int(),
  errors: z.array(z.string()),
  results: z.array(z.string()),
  failure: z.string().nullable(),
  expiry_ts: z.coerce.date().nullable(),
});

/**
 * The contract between a submission's starter and the dispatcher: a DispatchTask on the `dispatch` queue (job
 * id = sid) once the submission document exists.
 */
export const DispatchTaskSchema = z.object({
  sid: z.string().min(1),
  /** Set for ingested submissions: completions of this scan key complete every ingest attached to it. */
  scan_key: z.string().nullable(),
  /**
   * The submission as the ingester stored it, so the dispatcher's first attempt need not read it back. Absent
   * from tasks of the API's paths (their dispatcher reads the document, as a client polling it expects to see
   * it wait first) and of older versions.
   */
  submission: HandedSubmissionSchema.optional(),
  /**
   * Whose submit-pool slot the submission holds (tasks of submit, resubmit, the UI's start, Threat Grid), so
   * the dispatcher releases it even when the document was deleted before the task ran.
   */
  submitter: z.string().min(1).optional(),
  /**
   * The submitted files as the ingester recorded them (type and size by sha256), so the first attempt need
   * not read their documents; `new` marks a file Hopper had never seen, which can have no stored result.
   */
  files: z.record(z.string(), z.object({ type: z.string(), size: z.number(), new: z.boolean() })).optional(),
});

/**
 * When an ingested submission ends, however it ends, the dispatcher adds a SubmissionCompletion to the
 * `complete` queue (job id = sid, so a retried completion is not queued twice) for the ingester.
 */
export const SubmissionCompletionSchema = z.object({
  sid: z.string().min(1),
  scan_key: z.string().nullable(),
  state: z.enum(['completed', 'failed']),
  /** Highest score of the submission's files (0 when it failed before any result). */
  max_score: z.number(),
  /** Errors of services that failed; a completion with errors is cached for less time. */
  errors: z.array(z.string()),
  /** Why a failed submission failed. */
  failure: z.string().nullable(),
  /** ISO 8601. */
  completed_at: z.string(),
});

export type HandedSubmission = z.infer<typeof HandedSubmissionSchema>;
/** A dispatch task as it is queued (dates of the handed submission as Dates or ISO strings). */
export type DispatchTask = z.input<typeof DispatchTaskSchema>;
/** A dispatch task as the dispatcher reads it. */
export type ParsedDispatchTask = z.infer<typeof DispatchTaskSchema>;
export type SubmissionCompletion = z.infer<typeof SubmissionCompletionSchema>;
