/** The work queues. Each app consumes exactly one of them. */
export const QueueName = {
  /** API → ingester: ingest tasks, by priority. */
  Ingest: 'ingest',
  /** API/ingester → dispatcher: submissions to analyse. */
  Dispatch: 'dispatch',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
