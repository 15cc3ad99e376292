import type { NewSubmission, SubmissionFile, ThreatGridSampleInfo } from '@hopper/datastore';
import type { SubmissionParams } from '@hopper/messages';

const DAY_MS = 24 * 3600 * 1000;

/** What every submission starts with, whoever starts it (ingester, submit, resubmit, UI start, Threat Grid). */
export interface SubmissionStart {
  sid: string;
  params: SubmissionParams;
  metadata: Record<string, string>;
  files: SubmissionFile[];
  now: Date;
  /** The ingester's scan key; null (the default) for a submission made through submit. */
  scanKey?: string | null;
  /** Threat Grid-compatible samples only. */
  threatgrid?: ThreatGridSampleInfo;
}

/**
 * The document of a new submission: state `submitted`, no outcome yet, living `params.ttl` days (0: for
 * ever). The one place a submission document is built.
 */
export function newSubmissionDocument(start: SubmissionStart): NewSubmission {
  const { sid, params, metadata, files, now, threatgrid } = start;
  return {
    sid,
    classification: params.classification,
    params,
    metadata,
    files,
    file_count: files.length,
    state: 'submitted',
    times: { submitted: now, completed: null },
    scan_key: start.scanKey ?? null,
    max_score: 0,
    error_count: 0,
    errors: [],
    results: [],
    failure: null,
    expiry_ts: params.ttl > 0 ? new Date(now.getTime() + params.ttl * DAY_MS) : null,
    ...(threatgrid ? { threatgrid } : {}),
  };
}
