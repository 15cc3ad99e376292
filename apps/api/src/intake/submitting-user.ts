import type { SubmissionParamsInput, SubmittingUser } from '@hopper/profiles';
import type { AuthenticatedUser } from '../auth/auth.service';

/** The caller as the profile resolver sees them: roles of this request, groups, clearance, saved settings. */
export function submittingUser(auth: AuthenticatedUser): SubmittingUser {
  return {
    uname: auth.uname,
    roles: auth.roles,
    groups: auth.user.groups,
    classification: auth.user.classification,
    submission_profiles: auth.user.submission_settings as Record<string, SubmissionParamsInput>,
  };
}
