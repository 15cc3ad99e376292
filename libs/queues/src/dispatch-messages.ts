/**
 * The contract between the ingester and the dispatcher. The ingester adds a DispatchTask to the `dispatch`
 * queue (job id = sid) once the submission document exists; when the submission ends, however it ends, the
 * dispatcher adds a SubmissionCompletion to the `complete` queue (job id = sid, so a retried completion is
 * not queued twice).
 */
export interface DispatchTask {
  sid: string;
  /** Set for ingested submissions: completions of this scan key complete every ingest attached to it. */
  scan_key: string | null;
  /**
   * The submission as the ingester just stored it (dates as ISO 8601 strings), so the dispatcher's first
   * attempt need not read it back; absent from tasks of submit, whose dispatcher reads the document.
   */
  submission?: Record<string, unknown>;
  /**
   * The submitted files as the ingester recorded them (type and size by sha256), so the first attempt need
   * not read their documents; `new` marks a file Hopper had never seen, which can have no stored result.
   */
  files?: Record<string, { type: string; size: number; new: boolean }>;
}

export interface SubmissionCompletion {
  sid: string;
  scan_key: string | null;
  state: 'completed' | 'failed';
  /** Highest score of the submission's files (0 when it failed before any result). */
  max_score: number;
  /** Errors of services that failed; a completion with errors is cached for less time. */
  errors: string[];
  /** Why a failed submission failed. */
  failure: string | null;
  /** ISO 8601. */
  completed_at: string;
}
