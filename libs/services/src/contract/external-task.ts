import type { TaskFile } from './service-task';

/** The queue an external service takes its tasks from. */
export function externalServiceQueue(serviceName: string): string {
  return `service-${serviceName}`;
}

/**
 * A task for an external service, as a job on its queue (job id = task_id). The service fetches the file
 * and posts its result (or its error) through the API's service routes; the dispatcher waits for it.
 */
export interface ExternalServiceTask {
  task_id: string;
  service_name: string;
  service_version: string;
  result_key: string;
  sid: string;
  file: TaskFile;
  depth: number;
  params: Record<string, unknown>;
  temp_data: Record<string, unknown>;
  deep_scan: boolean;
  classification: string;
  /** ISO 8601 or null: when the result may be deleted. */
  expiry_ts: string | null;
  /** ISO 8601: the dispatcher stops waiting then and records a time-out. */
  deadline: string;
  /**
   * The most extracted files the result may carry: the submission's `max_extracted` (more could never be
   * analysed). Absent on tasks queued before services could post files; the API then takes the default.
   */
  max_extracted?: number;
  /** The most supplementary files: what the submission's `max_supplementary` had left when the task was queued. */
  max_supplementary?: number;
}

/** How many files an external service may post with one result. */
export type ExternalFileLimits = Required<Pick<ExternalServiceTask, 'max_extracted' | 'max_supplementary'>>;

/** The task id: one per submission, file and service inputs, so a re-queued task is the same job. */
export function externalTaskId(resultKey: string, sid: string): string {
  return `${resultKey}.${sid}`;
}
