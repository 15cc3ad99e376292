// Assemblyline's ingester policy (pure: no I/O): priority, drop/sampling, refusals, scan key, cache freshness,
// retries, notification and alert rules, metadata stripping.
export { BULLMQ_PRIORITY_LIMIT, bullmqScoreRange, toBullmqPriority } from './bullmq-priority';
export { cacheEntryTtlSeconds, cacheFreshness } from './cache-freshness';
export type { CachedScan, CacheFreshness } from './cache-freshness';
export { decideDrop, dropChance, mustDrop, SKIPPED } from './drop';
export type { DropCause, DropConfig, DropDecision, DropSubject, SamplingThresholds } from './drop';
export { isExpired, isStale, isTaskExpired } from './expiry';
export type { ExpiryLimits } from './expiry';
export { totalFileSize } from './file-size';
export type { TaskFile } from './file-size';
export { dropCheckedAtSubmit, hasInflightRoom } from './inflight';
export { isNeverDrop, matchesNeverDropRule } from './never-drop';
export type { NeverDropRules, NeverDropSubject } from './never-drop';
export { DEFAULT_ALERT_THRESHOLD, raisesAlert, sendsNotification, shouldNotify } from './notify';
export {
  assignIngestPriority,
  bandOf,
  capIngestPriority,
  MAX_PRIORITY,
  MIN_PRIORITY,
  PRIORITIES,
  PRIORITY_RANGES,
  PRIORITY_SCORE_THRESHOLDS,
  reducePriorityIfExpired,
} from './priority';
export type { PriorityBandName } from './priority';
export { fileTooLargeMessage, fileTooLargeRefusal, ingestRefusal, INVALID_SHA256, invalidSha256Refusal } from './refusals';
export { retryDecision } from './retry';
export type { RetryDecision, RetryLimits } from './retry';
export { SCAN_KEY_PARAM_FIELDS, SCAN_KEY_VERSION, scanKey, scanKeyText } from './scan-key';
export type { ScanKeyParams } from './scan-key';
export { stripOversizedMetadata } from './strip-metadata';
