import { DelayedError, Job } from 'bullmq';
import { OUTAGE_RETRY_AFTER_SECONDS, outageOf } from './dependency-outage';

/**
 * For a BullMQ processor's catch: a MongoDB, Redis or (S3) filestore outage puts the job back for `delayMs`
 * without spending one of its attempts (the dependency comes back; attempts are for the work's own failures, and an outage
 * longer than the backoff would otherwise fail the job for good). Any other error is thrown again, as is
 * the outage when the job cannot even be put back (Redis gone too: BullMQ's stalled check hands it on).
 */
export async function postponeOnOutage(job: Job, token: string | undefined, error: unknown, delayMs = OUTAGE_RETRY_AFTER_SECONDS * 1000): Promise<never> {
  if (outageOf(error) === null || !token) throw error;
  try {
    await job.moveToDelayed(Date.now() + delayMs, token);
  } catch {
    throw error;
  }
  throw new DelayedError(`postponed: ${(error as Error).message}`);
}
