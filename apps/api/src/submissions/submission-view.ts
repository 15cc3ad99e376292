import type { SubmissionFile, SubmissionRecord, SubmissionState } from '@hopper/datastore';

/**
 * A submission as Assemblyline v4 answers it (`Submission.as_primitives()`): what submit, resubmit and the
 * submission routes return, and what the Python client's `submission` module reads. Dates are ISO 8601.
 */
export interface SubmissionView {
  /** Deprecated in Assemblyline; Hopper does not archive. */
  archive_ts: string | null;
  archived: boolean;
  classification: string;
  error_count: number;
  errors: string[];
  expiry_ts: string | null;
  file_count: number;
  files: SubmissionFile[];
  from_archive: boolean;
  max_score: number;
  metadata: Record<string, string>;
  params: Record<string, unknown>;
  results: string[];
  sid: string;
  state: SubmissionState;
  times: { submitted: string; completed: string | null };
  to_be_deleted: boolean;
  /** Assemblyline's processing trace (`params.trace`); Hopper records none. */
  tracing_events: unknown[];
  verdict: { malicious: string[]; non_malicious: string[] };
  scan_key: string | null;
}

const iso = (date: Date | string | null | undefined): string | null => (date ? new Date(date).toISOString() : null);

/** The Assemblyline `Submission` of a stored record (Hopper-only fields, such as `failure`, are left out). */
export function submissionView(record: SubmissionRecord): SubmissionView {
  return {
    archive_ts: null,
    archived: false,
    classification: record.classification,
    error_count: record.error_count ?? record.errors?.length ?? 0,
    errors: record.errors ?? [],
    expiry_ts: iso(record.expiry_ts),
    file_count: record.file_count ?? record.files.length,
    files: record.files.map(({ name, sha256, size }) => ({ name, sha256, size: size ?? null })),
    from_archive: false,
    max_score: record.max_score ?? 0,
    metadata: record.metadata ?? {},
    params: record.params,
    results: record.results ?? [],
    sid: record.sid,
    state: record.state,
    times: { submitted: iso(record.times.submitted)!, completed: iso(record.times.completed) },
    to_be_deleted: false,
    tracing_events: [],
    verdict: { malicious: [], non_malicious: [] },
    scan_key: record.scan_key ?? null,
  };
}
