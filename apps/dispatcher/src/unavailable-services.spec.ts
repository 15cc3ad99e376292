import { parseServiceManifest, ServiceManifest } from '@hopper/services';
import { unavailableServiceMessage, unavailableServices } from './unavailable-services';

const manifest = (name: string, category: string, enabled = true): ServiceManifest =>
  parseServiceManifest({ name, version: '1', category, enabled });

describe('unavailableServices', () => {
  const manifests = [manifest('Extract', 'Extraction'), manifest('Characterize', 'Static Analysis'), manifest('Old', 'Static Analysis', false), manifest('Tarpit', 'Custom Things')];

  it('names what is neither a registered service nor a category, and disabled services', () => {
    expect(unavailableServices(manifests, { selected: ['Extract', 'Sandbox', 'Old', 'Sandbox'], excluded: [] })).toEqual([
      { name: 'Sandbox', reason: 'not_registered' },
      { name: 'Old', reason: 'disabled' },
    ]);
  });

  it('takes categories (Assemblyline\'s and those services declare) as categories, even with no service of them', () => {
    expect(unavailableServices(manifests, { selected: ['Dynamic Analysis', 'Antivirus', 'Custom Things', 'Static Analysis'], excluded: [] })).toEqual([]);
  });

  it('does not count a name the submission also excludes', () => {
    expect(unavailableServices(manifests, { selected: ['Sandbox'], excluded: ['Sandbox'] })).toEqual([]);
  });

  it('says why in the message', () => {
    expect(unavailableServiceMessage({ name: 'Sandbox', reason: 'not_registered' })).toMatch(/^The selected service Sandbox is not registered \(no built-in or external service has that name\): it did not run/);
    expect(unavailableServiceMessage({ name: 'Old', reason: 'disabled' })).toMatch(/^The selected service Old is disabled: it did not run/);
  });
});
