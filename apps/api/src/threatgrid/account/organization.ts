import type { ThreatGridConfig } from '@hopper/config';
import type { UserRecord } from '@hopper/datastore';

export interface Organization {
  name: string;
  /** Threat Grid's integer organization_id (0 for an organization the configuration does not list). */
  id: number;
  policy: ThreatGridConfig['organizations'][string] | null;
}

/**
 * The caller's organization: the one its account names, else threatgrid.default_organization. An account may
 * name one the configuration does not list: it is still its own organization (dedupe, privacy), without
 * limits or type policy of its own.
 */
export function organizationOf(user: Pick<UserRecord, 'organization'>, config: ThreatGridConfig): Organization {
  const name = user.organization || config.default_organization;
  const policy = config.organizations[name] ?? null;
  return { name, id: policy?.id ?? 0, policy };
}
