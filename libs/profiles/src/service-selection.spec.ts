import { ExcludedServiceSelected } from './profile-errors';
import { assertNoExcludedSelected, withProfileExclusions } from './service-selection';

const services = [
  { name: 'Extract', category: 'Extraction', enabled: true },
  { name: 'Cuckoo', category: 'Dynamic Analysis', enabled: true },
  { name: 'Old', category: 'Dynamic Analysis', enabled: false },
];

describe('withProfileExclusions', () => {
  it('keeps the user\'s exclusions and adds the profile\'s, once each', () => {
    expect(withProfileExclusions(['A', 'B'], ['B', 'C'])).toEqual(['A', 'B', 'C']);
  });
});

describe('assertNoExcludedSelected', () => {
  it('passes a selection that asks for no excluded service', () => {
    expect(() => assertNoExcludedSelected(['Extraction'], ['Dynamic Analysis'], services, 'Static')).not.toThrow();
  });

  it('refuses a service selected by name whose category is excluded', () => {
    expect(() => assertNoExcludedSelected(['Cuckoo'], ['Dynamic Analysis'], services, 'Static')).toThrow(
      new ExcludedServiceSelected('Cuckoo', 'Dynamic Analysis', 'Static'),
    );
  });

  it('refuses a category selected while one of its services is excluded by name', () => {
    expect(() => assertNoExcludedSelected(['Extraction'], ['Extract'], services, 'Static')).toThrow(
      'User isn\'t allowed to select the Extract service of "Extraction" in "Static" profile',
    );
  });

  it('ignores disabled services', () => {
    expect(() => assertNoExcludedSelected(['Old'], ['Dynamic Analysis'], services, 'Static')).not.toThrow();
  });
});
