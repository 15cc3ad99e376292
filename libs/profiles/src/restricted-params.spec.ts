import { RestrictedParameterChange } from './profile-errors';
import { assertNoRestrictedChanges } from './restricted-params';

const profile = {
  display_name: 'Static Analysis',
  restricted_params: { submission: ['classification', 'deep_scan', 'services'], Extract: ['continue_after_extract', 'password'] },
};

describe('assertNoRestrictedChanges', () => {
  it('lets unrestricted changes through', () => {
    expect(() => assertNoRestrictedChanges(profile, { priority: 5, service_spec: { Extract: { other: 1 }, Other: { password: 'x' } } })).not.toThrow();
  });

  it('refuses restricted submission parameters, naming every one changed', () => {
    expect(() => assertNoRestrictedChanges(profile, { deep_scan: true, classification: 'X', priority: 1 })).toThrow(
      new RestrictedParameterChange(['classification', 'deep_scan'], 'Static Analysis'),
    );
  });

  it('leaves services and service_spec to their own rules even when listed under "submission"', () => {
    expect(() => assertNoRestrictedChanges(profile, { services: { selected: ['x'] } })).not.toThrow();
  });

  it('refuses restricted service parameters', () => {
    expect(() => assertNoRestrictedChanges(profile, { service_spec: { Extract: { password: 'infected' } } })).toThrow(
      'User isn\'t allowed to modify the "password" parameters of "Extract" service in "Static Analysis" profile',
    );
  });

  it('reports the first offending entry in configuration order', () => {
    const reversed = { display_name: 'P', restricted_params: { Extract: ['password'], submission: ['deep_scan'] } };
    expect(() => assertNoRestrictedChanges(reversed, { deep_scan: true, service_spec: { Extract: { password: 'x' } } })).toThrow(
      'User isn\'t allowed to modify the "password" parameters of "Extract" service in "P" profile',
    );
  });
});
