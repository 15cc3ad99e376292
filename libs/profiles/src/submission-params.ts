import type { ServiceSelection, ServiceSpec, SubmissionParams } from '@hopper/messages';

// The type is the schema's (libs/messages), so what the resolver builds is what every queue and reader parses.
export type { ServiceSelection, ServiceSpec, SubmissionParams };

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
