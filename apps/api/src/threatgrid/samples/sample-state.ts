import type { SubmissionRecord } from '@hopper/datastore';
import type { ProgressStage } from '@hopper/queues';

/** Threat Grid's six sample states. */
export type SampleState = 'wait' | 'prep' | 'run' | 'proc' | 'succ' | 'fail';

/** Threat Grid's `status` beside each state. */
export const SAMPLE_STATUS: Readonly<Record<SampleState, string>> = {
  wait: 'pending',
  prep: 'preparing',
  run: 'analyzing_sample',
  proc: 'processing',
  succ: 'job_done',
  fail: 'job_failed',
};

/**
 * The state of a submission in Threat Grid's terms: an ended submission's own state first (a progress mark
 * may outlive it), else how far the dispatcher has got (no mark yet: still queued).
 */
export function sampleState(submission: Pick<SubmissionRecord, 'state'>, stage: ProgressStage | null): SampleState {
  if (submission.state === 'completed') return 'succ';
  if (submission.state === 'failed') return 'fail';
  return stage ?? 'wait';
}
