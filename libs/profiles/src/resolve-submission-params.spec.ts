import type { SubmissionProfileConfig } from '@hopper/config';
import { ClassificationAccess } from './classification-access';
import { DEFAULT_RESTRICTED_PARAMS, DEFAULT_SERVICE_SELECTION } from './assemblyline-defaults';
import {
  ExcludedServiceSelected,
  InvalidSubmissionParams,
  RestrictedParameterChange,
  SubmissionProfileNotAllowed,
  SubmissionProfileRequired,
  UnknownSubmissionProfile,
} from './profile-errors';
import {
  ResolveConfig,
  resolveSubmissionParams,
  ResolveSubmissionParamsInput,
  SubmissionRequest,
  SubmittingUser,
} from './resolve-submission-params';
import { ServiceInfo } from './service-selection';

const GROUP_A = 'TLP:CLEAR//REL TO GROUPA';

// A stand-in engine: the unrestricted level is open to all, anything else only to that exact clearance.
const access: ClassificationAccess = {
  UNRESTRICTED: 'TLP:CLEAR',
  isAccessible: (user, item) => item === 'TLP:CLEAR' || user === item,
  normalize: (classification) => classification.toUpperCase(),
};

// The documentation's example profile, one with a preset ingest type, and one with default restrictions.
const staticProfile: SubmissionProfileConfig = {
  name: 'static',
  display_name: 'Static Analysis',
  description: 'static only',
  classification: GROUP_A,
  restricted_params: { submission: ['classification'], Extract: ['continue_after_extract'] },
  params: {
    services: { selected: ['Static Analysis', 'Extract'], excluded: ['Dynamic Analysis'] },
    service_spec: { Extract: { password: 'infected' } },
  },
};
const collection: SubmissionProfileConfig = {
  name: 'data_collection_profile',
  display_name: 'Data Collection',
  params: { type: 'data_collection' },
  restricted_params: {},
};
const open: SubmissionProfileConfig = {
  name: 'open',
  display_name: 'Open',
  params: { priority: 500, deep_scan: true },
  restricted_params: { ...DEFAULT_RESTRICTED_PARAMS } as Record<string, string[]>,
};

function config(profiles: SubmissionProfileConfig[] = [staticProfile, collection, open], maxDtl = 0): ResolveConfig {
  return {
    submission: { profiles, dtl: 30, max_dtl: maxDtl, default_max_extracted: 500, default_max_supplementary: 500 },
    ui: { ingest_max_priority: 250 },
    core: { ingester: { default_max_extracted: 100, default_max_supplementary: 100 } },
  };
}

const limited: SubmittingUser = { uname: 'limited', roles: ['submission_create'], groups: ['GROUPA', 'USERS'], classification: GROUP_A };
const outsider: SubmittingUser = { uname: 'outsider', roles: ['submission_create'], groups: ['USERS'], classification: 'TLP:CLEAR' };
const customizer: SubmittingUser = { ...limited, uname: 'custom', roles: ['submission_create', 'submission_customize'] };
const admin: SubmittingUser = { ...limited, uname: 'admin', roles: ['administration'] };

const catalog: ServiceInfo[] = [
  { name: 'Extract', category: 'Extraction' },
  { name: 'Cuckoo', category: 'Dynamic Analysis' },
];

function resolve(user: SubmittingUser, request: SubmissionRequest, extra: Partial<ResolveSubmissionParamsInput> = {}) {
  return resolveSubmissionParams({ endpoint: 'submit', config: config(), user, request, classification: access, ...extra });
}

describe('resolveSubmissionParams: choosing the profile', () => {
  it('requires a limited user to name a profile, listing every configured one', () => {
    expect(() => resolve(limited, {})).toThrow(
      new SubmissionProfileRequired(['static', 'data_collection_profile', 'open']),
    );
    expect(() => resolve(limited, { submission_profile: '' })).toThrow(SubmissionProfileRequired);
    expect(() => resolve(limited, { submission_profile: null })).toThrow(
      "You must specify a submission profile. One of: ['static', 'data_collection_profile', 'open']",
    );
  });

  it.each([42, true, ['static'], { name: 'static' }])('refuses a submission_profile that is not a string (%j), whoever asks', (profile) => {
    const request = { submission_profile: profile } as unknown as SubmissionRequest;
    expect(() => resolve(limited, request)).toThrow(new InvalidSubmissionParams('submission_profile should be a string', 'submission_profile'));
    expect(() => resolve(outsider, request)).toThrow('submission_profile should be a string');
  });

  it('refuses a profile that does not exist, including the reserved "default" for limited users', () => {
    expect(() => resolve(limited, { submission_profile: 'nope' })).toThrow(new UnknownSubmissionProfile('nope'));
    expect(() => resolve(limited, { submission_profile: 'default' })).toThrow("Submission profile 'default' does not exist");
  });

  it('refuses a profile the user\'s clearance does not cover, whatever their roles', () => {
    expect(() => resolve(outsider, { submission_profile: 'static' })).toThrow(new SubmissionProfileNotAllowed('static'));
    expect(() => resolve({ ...outsider, roles: ['submission_customize'] }, { submission_profile: 'static' })).toThrow(
      "You aren't allowed to use 'static' submission profile",
    );
  });

  it('falls back to Assemblyline\'s built-in profiles when the configuration names none', () => {
    const input = { endpoint: 'submit' as const, config: config([]), user: limited, classification: access };
    expect(() => resolveSubmissionParams({ ...input, request: {} })).toThrow(
      "You must specify a submission profile. One of: ['static', 'static_with_dynamic', 'static_with_internet']",
    );
    const { params, profile } = resolveSubmissionParams({ ...input, request: { submission_profile: 'static_with_dynamic' } });
    expect(profile?.display_name).toBe('Static + Dynamic Analysis');
    expect(params.services.selected).toEqual([...DEFAULT_SERVICE_SELECTION, 'Dynamic Analysis']);
    expect(params.services.excluded).toEqual(['Internet Connected']);
  });
});

describe('resolveSubmissionParams: layering', () => {
  it('starts from the system defaults and the profile\'s params, and sets the submitter', () => {
    const { params, profile } = resolve(limited, { submission_profile: 'static' });
    expect(profile).toBe(staticProfile);
    expect(params).toMatchObject({
      classification: 'TLP:CLEAR',
      submitter: 'limited',
      priority: 1000,
      ttl: 30,
      type: 'USER',
      max_extracted: 500,
      services: { selected: ['Static Analysis', 'Extract'], excluded: ['Dynamic Analysis'], rescan: [], resubmit: [] },
      service_spec: { Extract: { password: 'infected' } },
    });
  });

  it('puts the user\'s saved settings over the profile and the request over both', () => {
    const saved = { submission_profiles: { open: { priority: 600, description: 'saved' } } };
    expect(resolve(limited, { submission_profile: 'open' }).params.priority).toBe(500);
    expect(resolve({ ...limited, ...saved }, { submission_profile: 'open' }).params).toMatchObject({ priority: 600, description: 'saved' });
    expect(resolve({ ...limited, ...saved }, { submission_profile: 'open', params: { priority: 700 } }).params.priority).toBe(700);
  });

  it('takes settings sent with the request (ui_params) in place of the saved ones, under the request\'s params', () => {
    const saved = { submission_profiles: { open: { priority: 600, description: 'saved' } } };
    const sent = { priority: 650 };
    expect(resolve({ ...limited, ...saved }, { submission_profile: 'open', settings: sent }).params).toMatchObject({ priority: 650, description: '' });
    expect(resolve({ ...limited, ...saved }, { submission_profile: 'open', settings: sent, params: { priority: 700 } }).params.priority).toBe(700);
  });

  it('holds sent settings to the profile\'s restrictions like saved ones', () => {
    expect(() => resolve(limited, { submission_profile: 'static', settings: { classification: GROUP_A } })).toThrow(RestrictedParameterChange);
  });

  it('treats nulls in saved settings and requests as "not set"', () => {
    const { params } = resolve(limited, { submission_profile: 'open', params: { priority: null, services: { selected: null } } });
    expect(params.priority).toBe(500);
    expect(params.services.selected).toEqual([...DEFAULT_SERVICE_SELECTION]);
  });

  it('uses a customiser\'s Custom Analysis settings when they name no profile', () => {
    const user = { ...customizer, submission_profiles: { default: { deep_scan: true, services: { excluded: ['Antivirus'] } } } };
    const { params, profile } = resolve(user, { params: { classification: GROUP_A } });
    expect(profile).toBeUndefined();
    expect(params).toMatchObject({ deep_scan: true, classification: GROUP_A, services: { excluded: ['Antivirus'] } });
  });

  it('lets a customiser name a profile that does not exist, applying their settings saved under that name', () => {
    const user = { ...customizer, submission_profiles: { mine: { priority: 42 } } };
    const { params, profile } = resolve(user, { submission_profile: 'mine' });
    expect(profile).toBeUndefined();
    expect(params.priority).toBe(42);
  });

  it('defaults groups to the user\'s groups named in the classification, and keeps given ones', () => {
    expect(resolve(customizer, { params: { classification: GROUP_A } }).params.groups).toEqual(['GROUPA']);
    expect(resolve(customizer, {}).params.groups).toEqual([]);
    expect(resolve(customizer, { params: { groups: ['X'] } }).params.groups).toEqual(['X']);
  });

  it('normalises the classification through the engine', () => {
    expect(resolve(customizer, { params: { classification: 'tlp:clear' } }).params.classification).toBe('TLP:CLEAR');
  });

  it('caps ttl at submission.max_dtl', () => {
    const capped = (ttl: number) =>
      resolveSubmissionParams({ endpoint: 'submit', config: config(undefined, 10), user: customizer, request: { params: { ttl } }, classification: access })
        .params.ttl;
    expect(capped(30)).toBe(10);
    expect(capped(0)).toBe(10);
    expect(capped(3)).toBe(3);
  });

  it('refuses unknown or ill-typed parameters', () => {
    expect(() => resolve(customizer, { params: { deep_scna: true } as never })).toThrow(
      new InvalidSubmissionParams('Unknown submission parameters: "deep_scna"'),
    );
    expect(() => resolve({ ...customizer, submission_profiles: { default: { foo: 1 } as never } }, {})).toThrow(
      'Unknown submission parameters: "foo"',
    );
    expect(() => resolve(customizer, { params: { deep_scan: 'yes' } as never })).toThrow(
      'Invalid submission parameter "deep_scan": must be true or false',
    );
    expect(() => resolve(limited, { submission_profile: 'static', params: { services: { excluded: 'Antivirus' } } as never })).toThrow(
      'Invalid submission parameter "services.excluded": must be a list of strings',
    );
  });
});

describe('resolveSubmissionParams: restricted parameters', () => {
  it('refuses a limited user\'s change to a restricted submission parameter', () => {
    expect(() => resolve(limited, { submission_profile: 'static', params: { classification: GROUP_A } })).toThrow(
      new RestrictedParameterChange(['classification'], 'Static Analysis'),
    );
    expect(() => resolve(limited, { submission_profile: 'open', params: { ignore_recursion_prevention: true } })).toThrow(
      'User isn\'t allowed to modify the "ignore_recursion_prevention" parameters of Open profile',
    );
  });

  it('counts the user\'s saved settings as changes too', () => {
    const user = { ...limited, submission_profiles: { static: { classification: GROUP_A } } };
    expect(() => resolve(user, { submission_profile: 'static' })).toThrow(RestrictedParameterChange);
  });

  it('lets a limited user restate a restricted value unchanged', () => {
    expect(resolve(limited, { submission_profile: 'static', params: { classification: 'TLP:CLEAR' } }).params.classification).toBe('TLP:CLEAR');
  });

  it('refuses a restricted service parameter and allows the others', () => {
    expect(() =>
      resolve(limited, { submission_profile: 'static', params: { service_spec: { Extract: { continue_after_extract: true } } } }),
    ).toThrow('User isn\'t allowed to modify the "continue_after_extract" parameters of "Extract" service in "Static Analysis" profile');
    const { params } = resolve(limited, { submission_profile: 'static', params: { service_spec: { Extract: { password: 'other' } } } });
    expect(params.service_spec).toEqual({ Extract: { password: 'other' } });
  });

  it('lets customisers and administrators change restricted parameters', () => {
    const request = { submission_profile: 'static', params: { classification: GROUP_A } };
    expect(resolve(customizer, request).params.classification).toBe(GROUP_A);
    expect(resolve(admin, request).params.classification).toBe(GROUP_A);
  });

  it('keeps the profile\'s exclusions whatever the user asks', () => {
    const request = { submission_profile: 'static', params: { services: { excluded: ['Antivirus'] } } };
    expect(resolve(limited, request).params.services.excluded).toEqual(['Antivirus', 'Dynamic Analysis']);
    expect(resolve(customizer, { ...request, params: { services: { excluded: [] } } }).params.services.excluded).toEqual([
      'Dynamic Analysis',
    ]);
  });

  it('refuses a limited user\'s selection of an excluded service when the services are known', () => {
    const request = { submission_profile: 'static', params: { services: { selected: ['Cuckoo'] } } };
    expect(() => resolve(limited, request, { services: catalog })).toThrow(
      new ExcludedServiceSelected('Cuckoo', 'Dynamic Analysis', 'Static Analysis'),
    );
    // Without the service list the exclusion still stands; the dispatcher applies it.
    expect(resolve(limited, request).params.services).toMatchObject({ selected: ['Cuckoo'], excluded: ['Dynamic Analysis'] });
    expect(resolve(customizer, request, { services: catalog }).params.services.selected).toEqual(['Cuckoo']);
    // The user's own exclusions count too.
    expect(() =>
      resolve(limited, { submission_profile: 'static', params: { services: { selected: ['Extraction'], excluded: ['Extract'] } } }, { services: catalog }),
    ).toThrow('User isn\'t allowed to select the Extract service of "Extraction" in "Static Analysis" profile');
    // The profile's own selection is not held against the user.
    expect(() => resolve(limited, { submission_profile: 'static' }, { services: catalog })).not.toThrow();
  });
});

describe('resolveSubmissionParams: the Ingest API', () => {
  const ingest = (user: SubmittingUser, request: SubmissionRequest) =>
    resolveSubmissionParams({ endpoint: 'ingest', config: config(), user, request, classification: access }).params;

  it('ignores the dangerous parameters of the user\'s saved settings', () => {
    const saved = { deep_scan: true, priority: 900, ignore_cache: true, ignore_filtering: true, ignore_recursion_prevention: true, type: 'X', ttl: 5 };
    const params = ingest({ ...customizer, submission_profiles: { default: saved } }, {});
    expect(params).toMatchObject({
      deep_scan: false,
      priority: 150,
      ignore_cache: false,
      ignore_filtering: false,
      ignore_recursion_prevention: false,
      ignore_dynamic_recursion_prevention: false,
      type: 'INGEST',
      ttl: 5,
    });
  });

  it('still honours the request\'s own params, with priority capped at ui.ingest_max_priority', () => {
    const params = ingest(customizer, { params: { deep_scan: true, priority: 400, type: 'BULK' } });
    expect(params).toMatchObject({ deep_scan: true, priority: 250, type: 'BULK' });
  });

  it('keeps a profile\'s preset type and priority (so ingest metadata schemes can follow the profile)', () => {
    expect(ingest(limited, { submission_profile: 'data_collection_profile' }).type).toBe('data_collection');
    expect(ingest(limited, { submission_profile: 'open' })).toMatchObject({ priority: 250, deep_scan: true });
  });

  it('applies the ingester\'s extraction limits and the top-level generate_alert', () => {
    const params = ingest(customizer, { params: { max_extracted: 9999, generate_alert: false }, generate_alert: true });
    expect(params).toMatchObject({ max_extracted: 100, max_supplementary: 100, generate_alert: true });
    expect(() => ingest(customizer, { generate_alert: 'yes' })).toThrow('generate_alert should be a boolean');
  });

  it('does not count the reset values as the user\'s changes to restricted parameters', () => {
    const restrictsPriority: SubmissionProfileConfig = { ...open, name: 'p', restricted_params: { submission: ['priority', 'type'] } };
    const run = (request: SubmissionRequest) =>
      resolveSubmissionParams({ endpoint: 'ingest', config: config([restrictsPriority]), user: limited, request, classification: access });
    expect(run({ submission_profile: 'p' }).params.priority).toBe(250);
    expect(() => run({ submission_profile: 'p', params: { type: 'OTHER' } })).toThrow(
      'User isn\'t allowed to modify the "type" parameters of Open profile',
    );
  });
});
