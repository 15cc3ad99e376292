import type { HopperConfig } from '@hopper/config';

/** The ingester's age limits (seconds), from `core.ingester`. */
export type ExpiryLimits = Pick<
  HopperConfig['core']['ingester'],
  'expire_after' | 'stale_after_seconds' | 'incomplete_expire_after_seconds' | 'incomplete_stale_after_seconds'
>;

/**
 * Assemblyline's `Ingester.expired(delta, errors)`: something `ageSeconds` old is expired at or past
 * `expire_after`, or `incomplete_expire_after_seconds` when it had errors (a cached result's error count).
 */
export function isExpired(
  ageSeconds: number,
  hadErrors: boolean,
  limits: Pick<ExpiryLimits, 'expire_after' | 'incomplete_expire_after_seconds'>,
): boolean {
  return ageSeconds >= (hadErrors ? limits.incomplete_expire_after_seconds : limits.expire_after);
}

/**
 * `isExpired` for a task rather than a cached result (Assemblyline calls `expired(age, 0)`): at or past
 * `expire_after`. Applies to the age of a submission (its priority is cut) and of an ingest (no more retries).
 */
export function isTaskExpired(ageSeconds: number, limits: Pick<ExpiryLimits, 'expire_after'>): boolean {
  return ageSeconds >= limits.expire_after;
}

/**
 * Assemblyline's `Ingester.stale(delta, errors)`: a cached result is stale (rescan, but its score still sets
 * the priority) at or past `stale_after_seconds`, or `incomplete_stale_after_seconds` when it had errors.
 */
export function isStale(
  ageSeconds: number,
  hadErrors: boolean,
  limits: Pick<ExpiryLimits, 'stale_after_seconds' | 'incomplete_stale_after_seconds'>,
): boolean {
  return ageSeconds >= (hadErrors ? limits.incomplete_stale_after_seconds : limits.stale_after_seconds);
}
