import type { HeaderSink } from '../../http/answer-headers';
import type { RateDecision } from '../controls';

/**
 * The IETF RateLimit headers of a limited answer (limit, remaining and reset of the window that binds), and
 * Retry-After when refused. An unlimited caller gets none.
 */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  if (decision.limit === null || decision.remaining === null) return {};
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
  };
  if (!decision.allowed) headers['Retry-After'] = String(decision.retryAfterSeconds ?? decision.resetSeconds);
  return headers;
}

export function setRateLimitHeaders(response: HeaderSink, decision: RateDecision): void {
  for (const [name, value] of Object.entries(rateLimitHeaders(decision))) response.setHeader(name, value);
}
