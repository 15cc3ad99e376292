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
  it('accepts well-typed parameters, control characters other than NUL included', () => {
    expect(() => assertParamTypes(valid())).not.toThrow();
    expect(() => assertParamTypes({ ...valid(), description: 'tab\there', service_spec: { Extract: { list: ['a', { b: 'c' }] } } })).not.toThrow();
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
    // What the datastore cannot hold: a NUL in any text, a `.` or leading `$` in a name.
    [{ description: 'a\u0000b' }, 'Invalid submission parameter "description": must not contain a NUL character'],
    [{ psid: '\u0000' }, 'Invalid submission parameter "psid": must not contain a NUL character'],
    [{ groups: ['ok', 'b\u0000'] }, 'Invalid submission parameter "groups": must not contain a NUL character'],
    [{ services: { selected: ['x\u0000'], excluded: [], rescan: [], resubmit: [] } }, 'Invalid submission parameter "services.selected": must not contain a NUL character'],
    [{ service_spec: { Extract: { password: 'a\u0000' } } }, 'Invalid submission parameter "service_spec.Extract.password": must not contain a NUL character'],
    [{ service_spec: { 'Ext.ract': { password: 'x' } } }, 'Invalid submission parameter "service_spec.Ext.ract": names may not contain \'.\' or a NUL character, nor start with \'$\''],
    [{ service_spec: { Extract: { $where: 'x' } } }, 'Invalid submission parameter "service_spec.Extract.$where": names may not contain \'.\' or a NUL character, nor start with \'$\''],
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
