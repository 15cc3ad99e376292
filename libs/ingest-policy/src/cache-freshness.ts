import { ExpiryLimits, isExpired, isStale } from './expiry';

/** A cached completed scan (Assemblyline's `FileScore`): when it completed and whether it had errors. */
export interface CachedScan {
  completedAt: Date;
  /** Assemblyline stores an error count; any non-zero count (or true) means "had errors". */
  errors: number | boolean;
}

/**
 * `fresh`: reuse the result. `stale`: scan again, but the cached score still sets the task's priority.
 * `expired`: forget the entry (Assemblyline deletes it) and treat the ingest as a cache miss.
 */
export type CacheFreshness = 'fresh' | 'stale' | 'expired';

/**
 * Assemblyline's `Ingester.check`: expired at or past `expire_after` (15 days; 1 hour with errors), else stale
 * at or past `stale_after_seconds` (1 day; 30 minutes with errors), else fresh. Ages are in seconds.
 */
export function cacheFreshness(entry: CachedScan, now: Date, limits: ExpiryLimits): CacheFreshness {
  const ageSeconds = (now.getTime() - entry.completedAt.getTime()) / 1000;
  const hadErrors = Boolean(entry.errors);
  if (isExpired(ageSeconds, hadErrors, limits)) return 'expired';
  if (isStale(ageSeconds, hadErrors, limits)) return 'stale';
  return 'fresh';
}

/**
 * How long the cache entry itself lives (Assemblyline's FileScore `expiry_ts`: `cache_dtl` days after the
 * scan completed). This is a storage lifetime, not the freshness rule: with the defaults (2 days) the entry
 * is gone before `expire_after` (15 days) could apply, so in practice a result is fresh for 1 day, stale
 * until day 2, then missing.
 */
export function cacheEntryTtlSeconds(cacheDtlDays: number): number {
  return cacheDtlDays * 24 * 60 * 60;
}
