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
}

/** The task id: one per submission, file and service inputs, so a re-queued task is the same job. */
export function externalTaskId(resultKey: string, sid: string): string {
  return `${resultKey}.${sid}`;
}
