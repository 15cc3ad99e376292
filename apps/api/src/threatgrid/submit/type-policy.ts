import type { ThreatGridConfig } from '@hopper/config';
import type { UserRecord } from '@hopper/datastore';
import { typeMatches } from '@hopper/services';
import type { Organization } from '../account/organization';

/** Whether the user submits automatically (html and js are then off by default). */
export function isAutomatedSubmitter(user: Pick<UserRecord, 'uname' | 'type'>, config: ThreatGridConfig): boolean {
  return config.users[user.uname]?.automated ?? user.type.some((type) => config.automated_user_types.includes(type));
}

/**
 * Why a file of this type may not be submitted by this user, or null when it may: the user's allowed types
 * (else the organization's) must match it, and an automated submitter's denied types must not.
 */
export function typeRefusal(fileType: string, user: Pick<UserRecord, 'uname' | 'type'>, organization: Organization, config: ThreatGridConfig): string | null {
  const userAllowed = config.users[user.uname]?.allowed_types ?? null;
  const allowed = userAllowed ?? organization.policy?.allowed_types ?? null;
  if (allowed && !allowed.some((pattern) => typeMatches(pattern, fileType))) {
    const whose = userAllowed ? `user ${user.uname}` : `organization ${organization.name}`;
    return `File type ${fileType} is not among the types ${whose} may submit (${allowed.join(', ')}).`;
  }
  if (isAutomatedSubmitter(user, config) && config.automated_denied_types.some((pattern) => typeMatches(pattern, fileType))) {
    return `File type ${fileType} is not submitted automatically (threatgrid.automated_denied_types: ${config.automated_denied_types.join(', ')}).`;
  }
  return null;
}
