import type { SubmissionProfileConfig } from '@hopper/config';
import { ClassificationAccess } from './classification-access';
import { CUSTOM_PROFILE } from './default-profiles';
import { ADMINISTRATION_ROLE, SUBMISSION_CUSTOMIZE_ROLE } from './user-roles';

/** The parts of a user that profile resolution reads. */
export interface ProfileUser {
  roles: readonly string[];
  classification: string;
}

export const canCustomize = (user: Pick<ProfileUser, 'roles'>): boolean => user.roles.includes(SUBMISSION_CUSTOMIZE_ROLE);

/** Users held to profiles' restricted parameters: neither customisers nor administrators. */
export const isLimited = (user: Pick<ProfileUser, 'roles'>): boolean =>
  !canCustomize(user) && !user.roles.includes(ADMINISTRATION_ROLE);

/** A profile without a classification is open to all (Assemblyline defaults it to UNRESTRICTED). */
export function canUseProfile(
  profile: Pick<SubmissionProfileConfig, 'classification'>,
  user: ProfileUser,
  access: ClassificationAccess,
): boolean {
  return profile.classification === undefined || access.isAccessible(user.classification, profile.classification);
}

export interface ProfileChoice {
  name: string;
  display_name: string;
  description?: string | null;
}

/** The profiles a user may pick: those their clearance covers, then Custom Analysis for customisers. */
export function availableProfiles(
  profiles: readonly SubmissionProfileConfig[],
  user: ProfileUser,
  access: ClassificationAccess,
): ProfileChoice[] {
  const choices: ProfileChoice[] = profiles
    .filter((profile) => canUseProfile(profile, user, access))
    .map(({ name, display_name, description }) => ({ name, display_name, description }));
  if (canCustomize(user)) choices.push({ ...CUSTOM_PROFILE });
  return choices;
}
