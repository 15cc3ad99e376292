import type { ResultRecord, ServiceErrorRecord, ServiceErrorType, SubmissionRecord } from '@hopper/datastore';
import type { ServiceManifest } from './service-manifest';
import { resultScore, resultTags, ServiceResultBody } from './service-result';
import type { StoredChild, TaskFile } from './service-task';

/** What a service run produced, before it is recorded. */
export interface ServiceOutput {
  body: ServiceResultBody;
  extracted: StoredChild[];
  supplementary: StoredChild[];
}

type SubmissionPart = Pick<SubmissionRecord, 'sid' | 'classification' | 'expiry_ts'>;

/**
 * The stored result of a run (Assemblyline's Result), for the dispatcher and for results posted to the API.
 * It lives as long as its submission, except an empty one (no sections, no files: Assemblyline's
 * `submission.emptyresult_dtl`), which lives `emptyResultDtlDays` at most (0: no such limit).
 */
export function resultRecord(
  submission: SubmissionPart,
  file: TaskFile,
  manifest: Pick<ServiceManifest, 'name' | 'version' | 'category'>,
  key: string,
  output: ServiceOutput,
  started: Date,
  emptyResultDtlDays = 0,
): ResultRecord {
  const empty = output.body.sections.length === 0 && output.extracted.length === 0 && output.supplementary.length === 0;
  return {
    _id: key,
    sha256: file.sha256,
    type: file.type,
    size: file.size,
    classification: submission.classification,
    created: new Date(),
    expiry_ts: empty ? emptyResultExpiry(submission.expiry_ts, emptyResultDtlDays, started) : submission.expiry_ts,
    sid: submission.sid,
    response: {
      service_name: manifest.name,
      service_version: manifest.version,
      service_category: manifest.category,
      extracted: output.extracted,
      supplementary: output.supplementary,
      milestones: { service_started: started, service_completed: new Date() },
    },
    result: { score: resultScore(output.body), sections: output.body.sections },
    tags: resultTags(output.body),
  };
}

function emptyResultExpiry(submissionExpiry: Date | null, dtlDays: number, now: Date): Date | null {
  if (dtlDays <= 0) return submissionExpiry;
  const limit = new Date(now.getTime() + dtlDays * 24 * 3600 * 1000);
  return submissionExpiry !== null && submissionExpiry < limit ? submissionExpiry : limit;
}

/** The error key of a run: one per submission, so a re-run of the submission overwrites its own error. */
export function errorKey(resultKey: string, sid: string): string {
  return `${resultKey}.${sid}.e`;
}

export interface ServiceErrorDetails {
  type: ServiceErrorType;
  message: string;
  /** False when retrying the same input would fail again (a limit, an invalid result). */
  recoverable: boolean;
}

/** The stored error of a run (Assemblyline's Error). */
export function errorRecord(
  submission: Pick<SubmissionRecord, 'sid' | 'expiry_ts'>,
  sha256: string,
  manifest: Pick<ServiceManifest, 'name' | 'version'>,
  key: string,
  error: ServiceErrorDetails,
): ServiceErrorRecord {
  return {
    _id: key,
    sid: submission.sid,
    sha256,
    type: error.type,
    created: new Date(),
    expiry_ts: submission.expiry_ts,
    response: {
      service_name: manifest.name,
      service_version: manifest.version,
      message: error.message,
      status: error.recoverable ? 'FAIL_RECOVERABLE' : 'FAIL_NONRECOVERABLE',
    },
  };
}
