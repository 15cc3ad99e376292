import { InvalidSubmissionParams } from './profile-errors';
import { assertKnownParams, assertParamTypes } from './submission-params-check';
import { SubmissionParams } from './submission-params';
import { systemDefaultParams } from './system-defaults';

const valid = (): SubmissionParams => systemDefaultParams({ default_max_extracted: 1, default_max_supplementary: 1, dtl: 1 }, 'TLP:CLEAR');

describe('assertKnownParams', () => {
  it('accepts SubmissionParams names', () => {
    expect(() => assertKnownParams({ deep_scan: true, services: { selected: [], resubmit: [] } })).not.toThrow();
  });

  it('refuses unknown names, listing them', () => {
    expect(() => assertKnownParams({ deep_scna: true, foo: 1 })).toThrow(new InvalidSubmissionParams('Unknown submission parameters: "deep_scna", "foo"'));
    expect(() => assertKnownParams({ services: { chosen: [] } })).toThrow('Unknown submission parameters: "services.chosen"');
    expect(() => assertKnownParams({ services: ['x'] })).toThrow('Invalid submission parameter "services": must be an object');
  });
});

describe('assertParamTypes', () => {
  it('accepts well-typed parameters', () => {
    expect(() => assertParamTypes(valid())).not.toThrow();
  });

  it.each([
    [{ deep_scan: 'yes' }, 'Invalid submission parameter "deep_scan": must be true or false'],
    [{ ttl: -1 }, 'Invalid submission parameter "ttl": must be a non-negative integer'],
    [{ max_extracted: 1.5 }, 'Invalid submission parameter "max_extracted": must be a non-negative integer'],
    [{ priority: '5' }, 'Invalid submission parameter "priority": must be an integer'],
    [{ classification: 1 }, 'Invalid submission parameter "classification": must be a string'],
    [{ psid: 5 }, 'Invalid submission parameter "psid": must be a string'],
    [{ groups: [1] }, 'Invalid submission parameter "groups": must be a list of strings'],
    [{ services: { selected: 'x', excluded: [], rescan: [], resubmit: [] } }, 'Invalid submission parameter "services.selected": must be a list of strings'],
    [{ service_spec: { Extract: 'x' } }, 'Invalid submission parameter "service_spec": must map service names to parameter objects'],
  ])('refuses %p', (change, message) => {
    const error = (() => {
      try {
        assertParamTypes({ ...valid(), ...(change as object) } as SubmissionParams);
      } catch (caught) {
        return caught as InvalidSubmissionParams;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(InvalidSubmissionParams);
    expect(error.message).toBe(message);
  });
});
