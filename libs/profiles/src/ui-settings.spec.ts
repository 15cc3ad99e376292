import { uiSettingsToParams } from './ui-settings';

describe('uiSettingsToParams', () => {
  it('turns the UI service list into the selection: whole categories by name, else their selected services', () => {
    const params = uiSettingsToParams({
      services: [
        { name: 'Static Analysis', selected: true, services: [{ name: 'PE', selected: true }] },
        { name: 'Dynamic Analysis', selected: false, services: [{ name: 'CAPE', selected: true }, { name: 'Other', selected: false }] },
        { name: 'Networking', selected: false },
      ],
    });
    expect(params.services).toEqual({ selected: ['Static Analysis', 'CAPE'] });
  });

  it('keeps only service parameters whose value differs from their default', () => {
    const params = uiSettingsToParams({
      service_spec: [
        { name: 'Extract', params: [{ name: 'password', value: 'infected', default: '' }, { name: 'depth', value: 3, default: 3 }] },
        { name: 'CAPE', params: [{ name: 'routing', value: 'none', default: 'none' }] },
      ],
    });
    expect(params.service_spec).toEqual({ Extract: { password: 'infected' } });
  });

  it('drops UI-only settings, leaves parameters (and anything unknown, for the resolver to refuse)', () => {
    const params = uiSettingsToParams({
      download_encoding: 'cart',
      default_zip_password: 'infected',
      submission_view: 'report',
      expand_min_score: 500,
      executive_summary: true,
      preferred_submission_profile: 'static',
      default_external_sources: [],
      submission_profiles: {},
      deep_scan: true,
      ttl: 5,
      services: { selected: ['Extraction'] },
      surprise: 1,
    });
    expect(params).toEqual({ deep_scan: true, ttl: 5, services: { selected: ['Extraction'] }, surprise: 1 });
  });
});
