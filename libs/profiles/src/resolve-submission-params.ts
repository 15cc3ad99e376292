import type { HopperConfig, SubmissionProfileConfig } from '@hopper/config';
import { ClassificationAccess } from './classification-access';
import { CUSTOM_PROFILE_NAME, effectiveProfiles } from './default-profiles';
import { finalizeIngestParams, IngestLimitsConfig, INGEST_SAFE_PARAM_KEYS, resetDangerousIngestParams } from './ingest-params';
import { enforceMaxDtl } from './max-dtl';
import { isPlainObject, PlainObject, recursiveDelta, recursiveUpdate, stripNulls } from './params-merge';
import { canCustomize, canUseProfile, isLimited } from './profile-access';
import { InvalidSubmissionParams, SubmissionProfileRequired, SubmissionProfileNotAllowed, UnknownSubmissionProfile } from './profile-errors';
import { assertNoRestrictedChanges } from './restricted-params';
import { assertNoExcludedSelected, ServiceInfo, withProfileExclusions } from './service-selection';
import { assertKnownParams, assertParamTypes } from './submission-params-check';
import { SERVICE_SELECTION_KEYS, SUBMISSION_PARAM_KEYS, SubmissionParams, SubmissionParamsInput } from './submission-params';
import { systemDefaultParams, SystemDefaultsConfig } from './system-defaults';

export interface ResolveConfig extends IngestLimitsConfig {
  submission: SystemDefaultsConfig & Pick<HopperConfig['submission'], 'profiles' | 'max_dtl'>;
}

/** The submitting user, with their saved per-profile settings (loaded by the caller). */
export interface SubmittingUser {
  uname: string;
  roles: readonly string[];
  groups: readonly string[];
  classification: string;
  /** Saved parameters by profile name; `default` holds a customiser's Custom Analysis settings. */
  submission_profiles?: Readonly<Record<string, SubmissionParamsInput>>;
}

/** What the request says about parameters (the API's data block). */
export interface SubmissionRequest {
  submission_profile?: string | null;
  params?: SubmissionParamsInput | null;
  /**
   * Settings sent in place of the user's saved ones for the profile (Assemblyline submit's `ui_params`, the
   * UI's start body), already converted with uiSettingsToParams. They are the user's layer, checked as such.
   */
  settings?: SubmissionParamsInput | null;
  /** Ingest only: the data block's top-level generate_alert. */
  generate_alert?: unknown;
}

export interface ResolveSubmissionParamsInput {
  endpoint: 'submit' | 'ingest';
  config: ResolveConfig;
  user: SubmittingUser;
  request: SubmissionRequest;
  classification: ClassificationAccess;
  /** The services known to Hopper; lets a limited user's selection of an excluded service be refused. */
  services?: readonly ServiceInfo[];
}

export interface ResolvedSubmissionParams {
  params: SubmissionParams;
  /** The profile applied, if any (a customiser may submit without one). */
  profile?: SubmissionProfileConfig;
}

function pickProfile(input: ResolveSubmissionParamsInput, profiles: readonly SubmissionProfileConfig[]) {
  const { user, request } = input;
  const requested = request.submission_profile ?? undefined;
  // Request bodies are JSON: a number, list or object here is the caller's mistake (the UI's start says so too).
  if (requested !== undefined && typeof requested !== 'string') {
    throw new InvalidSubmissionParams('submission_profile should be a string', 'submission_profile');
  }
  if (requested === undefined || requested === '') {
    if (!canCustomize(user)) throw new SubmissionProfileRequired(profiles.map((profile) => profile.name));
    return { profile: undefined, settingsKey: CUSTOM_PROFILE_NAME };
  }
  const profile = profiles.find((candidate) => candidate.name === requested);
  // A customiser may name a profile that does not exist (such as "default"): their own settings apply.
  if (!profile && !canCustomize(user)) throw new UnknownSubmissionProfile(requested);
  if (profile && !canUseProfile(profile, user, input.classification)) throw new SubmissionProfileNotAllowed(profile.name);
  return { profile, settingsKey: requested };
}

// Assemblyline's rule: the user's groups whose name appears in the submission's classification.
function defaultGroups(groups: readonly string[], classification: string): string[] {
  return groups.filter((group) => classification.includes(group));
}

function omit(object: PlainObject, keys: readonly string[]): PlainObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

/** The merged layers cut to the known parameters (typed once assertParamTypes has checked them). */
function known(merged: PlainObject): PlainObject {
  const params = Object.fromEntries(SUBMISSION_PARAM_KEYS.map((key) => [key, merged[key]]));
  const services = isPlainObject(merged.services) ? merged.services : {};
  params.services = Object.fromEntries(SERVICE_SELECTION_KEYS.map((key) => [key, services[key]]));
  return params;
}

const profileExclusions = (profile: SubmissionProfileConfig): string[] => profile.params.services?.excluded ?? [];

/**
 * What a limited user supplies (saved settings and request) may not change the profile's restricted
 * parameters, nor select a service the exclusions remove. Only a selection the user made is checked: the
 * profile's own combination of selected categories and excluded services is its author's choice.
 */
function holdToProfile(profile: SubmissionProfileConfig, baseline: PlainObject, supplied: PlainObject, services?: readonly ServiceInfo[]): void {
  assertNoRestrictedChanges(profile, recursiveDelta(baseline, supplied));
  const selection = isPlainObject(supplied.services) ? supplied.services : {};
  if (!services || !Array.isArray(selection.selected)) return;
  const own = Array.isArray(selection.excluded) ? (selection.excluded as string[]) : [];
  const excluded = withProfileExclusions(own, profileExclusions(profile));
  assertNoExcludedSelected(selection.selected as string[], excluded, services, profile.display_name);
}

/**
 * Resolves the effective parameters of a submission, as Assemblyline's update_submission_parameters does:
 *
 * 1. The profile: a user without submission_customize must name one that exists and that their clearance
 *    covers; a customiser without one uses their Custom Analysis ("default") settings.
 * 2. Layers, lowest first: system defaults; for ingest, the safe values of the dangerous parameters; the
 *    profile's params; the user's saved settings for that profile, or the settings the request sends in
 *    their place (dangerous ones ignored for ingest);
 *    the request's params.
 * 3. For limited users, what the saved settings and request change from the layers below the user may not
 *    touch the profile's restricted_params (an error, as in Assemblyline), nor select a service the
 *    profile excludes. The profile's exclusions always stay.
 * 4. System-set values: submitter, groups (when none given), ttl capped at max_dtl; for ingest, the
 *    Ingest API's final overrides (see finalizeIngestParams).
 */
export function resolveSubmissionParams(input: ResolveSubmissionParamsInput): ResolvedSubmissionParams {
  const { endpoint, config, user, request, classification } = input;
  const ingest = endpoint === 'ingest';
  const { profile, settingsKey } = pickProfile(input, effectiveProfiles(config.submission.profiles));

  let baseline: PlainObject = systemDefaultParams(config.submission, classification.UNRESTRICTED);
  if (ingest) baseline = resetDangerousIngestParams(baseline);
  if (profile) baseline = recursiveUpdate(baseline, stripNulls(profile.params as PlainObject));

  let saved = stripNulls((request.settings ?? user.submission_profiles?.[settingsKey] ?? {}) as PlainObject);
  const requested = stripNulls((request.params ?? {}) as PlainObject);
  assertKnownParams(saved);
  assertKnownParams(requested);
  if (ingest) saved = omit(saved, INGEST_SAFE_PARAM_KEYS);
  const supplied = recursiveUpdate(saved, requested);

  if (profile && isLimited(user)) holdToProfile(profile, baseline, supplied, input.services);

  const params = assertParamTypes(known(recursiveUpdate(baseline, supplied)));
  if (profile) params.services.excluded = withProfileExclusions(params.services.excluded, profileExclusions(profile));
  if (classification.normalize) params.classification = classification.normalize(params.classification);
  params.submitter = user.uname;
  if (supplied.groups === undefined) params.groups = defaultGroups(user.groups, params.classification);
  params.ttl = enforceMaxDtl(params.ttl, config.submission.max_dtl);

  return { params: ingest ? finalizeIngestParams(params, config, request.generate_alert) : params, profile };
}
