export { ALL_QUEUES, QueueName } from './queue-names';
export { clusterNode, createProbeConnection, createRedisConnection } from './redis-connection';
export type { RedisConnection } from './redis-connection';
export { closeWorkerGracefully, createQueue, createWorker, DEFAULT_JOB_OPTIONS, workerSettings } from './queue-factory';
export type { QueueConnection } from './queue-factory';
export { queueDepth } from './queue-depth';
export type { QueueDepth } from './queue-depth';
export { QUEUES, QueuesModule, REDIS_CONNECTION } from './queues.module';
export type { Queues } from './queues.module';
export {
  concurrentQuotaMessage,
  dailyQuotaMessage,
  effectiveQuotaLimits,
  endOfUtcDay,
  remainingDaily,
  utcDay,
} from './quota-limits';
export type { DefaultSubmissionQuotas, QuotaLimits, QuotaPool, UserQuotaFields } from './quota-limits';
export { SubmissionQuotas } from './submission-quotas';
export type { QuotaDecision, QuotaUsage, SubmissionQuotasOptions } from './submission-quotas';
export {
  InvalidNotificationQueueName,
  MAX_NOTIFICATION_QUEUE_NAME,
  NOTIFICATION_QUEUE_PREFIX,
  notificationQueueNameError,
  NotificationQueues,
  shouldNotify,
} from './notification-queues';
export type { NotificationFile, NotificationMessage, NotificationSubmission } from './notification-queues';
export { randomId } from './random-id';
export { inflightTtlSeconds, ScanRegistry } from './scan-registry';
export { PROGRESS_STAGES, PROGRESS_TTL_SECONDS, SubmissionProgress } from './submission-progress';
export type { ProgressStage, SubmissionProgressState } from './submission-progress';
export type { ClaimRequest, IngestStatus, NotifyResult, ScanClaim, ScanOutcome, ScanRegistryOptions, ScanResult } from './scan-registry';
export { notificationQueuesProvider, pendingFilesProvider, scanRegistryProvider, submissionQuotasProvider } from './providers';
export { hashTagOf, hasHashTag, RedisKeys } from './redis-keys';
export { hopperScripts, readLuaScripts } from './lua-scripts';
export type { HopperScripts, LuaScript, ScriptedRedis } from './lua-scripts';
export { FileBeingDeletedError, FileGuard, type HashFieldWrite } from './file-guard';
export { FileRecords } from './file-records';
export type { FileRecordView } from './file-records';
export { PendingFiles } from './pending-files';
export type { PendingFile } from './pending-files';
export { ExternalTaskWaits } from './external-task-waits';
export type { ExternalTaskSettlement } from './external-task-waits';
// The queues' messages are libs/messages' schemas; re-exported for the code that queues them.
export type { DispatchTask, IngestFileSighting, IngestTask, SubmissionCompletion } from '@hopper/messages';
