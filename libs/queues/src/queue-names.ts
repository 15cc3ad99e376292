/** The work queues. Each is consumed by one app (the ingester takes `ingest` and `complete`). */
export const QueueName = {
  /** API → ingester: ingest tasks, by priority. */
  Ingest: 'ingest',
  /** API/ingester → dispatcher: submissions to analyse (DispatchTask); also the dispatchers' time-out sweep (job scheduler `sweep`). */
  Dispatch: 'dispatch',
  /** Dispatcher → ingester: submissions that ended (SubmissionCompletion), so their ingests complete. */
  Complete: 'complete',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
