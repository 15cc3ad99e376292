import type { ClassificationEngine } from '@hopper/classification';
import type { HopperConfig } from '@hopper/config';
import type { AuthenticatedUser } from './auth.service';
import { ClearanceCheck, whoamiConfiguration } from './whoami-configuration';
import { whoamiSettings } from './whoami-settings';

/**
 * `GET /api/v4/user/whoami/` as Assemblyline's `who_am_i` answers it: the caller's account fields, the parsed
 * classification definition (`c12nDef`, whose `enforce` tells clients whether classification applies), the
 * classification aliases, the system configuration, the search indexes and the user's settings. Hopper defines
 * no classification aliases and has no search indexes: both are empty objects. `roles_limit` (the API key's
 * role limit) is Hopper's.
 */
export function whoamiView(auth: AuthenticatedUser, config: HopperConfig, engine: ClassificationEngine) {
  const { user } = auth;
  const clearance: ClearanceCheck = {
    userClassification: user.classification,
    UNRESTRICTED: engine.UNRESTRICTED,
    isAccessible: (userC12n, item) => engine.isAccessible(userC12n, item, { ignoreInvalid: true }),
  };
  return {
    username: user.uname,
    name: user.name,
    email: user.email,
    type: user.type,
    roles: auth.roles,
    groups: user.groups,
    classification: user.classification,
    is_active: user.is_active,
    is_admin: auth.roles.includes('administration'),
    // Hopper has no terms of service to agree to, and no avatars.
    agrees_with_tos: null,
    avatar: null,
    // Daily limits as configured (0: none). Hopper has no per-user API quota; the submission one is the user's, else the default.
    api_daily_quota: config.ui.default_quotas.daily_api_calls,
    submission_daily_quota: user.submission_daily_quota ?? config.ui.default_quotas.daily_submissions,
    roles_limit: auth.roles_limit,
    c12nDef: engine.parsedDefinition(),
    classification_aliases: {},
    configuration: whoamiConfiguration(config, clearance),
    indexes: {},
    settings: whoamiSettings(user, auth.roles, config, clearance),
  };
}
