/**
 * Submission quota rules, Assemblyline's (`assemblyline_ui/helper/user.py`: `check_submission_quota`,
 * `check_async_submission_quota`, `increase_daily_submission_quota`). Pure: no I/O.
 */

/**
 * The concurrent pool a submission holds its slot in. Assemblyline counts submit (and resubmit, the UI's
 * start) against `submission_quota` and ingest against `submission_async_quota`, so stuck ingests never
 * lock a user out of submit, nor the other way round. The daily count is one for both.
 */
export type QuotaPool = 'submit' | 'async';

/** A user's effective submission limits in one pool; 0 = unlimited. */
export interface QuotaLimits {
  /** Submissions of the pool in flight at once (`submission_quota`, or `submission_async_quota` for ingest). */
  concurrent: number;
  /** Submissions per UTC day (Assemblyline's `submission_daily_quota`). */
  daily: number;
}

/** The quota fields of a user record: null = the configured default. */
export interface UserQuotaFields {
  submission_quota: number | null;
  /** Absent on records written before the async quota existed: the default then. */
  submission_async_quota?: number | null;
  submission_daily_quota: number | null;
}

/** `ui.default_quotas` (only the submission part matters here). */
export interface DefaultSubmissionQuotas {
  concurrent_submissions: number;
  concurrent_async_submissions: number;
  daily_submissions: number;
}

/**
 * The user's own quotas win over the defaults; a missing (null/undefined) one falls back to the default.
 * `pool` picks the concurrent limit: `submission_quota` for submit, `submission_async_quota` for ingest.
 */
export function effectiveQuotaLimits(user: UserQuotaFields, defaults: DefaultSubmissionQuotas, pool: QuotaPool): QuotaLimits {
  const concurrent =
    pool === 'async'
      ? (user.submission_async_quota ?? defaults.concurrent_async_submissions)
      : (user.submission_quota ?? defaults.concurrent_submissions);
  return { concurrent, daily: user.submission_daily_quota ?? defaults.daily_submissions };
}

/**
 * Assemblyline's text when a concurrent pool is full (it must not mention "daily": clients retry it):
 * `check_submission_quota`'s for submit, `check_async_submission_quota`'s for ingest.
 */
export function concurrentQuotaMessage(limit: number, pool: QuotaPool): string {
  return pool === 'async'
    ? `You've exceeded your maximum async concurrent submission quota of ${limit}`
    : `You've exceeded your maximum concurrent submission quota of ${limit}`;
}

/**
 * Assemblyline's text when the daily quota is used up (`increase_daily_submission_quota`). It contains
 * "daily" and "quota", which is what makes the Python client stop retrying the 503.
 */
export function dailyQuotaMessage(limit: number): string {
  return `You've reached your daily maximum submission quota of ${limit}`;
}

/** `YYYYMMDD` of the UTC day `at` falls in. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10).replace(/-/g, '');
}

/** The first millisecond of the UTC day after `at`: when that day's counter stops mattering. */
export function endOfUtcDay(at: Date): number {
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1);
}

/** What is left of the daily quota, or null when the daily quota is unlimited (Assemblyline sends no header then). */
export function remainingDaily(limit: number, used: number): number | null {
  return limit > 0 ? Math.max(limit - used, 0) : null;
}
