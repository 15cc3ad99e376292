import { HttpException } from '@nestjs/common';
import { endOfUtcDay } from '@hopper/queues';
import { TgError } from '../http/tg-envelope';

/**
 * How long a client refused by the concurrent quota waits before it tries again. A slot comes back when one of
 * the user's samples in flight ends, which takes a sandbox run (minutes); a minute lets a script take a freed
 * slot soon without hammering the API, and is the order of Threat Grid's own per-minute rate windows.
 */
export const CONCURRENT_QUOTA_RETRY_AFTER_SECONDS = 60;

/**
 * The Threat Grid answer to a refusal of the submission quota. Assemblyline refuses with 503, which its Python
 * client retries; Threat Grid refuses with 429 and Retry-After, and Threat Grid scripts retry on 429, not on
 * 503. The message stays Assemblyline's (it names the quota). A daily refusal waits for the next UTC day, when
 * the daily count starts again. Null when `error` is not a quota refusal (`takeSubmissionQuota`'s 503).
 */
export function tgQuotaRefusal(error: unknown, now: Date): TgError | null {
  if (!(error instanceof HttpException) || error.getStatus() !== 503) return null;
  const message = error.message;
  const retryAfter = /daily/i.test(message)
    ? Math.max(1, Math.ceil((endOfUtcDay(now) - now.getTime()) / 1000))
    : CONCURRENT_QUOTA_RETRY_AFTER_SECONDS;
  return new TgError(message, 429, [{ code: 429, message: `${message}; retry after ${retryAfter} seconds.` }], { 'Retry-After': String(retryAfter) });
}
