import type { HopperConfig } from '@hopper/config';
import { enforceMaxDtl } from './max-dtl';
import { PlainObject } from './params-merge';
import { InvalidSubmissionParams } from './profile-errors';
import { SubmissionParams } from './submission-params';

/** Priority of an ingest that sets none (Assemblyline's "Reset dangerous user settings" value). */
export const INGEST_DEFAULT_PRIORITY = 150;

/**
 * What the Ingest API forces over a user's saved settings before the request's own params apply, in
 * Assemblyline's order: these lead to dangerous behaviour when left on for bulk traffic.
 * (ignore_recursion_prevention is the newer name Assemblyline resets alongside the old one.)
 */
export const INGEST_SAFE_PARAMS = {
  deep_scan: false,
  priority: INGEST_DEFAULT_PRIORITY,
  ignore_cache: false,
  ignore_dynamic_recursion_prevention: false,
  ignore_recursion_prevention: false,
  ignore_filtering: false,
  type: 'INGEST',
} as const;

export const INGEST_SAFE_PARAM_KEYS = Object.keys(INGEST_SAFE_PARAMS) as (keyof typeof INGEST_SAFE_PARAMS)[];

/** The parameters with the dangerous ones reset to their safe ingest values. */
export function resetDangerousIngestParams<T extends PlainObject>(params: T): T & typeof INGEST_SAFE_PARAMS {
  return { ...params, ...INGEST_SAFE_PARAMS };
}

export interface IngestLimitsConfig {
  submission: Pick<HopperConfig['submission'], 'max_dtl'>;
  ui: Pick<HopperConfig['ui'], 'ingest_max_priority'>;
  core: { ingester: Pick<HopperConfig['core']['ingester'], 'default_max_extracted' | 'default_max_supplementary'> };
}

/**
 * The Ingest API's final overrides, in Assemblyline's order: generate_alert from the request's top level
 * (else the params'), the ingester's extraction limits, priority capped at ui.ingest_max_priority, and
 * ttl capped at submission.max_dtl.
 */
export function finalizeIngestParams(params: SubmissionParams, config: IngestLimitsConfig, generateAlert?: unknown): SubmissionParams {
  const alert = generateAlert === undefined ? params.generate_alert : generateAlert;
  if (typeof alert !== 'boolean') throw new InvalidSubmissionParams('generate_alert should be a boolean', 'generate_alert');
  return {
    ...params,
    generate_alert: alert,
    max_extracted: config.core.ingester.default_max_extracted,
    max_supplementary: config.core.ingester.default_max_supplementary,
    priority: Math.min(params.priority, config.ui.ingest_max_priority),
    ttl: enforceMaxDtl(params.ttl, config.submission.max_dtl),
  };
}
