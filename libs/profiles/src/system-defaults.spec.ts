import { DEFAULT_SERVICE_SELECTION } from './assemblyline-defaults';
import { SUBMISSION_PARAM_KEYS } from './submission-params';
import { systemDefaultParams } from './system-defaults';

describe('systemDefaultParams', () => {
  const defaults = systemDefaultParams({ default_max_extracted: 500, default_max_supplementary: 400, dtl: 30 }, 'TLP:CLEAR');

  it('has every SubmissionParams field', () => {
    expect(Object.keys(defaults).sort()).toEqual([...SUBMISSION_PARAM_KEYS].sort());
  });

  it('takes limits and days-to-live from the configuration and Assemblyline\'s defaults for the rest', () => {
    expect(defaults).toMatchObject({
      classification: 'TLP:CLEAR',
      max_extracted: 500,
      max_supplementary: 400,
      ttl: 30,
      priority: 1000,
      type: 'USER',
      deep_scan: false,
      ignore_cache: false,
      description: '',
      psid: null,
      services: { selected: [...DEFAULT_SERVICE_SELECTION], excluded: [], rescan: [], resubmit: [] },
      service_spec: {},
    });
  });

  it('gives each call its own lists', () => {
    const other = systemDefaultParams({ default_max_extracted: 1, default_max_supplementary: 1, dtl: 1 }, 'x');
    other.services.selected.push('changed');
    expect(defaults.services.selected).toEqual([...DEFAULT_SERVICE_SELECTION]);
  });
});
