import { TgError } from '../http/tg-envelope';
import { TgFields } from '../http/tg-fields';
import { sampleFiltersOf, sampleFiltersQuery } from './sample-filters';

const NOW = new Date('2024-03-31T15:20:00Z');
const caller = { organization: 'acme', uname: 'alice' };
const filtersOf = (query: Record<string, unknown>, form: Record<string, string> = {}) =>
  sampleFiltersOf(new TgFields(new Map(Object.entries(form).map(([name, value]) => [name, [value]])), query), caller, NOW);

describe('sampleFiltersOf', () => {
  it('has no filter when none is given, or only blank or false ones', () => {
    expect(filtersOf({})).toEqual({});
    expect(filtersOf({ state: '', after: ' ', org_only: 'False', user_only: 'no' })).toEqual({});
  });

  it('reads state, after, before, and the org_only and user_only flags in any case', () => {
    expect(filtersOf({ state: 'succ|fail', after: '2024-01-01', before: 'tomorrow', org_only: 'True', user_only: 'TRUE' })).toEqual({
      states: ['completed', 'failed'],
      after: new Date('2024-01-01T00:00:00Z'),
      before: new Date('2024-04-01T00:00:00Z'),
      organization: 'acme',
      submitter: 'alice',
    });
  });

  it('takes the form over the query string', () => {
    expect(filtersOf({ org_only: 'false' }, { org_only: 'true' })).toEqual({ organization: 'acme' });
  });

  it('refuses an unknown state and an unreadable date', () => {
    expect(() => filtersOf({ state: 'finished' })).toThrow(TgError);
    expect(() => filtersOf({ after: '2024-05-%d' })).toThrow(/^The parameter after must be a date/);
  });
});

describe('sampleFiltersQuery', () => {
  it('is empty without filters', () => {
    expect(sampleFiltersQuery({})).toEqual({});
  });

  it('filters state, submission time (after inclusive, before exclusive), organization and submitter', () => {
    const after = new Date('2024-01-01T00:00:00Z');
    const before = new Date('2024-02-01T00:00:00Z');
    expect(sampleFiltersQuery({ states: ['completed', 'failed'], after, before, organization: 'acme', submitter: 'alice' })).toEqual({
      state: { $in: ['completed', 'failed'] },
      'times.submitted': { $gte: after, $lt: before },
      'threatgrid.organization': 'acme',
      'params.submitter': 'alice',
    });
    expect(sampleFiltersQuery({ states: ['failed'], before })).toEqual({ state: 'failed', 'times.submitted': { $lt: before } });
    expect(sampleFiltersQuery({ after })).toEqual({ 'times.submitted': { $gte: after } });
  });
});
