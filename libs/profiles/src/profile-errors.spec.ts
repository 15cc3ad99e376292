import {
  ExcludedServiceSelected,
  InvalidSubmissionParams,
  RestrictedParameterChange,
  SubmissionParamsError,
  SubmissionProfileNotAllowed,
  SubmissionProfileRequired,
  UnknownSubmissionProfile,
} from './profile-errors';

describe('profile errors carry Assemblyline\'s texts', () => {
  it.each([
    [new SubmissionProfileRequired(['static', 'static_with_dynamic']), "You must specify a submission profile. One of: ['static', 'static_with_dynamic']", 'profile_required'],
    [new SubmissionProfileRequired([]), 'You must specify a submission profile. One of: []', 'profile_required'],
    [new UnknownSubmissionProfile('nope'), "Submission profile 'nope' does not exist", 'unknown_profile'],
    [new SubmissionProfileNotAllowed('secret'), "You aren't allowed to use 'secret' submission profile", 'profile_not_allowed'],
    [
      new RestrictedParameterChange(['classification', 'deep_scan'], 'Static Analysis'),
      'User isn\'t allowed to modify the "classification", "deep_scan" parameters of Static Analysis profile',
      'restricted_parameter',
    ],
    [
      new RestrictedParameterChange(['continue_after_extract'], 'Static Analysis', 'Extract'),
      'User isn\'t allowed to modify the "continue_after_extract" parameters of "Extract" service in "Static Analysis" profile',
      'restricted_parameter',
    ],
    [
      new ExcludedServiceSelected('Cuckoo', 'Dynamic Analysis', 'Static Analysis'),
      'User isn\'t allowed to select the Cuckoo service of "Dynamic Analysis" in "Static Analysis" profile',
      'excluded_service',
    ],
    [new InvalidSubmissionParams('generate_alert should be a boolean'), 'generate_alert should be a boolean', 'invalid_parameter'],
  ])('%s', (error, message, kind) => {
    expect(error).toBeInstanceOf(SubmissionParamsError);
    expect(error.message).toBe(message);
    expect(error.kind).toBe(kind);
    expect(error.name).toBe(error.constructor.name);
  });
});
