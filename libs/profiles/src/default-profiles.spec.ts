import { loadConfig } from '@hopper/config';
import { DEFAULT_RESTRICTED_PARAMS, DEFAULT_SERVICE_SELECTION } from './assemblyline-defaults';
import { CUSTOM_PROFILE, CUSTOM_PROFILE_NAME, DEFAULT_SUBMISSION_PROFILES, effectiveProfiles } from './default-profiles';

describe('built-in submission profiles', () => {
  it('are Assemblyline\'s three, each with a display name, a description and the default restrictions', () => {
    expect(DEFAULT_SUBMISSION_PROFILES.map((p) => [p.name, p.display_name])).toEqual([
      ['static', 'Static Analysis'],
      ['static_with_dynamic', 'Static + Dynamic Analysis'],
      ['static_with_internet', 'Internet-Connected Static Analysis'],
    ]);
    for (const profile of DEFAULT_SUBMISSION_PROFILES) {
      expect(profile.description).toEqual(expect.any(String));
      expect(profile.restricted_params).toEqual(DEFAULT_RESTRICTED_PARAMS);
      expect(profile.classification).toBeUndefined();
    }
    expect(DEFAULT_SUBMISSION_PROFILES[0].params.services).toEqual({
      selected: [...DEFAULT_SERVICE_SELECTION],
      excluded: ['Dynamic Analysis', 'Internet Connected'],
    });
    expect(DEFAULT_SUBMISSION_PROFILES[1].params.services?.selected).toContain('Dynamic Analysis');
    expect(DEFAULT_SUBMISSION_PROFILES[2].params.services?.selected).toContain('Internet Connected');
  });

  it('reserve "default" as Custom Analysis', () => {
    expect(CUSTOM_PROFILE).toMatchObject({ name: CUSTOM_PROFILE_NAME, display_name: 'Custom Analysis' });
    expect(CUSTOM_PROFILE_NAME).toBe('default');
  });

  it('apply only when the configuration names no profile', () => {
    expect(effectiveProfiles([])).toBe(DEFAULT_SUBMISSION_PROFILES);
    expect(effectiveProfiles(undefined)).toBe(DEFAULT_SUBMISSION_PROFILES);
    const mine = [{ name: 'mine', display_name: 'Mine', params: {}, restricted_params: {} }];
    expect(effectiveProfiles(mine)).toBe(mine);
  });

  it('are what config/hopper.yml ships', () => {
    const shipped = loadConfig({ env: {} }).submission.profiles;
    expect(shipped).toEqual(DEFAULT_SUBMISSION_PROFILES);
  });
});
