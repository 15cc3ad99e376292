/** Services and categories that run (or are kept out of) a submission. */
export interface ServiceSelection {
  selected: string[];
  excluded: string[];
  rescan: string[];
  resubmit: string[];
}

/** Service-specific parameters, by service name then parameter name. */
export type ServiceSpec = Record<string, Record<string, unknown>>;

/** Assemblyline's SubmissionParams: how one submission is analysed. */
export interface SubmissionParams {
  classification: string;
  deep_scan: boolean;
  description: string;
  generate_alert: boolean;
  groups: string[];
  ignore_cache: boolean;
  ignore_recursion_prevention: boolean;
  /** Assemblyline's older name of ignore_recursion_prevention, still sent by some clients. */
  ignore_dynamic_recursion_prevention: boolean;
  ignore_filtering: boolean;
  ignore_size: boolean;
  never_drop: boolean;
  malicious: boolean;
  max_extracted: number;
  max_supplementary: number;
  priority: number;
  /** Extra profiling of the analysis (not the submission profile). */
  profile: boolean;
  psid: string | null;
  quota_item: boolean;
  services: ServiceSelection;
  service_spec: ServiceSpec;
  submitter: string;
  /** Days to live; 0 means no expiry (unless submission.max_dtl caps it). */
  ttl: number;
  type: string;
  initial_data: string | null;
  auto_archive: boolean;
  delete_after_archive: boolean;
  use_archive_alternate_dtl: boolean;
}

/** Parameters as a request, a saved user setting or a profile gives them: any subset; null means "not set". */
export type SubmissionParamsInput = {
  [K in Exclude<keyof SubmissionParams, 'services' | 'service_spec'>]?: SubmissionParams[K] | null;
} & {
  services?: Partial<Record<keyof ServiceSelection, string[] | null>> | null;
  service_spec?: ServiceSpec | null;
};

/** Every SubmissionParams key, in Assemblyline's order. */
export const SUBMISSION_PARAM_KEYS: readonly (keyof SubmissionParams)[] = [
  'classification', 'deep_scan', 'description', 'generate_alert', 'groups', 'ignore_cache',
  'ignore_recursion_prevention', 'ignore_dynamic_recursion_prevention', 'ignore_filtering', 'ignore_size',
  'never_drop', 'malicious', 'max_extracted', 'max_supplementary', 'priority', 'profile', 'psid', 'quota_item',
  'services', 'service_spec', 'submitter', 'ttl', 'type', 'initial_data', 'auto_archive', 'delete_after_archive',
  'use_archive_alternate_dtl',
];

export const SERVICE_SELECTION_KEYS: readonly (keyof ServiceSelection)[] = ['selected', 'excluded', 'rescan', 'resubmit'];
