import type { SubmissionState } from '@hopper/datastore';
import { TgError } from '../http/tg-envelope';
import { SAMPLE_STATUS, SampleState } from './sample-state';

/**
 * The submission state each Threat Grid state word is stored as. wait, prep, run and proc are all a
 * submission still running: how far it got lives in Redis, not in the document a query reads.
 */
const STORED_AS: Readonly<Record<SampleState, SubmissionState>> = {
  wait: 'submitted',
  prep: 'submitted',
  run: 'submitted',
  proc: 'submitted',
  succ: 'completed',
  fail: 'failed',
};

/** The submission states of a `state` parameter (`succ|fail`, `succ,fail`, any case); 400 for an unknown word. */
export function submissionStatesOf(text: string): SubmissionState[] {
  const words = text
    .split(/[|,]/)
    .map((word) => word.trim().toLowerCase())
    .filter(Boolean);
  const states = new Set<SubmissionState>();
  for (const word of words) {
    if (!Object.hasOwn(STORED_AS, word)) {
      throw new TgError(`The state ${JSON.stringify(word)} is not one of ${Object.keys(SAMPLE_STATUS).join(', ')}.`, 400);
    }
    states.add(STORED_AS[word as SampleState]);
  }
  return [...states];
}
