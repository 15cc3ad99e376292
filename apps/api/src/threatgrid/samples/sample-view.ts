import type { FileRecord, SubmissionRecord } from '@hopper/datastore';
import type { SubmissionProgressState } from '@hopper/queues';
import { SAMPLE_STATUS, SampleState, sampleState } from './sample-state';

/** A sample as Threat Grid answers it (`POST /api/v2/samples`, `GET /api/v2/samples/<id>`). */
export interface SampleView {
  id: string;
  submission_id: number;
  state: SampleState;
  status: string;
  analyzing: boolean;
  /** "" when the submitted file's record is gone (Threat Grid always answers a string). */
  md5: string;
  sha1: string;
  sha256: string;
  filename: string;
  login: string;
  tags: string[];
  private: boolean;
  vm: string;
  os: string;
  /** "" when the submission chose none (the sandbox's own default). */
  playbook: string;
  network_exit: string;
  submitted_at: string;
  started_at: string | null;
  completed_at: string | null;
  /** Only in state `run`, when the dynamic-analysis service gave one. */
  glovebox_url?: string;
  /** Links back to the sample's submission in Hopper. */
  permalink: string;
  url: string;
  classification: string;
}

/** Threat Grid's time format: ISO 8601 to the second, in UTC. */
export const tgTime = (date: Date | string | null | undefined): string | null =>
  date ? new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z') : null;

/**
 * Threat Grid's integer submission_id for a sample of another API: the sid's first 52 bits, so the same
 * submission always answers the same number.
 */
export function submissionIdOf(sid: string): number {
  let value = 0;
  for (const char of sid) {
    const digit = BASE62.indexOf(char);
    value = (value * 62 + (digit >= 0 ? digit : char.charCodeAt(0) % 62)) % 2 ** 52;
  }
  return value;
}
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The sample view of a submission; `file` is the submitted file's record (null when it is gone). */
export function sampleView(submission: SubmissionRecord, file: FileRecord | null, progress: SubmissionProgressState, permalink: string): SampleView {
  const tg = submission.threatgrid;
  const state = sampleState(submission, progress.stage);
  const submitted = submission.files[0];
  const view: SampleView = {
    id: submission.sid,
    submission_id: tg?.submission_id ?? submissionIdOf(submission.sid),
    state,
    status: SAMPLE_STATUS[state],
    analyzing: state !== 'succ' && state !== 'fail',
    md5: file?.md5 ?? '',
    sha1: file?.sha1 ?? '',
    sha256: submitted?.sha256 ?? '',
    filename: submitted?.name ?? '',
    login: String(submission.params.submitter ?? ''),
    tags: tg?.tags ?? [],
    private: tg?.private ?? false,
    vm: tg?.vm ?? '',
    os: '',
    playbook: tg?.playbook ?? '',
    network_exit: tg?.network_exit ?? '',
    submitted_at: tgTime(submission.times.submitted)!,
    started_at: state === 'wait' ? null : tgTime(submission.times.submitted),
    completed_at: tgTime(submission.times.completed),
    permalink,
    url: permalink,
    classification: submission.classification,
  };
  if (state === 'run' && progress.glovebox_url) view.glovebox_url = progress.glovebox_url;
  return view;
}
