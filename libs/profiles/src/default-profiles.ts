import type { SubmissionProfileConfig } from '@hopper/config';
import { DEFAULT_RESTRICTED_PARAMS, DEFAULT_SERVICE_SELECTION } from './assemblyline-defaults';

function restricted(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(DEFAULT_RESTRICTED_PARAMS).map(([key, list]) => [key, [...list]]));
}

/**
 * Assemblyline's three built-in profiles (DEFAULT_SUBMISSION_PROFILES), used when the configuration
 * names none. Clients of Assemblyline send these names, so Hopper keeps them.
 */
export const DEFAULT_SUBMISSION_PROFILES: readonly SubmissionProfileConfig[] = [
  {
    name: 'static',
    display_name: 'Static Analysis',
    description:
      'Analyze files using static analysis techniques and extract information from the file without executing it, ' +
      'such as metadata, strings, and structural information.',
    params: {
      services: { selected: [...DEFAULT_SERVICE_SELECTION], excluded: ['Dynamic Analysis', 'Internet Connected'] },
    },
    restricted_params: restricted(),
  },
  {
    name: 'static_with_dynamic',
    display_name: 'Static + Dynamic Analysis',
    description:
      'Analyze files using static analysis techniques along with executing them in a controlled environment to ' +
      'observe their behavior and capture runtime activities, interactions with the system, network ' +
      'communications, and any malicious behavior exhibited by the file during execution.',
    params: {
      services: { selected: [...DEFAULT_SERVICE_SELECTION, 'Dynamic Analysis'], excluded: ['Internet Connected'] },
    },
    restricted_params: restricted(),
  },
  {
    name: 'static_with_internet',
    display_name: 'Internet-Connected Static Analysis',
    description:
      'Combine traditional static analysis techniques with internet-connected services to gather additional ' +
      'information and context about the file being analyzed.',
    params: {
      services: { selected: [...DEFAULT_SERVICE_SELECTION, 'Internet Connected'], excluded: ['Dynamic Analysis'] },
    },
    restricted_params: restricted(),
  },
];

/** Name under which users with submission_customize keep their own settings (Assemblyline's "default"). */
export const CUSTOM_PROFILE_NAME = 'default';

/** How the reserved custom profile is shown; it has no params and no restrictions. */
export const CUSTOM_PROFILE = {
  name: CUSTOM_PROFILE_NAME,
  display_name: 'Custom Analysis',
  description: 'Choose every submission parameter yourself (users with the submission_customize role only).',
} as const;

/** The profiles in force: the configured ones, or the built-in three when the configuration has none. */
export function effectiveProfiles(configured: readonly SubmissionProfileConfig[] | undefined): readonly SubmissionProfileConfig[] {
  return configured && configured.length > 0 ? configured : DEFAULT_SUBMISSION_PROFILES;
}
