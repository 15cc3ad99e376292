import { ClassificationAccess } from './classification-access';
import { DEFAULT_SUBMISSION_PROFILES } from './default-profiles';
import { availableProfiles, canUseProfile, isLimited } from './profile-access';

const access: ClassificationAccess = {
  UNRESTRICTED: 'TLP:CLEAR',
  isAccessible: (user, item) => item === 'TLP:CLEAR' || user === item,
};
const groupA = { name: 'a_only', display_name: 'Group A', classification: 'REL A', params: {}, restricted_params: {} };

describe('profile access', () => {
  it('opens an unclassified profile to everyone and a classified one to cleared users only', () => {
    const user = { roles: [], classification: 'TLP:CLEAR' };
    expect(canUseProfile(DEFAULT_SUBMISSION_PROFILES[0], user, access)).toBe(true);
    expect(canUseProfile(groupA, user, access)).toBe(false);
    expect(canUseProfile(groupA, { roles: [], classification: 'REL A' }, access)).toBe(true);
  });

  it('holds only users without submission_customize or administration to restrictions', () => {
    expect(isLimited({ roles: ['submission_create'] })).toBe(true);
    expect(isLimited({ roles: ['submission_customize'] })).toBe(false);
    expect(isLimited({ roles: ['administration'] })).toBe(false);
  });

  it('lists the accessible profiles, then Custom Analysis for customisers', () => {
    const profiles = [...DEFAULT_SUBMISSION_PROFILES, groupA];
    expect(availableProfiles(profiles, { roles: [], classification: 'TLP:CLEAR' }, access).map((p) => p.name)).toEqual([
      'static',
      'static_with_dynamic',
      'static_with_internet',
    ]);
    expect(availableProfiles(profiles, { roles: ['submission_customize'], classification: 'REL A' }, access).map((p) => p.display_name)).toEqual([
      'Static Analysis',
      'Static + Dynamic Analysis',
      'Internet-Connected Static Analysis',
      'Group A',
      'Custom Analysis',
    ]);
  });
});
