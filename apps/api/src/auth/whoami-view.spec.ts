import { join } from 'node:path';
import { ClassificationEngine, loadClassificationFile } from '@hopper/classification';
import { HopperConfig, loadConfig } from '@hopper/config';
import type { UserRecord } from '@hopper/datastore';
import type { AuthenticatedUser } from './auth.service';
import { whoamiView } from './whoami-view';

const ENFORCED = join(__dirname, '../../../../test/fixtures/classification/enforced.yml');
const env = { HOPPER_REDIS_URL: 'redis://127.0.0.1:1', HOPPER_MONGO_URL: 'mongodb://127.0.0.1:1/x' };

function configWith(overrides: Partial<HopperConfig['submission']> = {}): HopperConfig {
  const config = loadConfig({ env: { ...env, HOPPER_CLASSIFICATION: ENFORCED } });
  return { ...config, submission: { ...config.submission, ...overrides } };
}

function caller(user: Partial<UserRecord>, roles: string[]): AuthenticatedUser {
  const record = {
    uname: 'ann',
    name: 'Ann',
    email: null,
    type: ['user'],
    roles: [],
    groups: ['SOC'],
    classification: 'TLP:CLEAR',
    is_active: true,
    submission_daily_quota: null,
    submission_settings: {},
    ...user,
  } as unknown as UserRecord;
  return { uname: record.uname, user: record, roles, roles_limit: null };
}

describe('whoamiView', () => {
  const engine = new ClassificationEngine(loadClassificationFile(ENFORCED));

  it("answers Assemblyline's who_am_i fields: the account, c12nDef with enforce, and empty aliases and indexes", () => {
    const config = configWith();
    const view = whoamiView(caller({}, ['submission_create', 'submission_customize']), config, engine);
    expect(view).toMatchObject({
      username: 'ann',
      name: 'Ann',
      groups: ['SOC'],
      classification: 'TLP:CLEAR',
      is_admin: false,
      agrees_with_tos: null,
      avatar: null,
      api_daily_quota: config.ui.default_quotas.daily_api_calls,
      submission_daily_quota: config.ui.default_quotas.daily_submissions,
      classification_aliases: {},
      indexes: {},
    });
    expect(view.c12nDef).toMatchObject({ enforce: true, UNRESTRICTED: engine.UNRESTRICTED, RESTRICTED: engine.RESTRICTED });
    expect(whoamiView(caller({ submission_daily_quota: 7 }, ['administration']), config, engine)).toMatchObject({ is_admin: true, submission_daily_quota: 7 });
  });

  it('fills configuration from Hopper\'s configuration, and "off" values where Hopper has no such feature', () => {
    const config = configWith({
      file_sources: [
        { name: 'vt', hash_types: ['sha256', 'md5'], auto_select: true, url: 'https://vt.example/{INPUT}' },
        { name: 'secret', hash_types: ['sha256'], classification: 'TLP:AMBER', url: 'https://secret.example/{INPUT}' },
        { name: 'ticket', hash_types: ['ticket'], hash_patterns: { ticket: '^T-[0-9]+$' }, url: 'https://t.example/{INPUT}' },
      ] as HopperConfig['submission']['file_sources'],
    });
    const { configuration } = whoamiView(caller({}, ['submission_create']), config, engine);
    expect(configuration.submission).toMatchObject({ dtl: config.submission.dtl, max_dtl: config.submission.max_dtl, max_file_size: config.submission.max_file_size, verdicts: config.submission.verdicts });
    // Sources by hash type: every standard type listed; a source above the caller's clearance is left out.
    expect(configuration.submission.file_sources.sha256).toEqual({ pattern: '^[a-f0-9]{64}$', sources: ['vt'], auto_selected: ['vt'] });
    expect(configuration.submission.file_sources.sha1).toEqual({ pattern: '^[a-f0-9]{40}$', sources: [], auto_selected: [] });
    expect(configuration.submission.file_sources.ticket).toEqual({ pattern: '^T-[0-9]+$', sources: ['ticket'], auto_selected: [] });
    expect(Object.keys(configuration.submission.profiles)).toEqual(['static', 'static_with_dynamic', 'static_with_internet']);
    expect(configuration.submission.profiles.static).not.toHaveProperty('name');
    expect(configuration.ui).toMatchObject({ allow_url_submissions: config.ui.allow_url_submissions, enforce_quota: config.ui.enforce_quota, tos: false, apps: [], banner: null });
    expect(configuration.auth).toEqual({ apikey_max_dtl: null, allow_2fa: false, allow_apikeys: true, allow_extended_apikeys: false, allow_security_tokens: false });
    expect(configuration.retrohunt).toEqual({ enabled: false, dtl: 0, max_dtl: 0 });
    expect(configuration.user.types).not.toContain('custom');
    expect(configuration.user.role_dependencies.submitter).toEqual(expect.arrayContaining(['submission_create']));
  });

  it("settings: the user's saved submission settings for each profile it may use, the custom one for customisers", () => {
    const config = configWith();
    const saved = { default: { deep_scan: true }, static: { priority: 500 }, unknown_profile: { ttl: 1 } };
    const customiser = whoamiView(caller({ submission_settings: saved }, ['submission_create', 'submission_customize']), config, engine).settings;
    expect(customiser).toMatchObject({ download_encoding: 'cart', default_zip_password: config.ui.default_zip_password ?? 'infected', preferred_submission_profile: 'default', services: [], service_spec: [] });
    expect(customiser.submission_profiles).toEqual({ static: { priority: 500 }, static_with_dynamic: {}, static_with_internet: {}, default: { deep_scan: true } });
    const limited = whoamiView(caller({ submission_settings: saved }, ['submission_create']), config, engine).settings;
    expect(limited.preferred_submission_profile).toBe('static');
    expect(Object.keys(limited.submission_profiles)).toEqual(['static', 'static_with_dynamic', 'static_with_internet']);
  });
});
