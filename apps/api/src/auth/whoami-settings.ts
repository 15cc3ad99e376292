import type { HopperConfig } from '@hopper/config';
import type { UserRecord } from '@hopper/datastore';
import { availableProfiles, canCustomize, CUSTOM_PROFILE_NAME, effectiveProfiles } from '@hopper/profiles';
import { DEFAULT_DOWNLOAD_ENCODING, DEFAULT_ZIP_PASSWORD } from '../files/download-options';
import type { ClearanceCheck } from './whoami-configuration';

/**
 * Assemblyline's user settings (`UserSettings`, as `load_user_settings` answers them in whoami) for a Hopper
 * user. Hopper keeps only the submission settings a user saved, by profile name: `submission_profiles` holds
 * them for each profile the user may use (`{}` where nothing was saved; the effective parameters are resolved
 * when a submission is made). The display preferences are Assemblyline's defaults, which Hopper applies too
 * (CaRT downloads, the configured zip password). Hopper's service list lives with the dispatcher, so
 * `services` and `service_spec` are empty lists.
 */
export function whoamiSettings(user: UserRecord, roles: readonly string[], config: HopperConfig, clearance: ClearanceCheck) {
  const saved = (user.submission_settings ?? {}) as Record<string, unknown>;
  const profileUser = { roles, classification: clearance.userClassification };
  const profiles = availableProfiles(effectiveProfiles(config.submission.profiles), profileUser, clearance).map((profile) => profile.name);
  const submissionProfiles = Object.fromEntries(profiles.map((name) => [name, isObject(saved[name]) ? saved[name] : {}]));
  return {
    download_encoding: DEFAULT_DOWNLOAD_ENCODING,
    default_external_sources: [] as string[],
    default_zip_password: config.ui.default_zip_password ?? DEFAULT_ZIP_PASSWORD,
    default_metadata: {},
    executive_summary: true,
    expand_min_score: 500,
    // Assemblyline's choice when the user named none: the custom profile for customisers, else the first one.
    preferred_submission_profile: canCustomize({ roles }) ? CUSTOM_PROFILE_NAME : (profiles[0] ?? null),
    submission_profiles: submissionProfiles,
    submission_view: 'report',
    service_spec: [] as unknown[],
    services: [] as unknown[],
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
