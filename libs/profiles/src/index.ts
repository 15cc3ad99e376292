// Submission-profile resolution: the effective parameters of a submission (pure: no I/O).
export { DEFAULT_RESTRICTED_PARAMS, DEFAULT_SERVICE_SELECTION } from './assemblyline-defaults';
export type { ClassificationAccess } from './classification-access';
export { CUSTOM_PROFILE, CUSTOM_PROFILE_NAME, DEFAULT_SUBMISSION_PROFILES, effectiveProfiles } from './default-profiles';
export {
  finalizeIngestParams,
  INGEST_DEFAULT_PRIORITY,
  INGEST_SAFE_PARAM_KEYS,
  INGEST_SAFE_PARAMS,
  resetDangerousIngestParams,
} from './ingest-params';
export type { IngestLimitsConfig } from './ingest-params';
export { enforceMaxDtl } from './max-dtl';
export { availableProfiles, canCustomize, canUseProfile, isLimited } from './profile-access';
export type { ProfileChoice, ProfileUser } from './profile-access';
export {
  ExcludedServiceSelected,
  InvalidSubmissionParams,
  RestrictedParameterChange,
  SubmissionParamsError,
  SubmissionProfileNotAllowed,
  SubmissionProfileRequired,
  UnknownSubmissionProfile,
} from './profile-errors';
export type { SubmissionParamsErrorKind } from './profile-errors';
export { resolveSubmissionParams } from './resolve-submission-params';
export type {
  ResolveConfig,
  ResolvedSubmissionParams,
  ResolveSubmissionParamsInput,
  SubmissionRequest,
  SubmittingUser,
} from './resolve-submission-params';
export { assertNoRestrictedChanges } from './restricted-params';
export { assertNoExcludedSelected, withProfileExclusions } from './service-selection';
export type { ServiceInfo } from './service-selection';
export { SERVICE_SELECTION_KEYS, SUBMISSION_PARAM_KEYS } from './submission-params';
export type { ServiceSelection, ServiceSpec, SubmissionParams, SubmissionParamsInput } from './submission-params';
export { systemDefaultParams } from './system-defaults';
export type { SystemDefaultsConfig } from './system-defaults';
export { ADMINISTRATION_ROLE, SUBMISSION_CUSTOMIZE_ROLE } from './user-roles';
export { UI_ONLY_SETTINGS, uiSettingsToParams } from './ui-settings';
