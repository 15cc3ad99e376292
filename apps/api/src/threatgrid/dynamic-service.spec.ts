import { parseConfig, deepMerge, loadConfig } from '@hopper/config';
import { dynamicServiceProblem } from './dynamic-service';

const configWith = (overrides: Record<string, unknown>) => parseConfig(deepMerge(loadConfig({ env: { HOPPER_REDIS_URL: 'redis://127.0.0.1:1', HOPPER_MONGO_URL: 'mongodb://127.0.0.1:1/x' } }) as unknown as Record<string, unknown>, overrides));

describe('dynamicServiceProblem', () => {
  it('is null when an enabled service (external or built-in) has the name', () => {
    expect(dynamicServiceProblem(configWith({ services: { external: [{ name: 'Sandbox', version: '1', category: 'Dynamic Analysis' }] }, threatgrid: { dynamic_service: 'Sandbox' } }))).toBeNull();
    expect(dynamicServiceProblem(configWith({ threatgrid: { dynamic_service: 'Characterize' } }))).toBeNull();
  });

  it('says the service is not registered, or disabled', () => {
    expect(dynamicServiceProblem(configWith({ threatgrid: { dynamic_service: 'Sandbox' } }))).toMatch(/^threatgrid\.dynamic_service "Sandbox" is not a registered service \(declare it in services\.external\)/);
    const disabled = configWith({ services: { external: [{ name: 'Sandbox', version: '1', category: 'Dynamic Analysis', enabled: false }] }, threatgrid: { dynamic_service: 'Sandbox' } });
    expect(dynamicServiceProblem(disabled)).toMatch(/^threatgrid\.dynamic_service "Sandbox" is disabled:/);
  });
});
