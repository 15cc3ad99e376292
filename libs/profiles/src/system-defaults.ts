import type { HopperConfig } from '@hopper/config';
import { DEFAULT_SERVICE_SELECTION } from './assemblyline-defaults';
import { SubmissionParams } from './submission-params';

export type SystemDefaultsConfig = Pick<HopperConfig['submission'], 'default_max_extracted' | 'default_max_supplementary' | 'dtl'>;

/**
 * The parameters of a submission nobody customised: Assemblyline's SubmissionParams defaults, with the
 * limits and days-to-live the configuration sets. `classification` is the engine's UNRESTRICTED.
 */
export function systemDefaultParams(submission: SystemDefaultsConfig, classification: string): SubmissionParams {
  return {
    classification,
    deep_scan: false,
    description: '',
    generate_alert: false,
    groups: [],
    ignore_cache: false,
    ignore_recursion_prevention: false,
    ignore_dynamic_recursion_prevention: false,
    ignore_filtering: false,
    ignore_size: false,
    never_drop: false,
    malicious: false,
    max_extracted: submission.default_max_extracted,
    max_supplementary: submission.default_max_supplementary,
    priority: 1000,
    profile: false,
    psid: null,
    quota_item: false,
    services: { selected: [...DEFAULT_SERVICE_SELECTION], excluded: [], rescan: [], resubmit: [] },
    service_spec: {},
    submitter: '',
    // Assemblyline's API falls back to submission.dtl, not the model's 0 (never expire).
    ttl: submission.dtl,
    type: 'USER',
    initial_data: null,
    auto_archive: false,
    delete_after_archive: false,
    use_archive_alternate_dtl: false,
  };
}
