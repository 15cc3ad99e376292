import { join } from 'node:path';
import { ClassificationEngine, loadClassificationFile } from '@hopper/classification';
import { HopperConfig, loadConfig, parseConfig } from '@hopper/config';
import type { UserRecord } from '@hopper/datastore';
import type { AuthenticatedUser } from '../../auth/auth.service';
import { tgSubmissionParams } from './tg-submission-params';
import type { TgSubmitOptions } from './tg-submit-options';

// The enforced scheme: with enforcement off (the default) every classification reads as unrestricted.
const ENFORCED = join(__dirname, '../../../../../test/fixtures/classification/enforced.yml');
const base = parseConfig({
  ...loadConfig({ env: { HOPPER_REDIS_URL: 'redis://127.0.0.1:1', HOPPER_MONGO_URL: 'mongodb://127.0.0.1:1/x' } }),
  classification: ENFORCED,
});
const engine = new ClassificationEngine(loadClassificationFile(base.classification));
const withTg = (threatgrid: Record<string, unknown>): HopperConfig => parseConfig({ ...base, threatgrid: { ...base.threatgrid, ...threatgrid } });

const options = (overrides: Partial<TgSubmitOptions> = {}): TgSubmitOptions => ({
  tags: [],
  private: false,
  vm: '',
  playbook: null,
  network_exit: null,
  sample_password: null,
  classify: false,
  filename: null,
  url: null,
  ...overrides,
});

const auth = (roles: string[]): AuthenticatedUser => ({
  uname: 'ann',
  user: { uname: 'ann', groups: [], classification: engine.RESTRICTED, submission_settings: {}, type: ['user'] } as unknown as UserRecord,
  roles,
  roles_limit: null,
});

const CUSTOMIZER = ['submission_create', 'submission_customize'];
const LIMITED = ['submission_create'];

describe('tgSubmissionParams', () => {
  it('uses the Threat Grid profile (dynamic analysis selected) and marks the submitter and quota item', () => {
    for (const roles of [CUSTOMIZER, LIMITED]) {
      const params = tgSubmissionParams(options(), 'a.exe', auth(roles), base, engine);
      expect(params.services.selected).toContain('Dynamic Analysis');
      expect(params).toMatchObject({ submitter: 'ann', quota_item: true, description: 'Threat Grid sample: a.exe' });
    }
  });

  it('hands vm, playbook and network exit to the dynamic service, which it then selects', () => {
    const params = tgSubmissionParams(options({ vm: 'win10', network_exit: 'sim-all' }), 'a.exe', auth(LIMITED), base, engine);
    expect(params.service_spec).toMatchObject({ Sandbox: { vm: 'win10', network_exit: 'sim-all' } });
    expect(params.service_spec.Sandbox).not.toHaveProperty('playbook');
    expect(params.services.selected).toContain('Sandbox');
  });

  it('turns sample_password into the passwords Extract tries, and classify into the classify services', () => {
    const params = tgSubmissionParams(options({ sample_password: 's3cret', classify: true }), 'a.zip', auth(CUSTOMIZER), base, engine);
    expect(JSON.parse(params.initial_data!)).toEqual({ passwords: ['s3cret'] });
    expect(params.services.selected).toContain('Characterize');
    expect(tgSubmissionParams(options(), 'a.zip', auth(CUSTOMIZER), base, engine).initial_data).toBeNull();
  });

  it('raises a private sample to threatgrid.private_classification, and only a private one', () => {
    const config = withTg({ private_classification: 'TLP:AMBER' });
    expect(tgSubmissionParams(options({ private: true }), 'a', auth(CUSTOMIZER), config, engine).classification).toBe('TLP:AMBER');
    expect(tgSubmissionParams(options({ private: false }), 'a', auth(CUSTOMIZER), config, engine).classification).toBe(
      tgSubmissionParams(options(), 'a', auth(CUSTOMIZER), base, engine).classification,
    );
  });
});
