import { isTaskExpired } from './expiry';

export type RetryDecision =
  | { retry: true; retries: number; delaySeconds: number }
  | { retry: false; reason: 'max_retries' | 'expired' };

export interface RetryLimits {
  /** `core.ingester.max_retries` (Assemblyline's `_max_retries`, 10). */
  max_retries: number;
  /** `core.ingester.retry_delay_seconds` (Assemblyline's `_retry_delay`, 4 minutes). */
  retry_delay_seconds: number;
  expire_after: number;
}

/**
 * Assemblyline's `Ingester.retry`, after a failed attempt to create and dispatch the submission: give up
 * once the attempt count would pass `max_retries` ("Max retries exceeded"), or when the ingest itself
 * (age from its `ingest_time`) has expired ("No point retrying expired submission"); otherwise retry later
 * with the count raised by one.
 */
export function retryDecision(retries: number, ingestAgeSeconds: number, limits: RetryLimits): RetryDecision {
  const next = retries + 1;
  if (next > limits.max_retries) return { retry: false, reason: 'max_retries' };
  if (isTaskExpired(ingestAgeSeconds, limits)) return { retry: false, reason: 'expired' };
  return { retry: true, retries: next, delaySeconds: limits.retry_delay_seconds };
}
