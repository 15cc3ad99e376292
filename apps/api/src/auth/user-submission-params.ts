import { BadRequestException } from '@nestjs/common';
import type { ClassificationEngine } from '@hopper/classification';
import type { HopperConfig } from '@hopper/config';
import type { UserRecord } from '@hopper/datastore';
import { availableProfiles, effectiveProfiles, resolveSubmissionParams, SubmissionParams, SubmissionParamsInput } from '@hopper/profiles';

/** The user whose parameters are asked for, with the roles they hold (for the caller: those of this request). */
export interface ParamsOwner {
  user: UserRecord;
  roles: readonly string[];
}

/** Python's `repr()` of a list of names, as Assemblyline's message shows it. */
const pythonList = (names: readonly string[]): string => `[${names.map((name) => `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;

/**
 * Assemblyline's `get_user_submission_params` (`GET /api/v4/user/submission_params/<username>/<profile>/`, read
 * by al-submit -d): the parameters a submission through `profile` would get from the user's saved settings for
 * it, resolved over the system defaults and the profile as a submission resolves them, with `submitter` the
 * user and `groups` all of the user's groups (as Assemblyline answers). The profiles are those the user may
 * pick; "default" (Custom Analysis) only for users who may customise, as in Assemblyline; another name is a
 * 400 listing them.
 */
export function userSubmissionParams(owner: ParamsOwner, profile: string, config: HopperConfig, engine: ClassificationEngine): SubmissionParams {
  const { user, roles } = owner;
  const names = availableProfiles(effectiveProfiles(config.submission.profiles), { roles, classification: user.classification }, engine).map((choice) => choice.name);
  if (!names.includes(profile)) {
    throw new BadRequestException(`Submission profile '${profile}' does not exist for user: ${user.uname}. Select one of ${pythonList(names)}.`);
  }
  const { params } = resolveSubmissionParams({
    endpoint: 'submit',
    config,
    user: {
      uname: user.uname,
      roles,
      groups: user.groups,
      classification: user.classification,
      submission_profiles: user.submission_settings as Record<string, SubmissionParamsInput>,
    },
    request: { submission_profile: profile },
    classification: engine,
  });
  return { ...params, submitter: user.uname, groups: [...user.groups] };
}
