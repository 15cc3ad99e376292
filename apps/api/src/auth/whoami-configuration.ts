import type { HopperConfig } from '@hopper/config';
import { DEFAULT_HASH_PATTERNS, sourcesVisibleTo } from '@hopper/file-sources';
import { canUseProfile, ClassificationAccess, effectiveProfiles } from '@hopper/profiles';
import { effectiveRoles, ROLES, USER_TYPES } from '@hopper/accounts';
import { API_SERVER_VERSION } from '../al-api/al-envelope';

/** The caller's clearance, and the engine's access check, which decide what whoami lists. */
export interface ClearanceCheck extends ClassificationAccess {
  userClassification: string;
}

/** One hash type of `configuration.submission.file_sources`: its pattern and the sources that take it. */
interface HashTypeSources {
  pattern: string;
  sources: string[];
  auto_selected: string[];
}

/**
 * The file sources the caller may use, by the hash type they take (Assemblyline's shape: every standard hash
 * type is listed, with no sources when none takes it; a source's custom type brings its own pattern).
 */
function fileSourcesByHashType(config: HopperConfig, clearance: ClearanceCheck): Record<string, HashTypeSources> {
  const byType: Record<string, HashTypeSources> = Object.fromEntries(
    Object.entries(DEFAULT_HASH_PATTERNS).map(([type, pattern]) => [type, { pattern: pattern.source, sources: [], auto_selected: [] }]),
  );
  for (const source of sourcesVisibleTo(clearance.userClassification, config.submission.file_sources, clearance)) {
    for (const type of source.hash_types) {
      byType[type] ??= { pattern: source.hash_patterns?.[type] ?? '', sources: [], auto_selected: [] };
      byType[type].sources.push(source.name);
      if (source.auto_select) byType[type].auto_selected.push(source.name);
    }
  }
  return byType;
}

/** The profiles the caller may use, as configured, without their name (the key) and classification. */
function visibleProfiles(config: HopperConfig, clearance: ClearanceCheck): Record<string, Record<string, unknown>> {
  const user = { roles: [], classification: clearance.userClassification };
  return Object.fromEntries(
    effectiveProfiles(config.submission.profiles)
      .filter((profile) => canUseProfile(profile, user, clearance))
      .map(({ name, classification: _classification, ...rest }) => [name, JSON.parse(JSON.stringify(rest)) as Record<string, unknown>]),
  );
}

/**
 * Assemblyline's `configuration` block of whoami (`api/v4/user.py`: `who_am_i`), with Hopper's values where
 * Hopper has the setting (submission limits and days to live, verdicts, file sources, profiles, metadata, the
 * UI flags Hopper reads) and, where a feature does not exist in Hopper (two-factor auth, security tokens,
 * retrohunt, the archive, AI, external links, terms of service), the value that says "off" or "none" in the
 * type Assemblyline uses.
 */
export function whoamiConfiguration(config: HopperConfig, clearance: ClearanceCheck) {
  const { submission, ui } = config;
  return {
    auth: {
      // Hopper's keys do not expire unless an administrator gives one an expiry: no maximum.
      apikey_max_dtl: null,
      allow_2fa: false,
      allow_apikeys: true,
      allow_extended_apikeys: false,
      allow_security_tokens: false,
    },
    core: { archiver: { alternate_dtl: 0 } },
    datastore: { archive: { enabled: false } },
    retrohunt: { enabled: false, dtl: 0, max_dtl: 0 },
    submission: {
      dtl: submission.dtl,
      max_dtl: submission.max_dtl,
      max_file_size: submission.max_file_size,
      file_sources: fileSourcesByHashType(config, clearance),
      profiles: visibleProfiles(config, clearance),
      verdicts: { ...submission.verdicts },
      metadata: { submit: submission.metadata.submit, archive: submission.metadata.archive },
    },
    system: { organisation: '', support: {}, type: '', version: API_SERVER_VERSION },
    ui: {
      ai: { enabled: false },
      alerting_meta: { important: [], subject: [], url: [] },
      allow_malicious_hinting: ui.allow_malicious_hinting,
      allow_raw_downloads: true,
      allow_zip_downloads: true,
      allow_replay: false,
      allow_url_submissions: ui.allow_url_submissions,
      api_proxies: {},
      apps: [],
      banner: null,
      banner_level: 'info',
      enforce_quota: ui.enforce_quota,
      external_links: {},
      external_sources: [],
      external_source_tags: {},
      fqdn: '',
      read_only: false,
      rss_feeds: [],
      services_feed: '',
      community_feed: '',
      tos: false,
      tos_lockout: false,
      tos_lockout_notify: false,
      url_submission_auto_service_selection: [...ui.url_submission_auto_service_selection],
    },
    user: {
      // Hopper has no API-key privilege letters nor privilege-to-role tables.
      api_priv_map: {},
      priv_role_dependencies: {},
      roles: [...ROLES],
      role_dependencies: Object.fromEntries(USER_TYPES.filter((type) => type !== 'custom').map((type) => [type, effectiveRoles([type], [])])),
      types: USER_TYPES.filter((type) => type !== 'custom'),
    },
  };
}
