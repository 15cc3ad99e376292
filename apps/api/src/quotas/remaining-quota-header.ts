import type { HeaderSink } from '../http/answer-headers';

/**
 * Assemblyline's `X-Remaining-Quota-Submission` header (`assemblyline_ui/api/base.py`: `get_response_headers`):
 * daily submissions left. Sent only when there is a daily limit; always an integer, since the Python client
 * passes it to `int()`.
 */
export function setRemainingSubmissionQuota(response: HeaderSink, remaining: number | null): void {
  if (remaining === null || !Number.isFinite(remaining)) return;
  response.setHeader('X-Remaining-Quota-Submission', String(Math.max(0, Math.trunc(remaining))));
}
