/**
 * Submission quota rules, Assemblyline's (`assemblyline_ui/helper/user.py`: `check_submission_quota`,
 * `increase_daily_submission_quota`). Pure: no I/O.
 */

/** A user's effective submission limits; 0 = unlimited. */
export interface QuotaLimits {
  /** Submissions in flight at once (Assemblyline's `submission_quota`). */
  concurrent: number;
  /** Submissions per UTC day (Assemblyline's `submission_daily_quota`). */
  daily: number;
}

/** The quota fields of a user record: null = the configured default. */
export interface UserQuotaFields {
  submission_quota: number | null;
  submission_daily_quota: number | null;
}

/** `ui.default_quotas` (only the submission part matters here). */
export interface DefaultSubmissionQuotas {
  concurrent_submissions: number;
  daily_submissions: number;
}

/** The user's own quotas win over the defaults; a missing (null/undefined) one falls back to the default. */
export function effectiveQuotaLimits(user: UserQuotaFields, defaults: DefaultSubmissionQuotas): QuotaLimits {
  return {
    concurrent: user.submission_quota ?? defaults.concurrent_submissions,
    daily: user.submission_daily_quota ?? defaults.daily_submissions,
  };
}

/** Assemblyline's text when the concurrent quota is full (it must not mention "daily": clients retry it). */
export function concurrentQuotaMessage(limit: number): string {
  return `You've exceeded your maximum concurrent submission quota of ${limit}`;
}

/**
 * Assemblyline's text when the daily quota is used up. It contains "daily" and "quota", which is what makes
 * the Python client stop retrying the 503.
 */
export function dailyQuotaMessage(limit: number): string {
  return `You've exceeded your daily maximum submission quota of ${limit}`;
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
